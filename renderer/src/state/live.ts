import { getApi, getConnection } from '../bridge';
import { callApi } from '../bridge/use-call';
import { useLogsStore } from './logs-store';
import { useNodeStore } from './node-store';
import { useSettingsStore } from './settings-store';

async function loadAll(): Promise<void> {
  await Promise.all([
    callApi('status.get', {}).then(
      (s) => useNodeStore.getState().setStatus(s),
      (e: unknown) => useNodeStore.getState().setStatusError(e),
    ),
    callApi('settings.get', {}).then(
      (s) => {
        useSettingsStore.getState().setSettings(s);
        useLogsStore.getState().setCapacity(s.logBufferLines);
      },
      (e: unknown) => useSettingsStore.getState().setLoadError(e),
    ),
    callApi('logs.tail', { limit: 2_000 }).then(
      (r) => useLogsStore.getState().replace(r.lines, r.sources),
      () => undefined, // the Logs screen shows its own error and retries
    ),
  ]);
}

/**
 * Wires the stores to the node: one initial load, then events. After a reconnect everything is
 * loaded again because events sent while the socket was down are lost (and the node may have
 * restarted, which restarts log ids).
 */
export function startLiveState(): () => void {
  const api = getApi();
  const conn = getConnection();
  const node = useNodeStore.getState();
  node.setConnection(api.transport, conn.get());
  const offs = [
    api.on('node.status', (s) => {
      const n = useNodeStore.getState();
      n.setStatus(s);
      n.sawEvent();
    }),
    api.on('settings.changed', (s) => {
      useSettingsStore.getState().setSettings(s);
      useLogsStore.getState().setCapacity(s.logBufferLines);
      useNodeStore.getState().sawEvent();
    }),
    api.on('log.line', (l) => {
      useLogsStore.getState().append(l);
      useNodeStore.getState().sawEvent();
    }),
    api.on('data.changed', (d) => {
      const n = useNodeStore.getState();
      n.bumpMaxSeq(d.maxSeq);
      n.sawEvent();
    }),
  ];
  let wasDown = false;
  offs.push(
    conn.subscribe((state) => {
      useNodeStore.getState().setConnection(api.transport, state);
      if (state === 'reconnecting') wasDown = true;
      if (state === 'live' && wasDown) {
        wasDown = false;
        void loadAll();
      }
    }),
  );
  void loadAll();
  return () => offs.forEach((off) => off());
}
