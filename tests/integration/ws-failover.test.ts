import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { call } from '../helpers/api.js';
import { tempDataDir } from '../helpers/headless.js';
import { until as waitUntil } from '../helpers/until.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function simAt(port = 0): Promise<Simulator> {
  const s = createSimulator();
  await s.start(port);
  cleanup.push(() => s.stop());
  return s;
}

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000) =>
  waitUntil(what, fn, timeoutMs, 100);

const host = (s: Simulator) => new URL(s.urls!.wsPublic).host;
const open = (s: Simulator) => s.stats().ws.byKind;

/** The node's WS hosts per service, as sources.status lists them. */
async function wsHosts(node: SyncNode, service: 'wsPublic' | 'wsBusiness') {
  return (await call(node, 'sources.status', {})).sources.filter((s) => s.service === service);
}

/** Ticks arriving over WebSocket after `since` (the collector's public socket carries them). */
async function ticksSince(node: SyncNode, since: number) {
  const live = await call(node, 'market.live', {});
  return live.rows.filter((r) => r.source === 'ws' && r.ts !== null && r.ts > since).length >= 20;
}

describe('exchange WebSocket host failover', () => {
  it('the first host refusing → the sockets connect to the next and data flows; the first recovers → they return', async () => {
    const first = await simAt();
    const second = await simAt();
    first.faults.refuseConnections(600_000);
    const port = Number(new URL(first.urls!.rest).port);
    const firstHost = host(first);
    const dir = tempDataDir('csn-wsfail-');
    const node = createNode({
      dataDir: dir,
      mode: 'headless',
      version: 'test',
      senderPort: 0,
      exchange: first.urls!,
      exchangeAlternates: [],
      exchangeWsAlternates: { public: [second.urls!.wsPublic], business: [second.urls!.wsBusiness] },
      wsFailover: { downAfter: 2, probeMs: 300, maxProbeMs: 1_000, stableMs: 60_000 },
    });
    await node.start();
    cleanup.push(async () => {
      await node.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    // 1. The first host answers the upgrade with 503: after two failures it is down, the second serves.
    const t0 = Date.now();
    await until('sockets on the second host', () => open(second).public.connections > 0 && open(second).business.connections > 0);
    await until('ws ticks from the second host', () => ticksSince(node, t0));
    expect(open(first).public.connections + open(first).business.connections).toBe(0);
    expect(first.stats().ws.refused).toBeGreaterThanOrEqual(2);
    for (const service of ['wsPublic', 'wsBusiness'] as const) {
      const [a, b] = await wsHosts(node, service);
      expect(a).toMatchObject({
        name: host(first),
        priority: 0,
        state: 'down',
        active: false,
        lastError: expect.stringMatching(/503|handshake/),
      });
      expect(b).toMatchObject({ name: host(second), priority: 1, state: 'ok', active: true });
      expect(b!.latencyMs).toBeGreaterThanOrEqual(0);
    }

    // 2. The first host accepts again: the probe sees it, and every socket moves back to it.
    first.faults.resume();
    await until(
      'sockets back on the first host',
      () => open(first).public.connections > 0 && open(first).business.connections > 0 && open(second).public.connections === 0,
    );
    await until('every socket left the second host', () => open(second).business.connections === 0);
    const t1 = Date.now();
    await until('ws ticks from the first host again', () => ticksSince(node, t1));
    const [a] = await wsHosts(node, 'wsPublic');
    expect(a).toMatchObject({ name: host(first), state: 'ok', active: true });

    // 3. The first host goes away (connections refused at TCP): a drop, then ECONNREFUSED → the second again.
    await first.stop();
    await until('sockets on the second host again', () => open(second).public.connections > 0 && open(second).business.connections > 0);
    const [down] = await wsHosts(node, 'wsPublic');
    expect(down).toMatchObject({ name: firstHost, state: 'down', lastError: expect.stringMatching(/ECONNREFUSED/) });

    // …and comes back on the same port: the probe (with its back-off) finds it and the sockets return.
    const back = await simAt(port);
    await until('sockets on the restarted first host', () => open(back).public.connections > 0 && open(back).business.connections > 0);
    await until('the second host is left', () => open(second).public.connections === 0 && open(second).business.connections === 0);
    const t2 = Date.now();
    await until('ws ticks after the return', () => ticksSince(node, t2));

    // 4. The user puts the second host first for the public sockets (Settings › Sources): they move; business stays.
    await call(node, 'settings.update', {
      sourceOrder: [
        { kind: 'wsPublic', id: second.urls!.wsPublic, enabled: true },
        { kind: 'wsPublic', id: back.urls!.wsPublic, enabled: true },
      ],
    });
    await until(
      'public sockets on the second host by order',
      () => open(second).public.connections > 0 && open(back).public.connections === 0,
    );
    expect(open(back).business.connections).toBeGreaterThan(0);
    expect(open(second).business.connections).toBe(0);
    expect((await wsHosts(node, 'wsPublic')).map((h) => [h.name, h.active])).toEqual([
      [host(second), true],
      [firstHost, false],
    ]);
  }, 90_000);
});
