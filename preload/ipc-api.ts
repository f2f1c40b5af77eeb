import {
  IPC_EVENT_CHANNEL,
  ipcChannelOf,
  isHandlerName,
  type CoinSyncApi,
  type EventMap,
  type EventName,
  type Result,
} from './contract.js';

export { IPC_EVENT_CHANNEL };

/** The two things the preload needs from ipcRenderer, so the API is testable without Electron. */
export interface IpcTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  /** Subscribe to the one event channel; returns an unsubscribe function. */
  subscribe(listener: (envelope: unknown) => void): () => void;
}

const isEnvelope = (v: unknown): v is { event: string; payload: unknown } =>
  typeof v === 'object' && v !== null && typeof (v as { event?: unknown }).event === 'string' && 'payload' in v;

/**
 * Builds the exact CoinSyncApi the renderer sees: `call` only for the contract's handler names
 * (anything else answers a Result error without touching IPC), `on` over the single event
 * channel. Nothing of Electron (no event objects, no ipcRenderer) leaks through.
 */
export function createIpcApi(transport: IpcTransport): CoinSyncApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let unsubscribe: (() => void) | undefined;

  const dispatchEnvelope = (envelope: unknown) => {
    if (!isEnvelope(envelope)) return;
    for (const l of [...(listeners.get(envelope.event) ?? [])]) {
      try {
        l(envelope.payload);
      } catch (e) {
        console.error(`coinSync: a listener for "${envelope.event}" threw`, e);
      }
    }
  };

  const api = {
    transport: 'ipc',
    async call(name, input) {
      if (typeof name !== 'string' || !isHandlerName(name)) {
        return {
          ok: false,
          error: {
            code: 'unknown_handler',
            message: `There is no handler named "${String(name)}".`,
            reason: 'unknown_handler',
            params: { name: String(name) },
          },
        };
      }
      try {
        return (await transport.invoke(ipcChannelOf(name), input)) as Result<never>;
      } catch (e) {
        // The main process threw or is gone; keep the Result shape so callers have one error path.
        return {
          ok: false,
          error: { code: 'unavailable', message: `${name}: ${(e as Error)?.message ?? String(e)}`, reason: 'node_unreachable' },
        };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      if (typeof listener !== 'function') throw new TypeError('coinSync.on: listener must be a function');
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      unsubscribe ??= transport.subscribe(dispatchEnvelope);
      return () => {
        set.delete(l);
        if (set.size === 0) listeners.delete(event);
        if (listeners.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = undefined;
        }
      };
    },
  } satisfies CoinSyncApi;
  return api;
}
