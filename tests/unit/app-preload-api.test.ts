import { describe, expect, it } from 'vitest';
import { handlerNames, ipcChannelOf, IPC_EVENT_CHANNEL, type LogLine } from '../../preload/contract.js';
import { createIpcApi } from '../../preload/ipc-api.js';

/** A transport that records what the API would send over ipcRenderer. */
function recorder(answer: (channel: string, input: unknown) => Promise<unknown> = async () => ({ ok: true, value: 'v' })) {
  const invoked: Array<[string, unknown]> = [];
  const subs = new Set<(e: unknown) => void>();
  let subscribeCalls = 0;
  return {
    invoked,
    subs,
    subscribeCalls: () => subscribeCalls,
    emit: (envelope: unknown) => [...subs].forEach((s) => s(envelope)),
    transport: {
      invoke: (channel: string, input: unknown) => {
        invoked.push([channel, input]);
        return answer(channel, input);
      },
      subscribe(l: (e: unknown) => void) {
        subscribeCalls++;
        subs.add(l);
        return () => subs.delete(l);
      },
    },
  };
}

describe('the preload API', () => {
  it('exposes exactly transport, call and on', () => {
    const api = createIpcApi(recorder().transport);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'transport']);
    expect(api.transport).toBe('ipc');
  });

  it('invokes the namespaced channel for every contract handler, passing the input through', async () => {
    const r = recorder();
    const api = createIpcApi(r.transport);
    for (const name of handlerNames) await api.call(name, {} as never);
    expect(r.invoked.map(([c]) => c)).toEqual(handlerNames.map(ipcChannelOf));
    expect(await api.call('logs.tail', { limit: 5 })).toEqual({ ok: true, value: 'v' });
    expect(r.invoked.at(-1)).toEqual(['csn:logs.tail', { limit: 5 }]);
  });

  it('answers unknown names with a Result error without touching IPC', async () => {
    const r = recorder();
    const api = createIpcApi(r.transport);
    for (const bad of ['nope', '__proto__', 'constructor', 'csn:event', '', 42, null]) {
      const res = await api.call(bad as never, {} as never);
      expect(res).toEqual({
        ok: false,
        error: {
          code: 'unknown_handler',
          message: `There is no handler named "${String(bad)}".`,
          reason: 'unknown_handler',
          params: { name: String(bad) },
        },
      });
    }
    expect(r.invoked).toEqual([]);
  });

  it('turns a rejected invoke (main gone, no handler) into a Result error', async () => {
    const api = createIpcApi(recorder(async () => Promise.reject(new Error("No handler registered for 'csn:status.get'"))).transport);
    expect(await api.call('status.get', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: "status.get: No handler registered for 'csn:status.get'", reason: 'node_unreachable' },
    });
  });

  it('delivers events by name over one subscription and unsubscribes when the last listener goes', () => {
    const r = recorder();
    const api = createIpcApi(r.transport);
    const got: unknown[] = [];
    const line: LogLine = { id: 1, ts: 1, level: 'info', source: 's', message: 'm' };
    const off1 = api.on('log.line', (l) => got.push(['a', l.id]));
    const off2 = api.on('log.line', (l) => got.push(['b', l.id]));
    const off3 = api.on('data.changed', (d) => got.push(['d', d.table]));
    expect(r.subscribeCalls()).toBe(1);
    r.emit({ event: 'log.line', payload: line });
    r.emit({ event: 'data.changed', payload: { table: 'grid', maxSeq: 3, rows: 1 } });
    r.emit('garbage');
    r.emit({ event: 'log.line' }); // no payload: ignored
    off1();
    r.emit({ event: 'log.line', payload: { ...line, id: 2 } });
    expect(got).toEqual([
      ['a', 1],
      ['b', 1],
      ['d', 'grid'],
      ['b', 2],
    ]);
    off2();
    off3();
    expect(r.subs.size).toBe(0);
    api.on('log.line', () => undefined);
    expect(r.subscribeCalls()).toBe(2);
    expect(IPC_EVENT_CHANNEL).toBe('csn:event');
  });

  it('keeps delivering when one listener throws', () => {
    const r = recorder();
    const api = createIpcApi(r.transport);
    const got: number[] = [];
    const err = console.error;
    console.error = () => undefined;
    try {
      api.on('log.line', () => {
        throw new Error('listener bug');
      });
      api.on('log.line', (l) => got.push(l.id));
      r.emit({ event: 'log.line', payload: { id: 7, ts: 0, level: 'info', source: 's', message: 'm' } });
    } finally {
      console.error = err;
    }
    expect(got).toEqual([7]);
    expect(() => api.on('log.line', 'nope' as never)).toThrow(/listener must be a function/);
  });
});
