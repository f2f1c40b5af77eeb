import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { orderPeers } from '../../main/node/settings/source-order.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { call } from '../helpers/api.js';
import { tempDataDir } from '../helpers/headless.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function sim(): Promise<Simulator> {
  const s = createSimulator();
  await s.start(0);
  cleanup.push(() => s.stop());
  return s;
}

function finished(n: SyncNode): Promise<EventMap['backfill.finished']> {
  return new Promise((resolve) => {
    const off = n.bus.on('backfill.finished', (p) => (off(), resolve(p)));
  });
}

const candleRequests = (s: Simulator) => s.stats().rest.requests.candles + s.stats().rest.requests.historyCandles;

describe('source order (Settings › Sources)', () => {
  it('puts the REST hosts in the saved order, leaves a switched-off one out, and refuses bad orders with a sentence', async () => {
    const first = await sim();
    const second = await sim();
    const dir = tempDataDir('csn-srcorder-');
    const node = createNode({
      dataDir: dir,
      mode: 'headless',
      version: 'test',
      collect: false,
      senderPort: 0,
      exchange: first.urls!,
      exchangeAlternates: [second.urls!.rest],
    });
    await node.start();
    cleanup.push(async () => {
      await node.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const rest = async () => (await call(node, 'sources.status', {})).sources.filter((s) => s.service === 'rest');
    const a = first.urls!.rest;
    const b = second.urls!.rest;
    const to = dayStartOf(Date.now());
    const backfill = async (from: number) => {
      const done = finished(node);
      await call(node, 'backfill.start', { from, to: from + DAY_MS, coins: ['BTC', 'ETH'] });
      expect((await done).failed).toBe(0);
    };

    // The second host first: it serves, though the first is healthy.
    await call(node, 'settings.update', {
      sourceOrder: [
        { kind: 'rest', id: b, enabled: true },
        { kind: 'rest', id: a, enabled: true },
      ],
    });
    expect((await rest()).map((s) => [s.id, s.priority, s.enabled])).toEqual([
      [b, 0, true],
      [a, 1, true],
    ]);
    await backfill(to - DAY_MS);
    expect([candleRequests(first), candleRequests(second)]).toEqual([0, 2]);

    // The second switched off: only the first is asked; the second is still listed, off.
    await call(node, 'settings.update', {
      sourceOrder: [
        { kind: 'rest', id: b, enabled: false },
        { kind: 'rest', id: a, enabled: true },
      ],
    });
    expect((await rest()).map((s) => [s.id, s.enabled])).toEqual([
      [a, true],
      [b, false],
    ]);
    await backfill(to - 2 * DAY_MS);
    expect([candleRequests(first), candleRequests(second)]).toEqual([2, 2]);

    // Bad input: every REST host off, a host that is not a URL, a source listed twice.
    const refused = async (sourceOrder: unknown) => {
      const r = await node.dispatch('settings.update', { sourceOrder });
      expect(r.ok).toBe(false);
      return r.ok ? '' : `${r.error.code}: ${r.error.message}`;
    };
    expect(await refused([{ kind: 'rest', id: a, enabled: false }])).toMatch(
      /^bad_input: .*keep at least one exchange host of each service on/,
    );
    expect(await refused([{ kind: 'wsPublic', id: 'https://x.example', enabled: true }])).toMatch(/^bad_input: .*ws:\/\/ or wss:\/\//);
    expect(
      await refused([
        { kind: 'peer', id: 'p1', enabled: true },
        { kind: 'peer', id: 'p1', enabled: false },
      ]),
    ).toMatch(/^bad_input: .*listed twice/);
    expect(await refused([{ kind: 'exchange', id: a, enabled: true }])).toMatch(/^bad_input: /);
    // The refused writes changed nothing.
    expect((await call(node, 'settings.get', {})).sourceOrder.map((s) => s.enabled)).toEqual([false, true]);
  }, 60_000);

  it('orders peers for backfill: listed first in the saved order, the rest after them, switched-off ones left out', () => {
    const peers = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }];
    const order = [
      { kind: 'peer' as const, id: 'c', enabled: true },
      { kind: 'rest' as const, id: 'https://www.okx.com', enabled: true },
      { kind: 'peer' as const, id: 'a', enabled: true },
      { kind: 'peer' as const, id: 'b', enabled: false },
      { kind: 'peer' as const, id: 'gone', enabled: true },
    ];
    expect(orderPeers(peers, order).map((p) => p.id)).toEqual(['c', 'a', 'd']);
    expect(orderPeers(peers, []).map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
