import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { call } from '../helpers/api.js';
import { tempDataDir } from '../helpers/headless.js';

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

function finished(n: SyncNode): Promise<EventMap['backfill.finished']> {
  return new Promise((resolve) => {
    const off = n.bus.on('backfill.finished', (p) => (off(), resolve(p)));
  });
}

const candleRequests = (s: Simulator) => s.stats().rest.requests.candles + s.stats().rest.requests.historyCandles;
const hostOf = (s: Simulator) => new URL(s.urls!.rest).host;

describe('exchange host failover', () => {
  it('the first host refusing → the next host serves; the first is used again once it recovers', async () => {
    const first = await simAt();
    const second = await simAt();
    const port = Number(new URL(first.urls!.rest).port);
    const firstHost = hostOf(first);
    const dir = tempDataDir('csn-failover-');
    const node = createNode({
      dataDir: dir,
      mode: 'headless',
      version: 'test',
      collect: false,
      senderPort: 0,
      exchange: first.urls!,
      exchangeAlternates: [second.urls!.rest],
      hostFailover: { downAfter: 2, retryMs: 300 },
      backfillRetry: { baseMs: 50, maxMs: 200, gapConfirmMs: 50 },
    });
    await node.start();
    cleanup.push(async () => {
      await node.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const sources = async () => (await call(node, 'sources.status', {})).sources.filter((s) => s.service === 'rest');
    expect((await sources()).map((s) => [s.name, s.priority, s.state])).toEqual([
      [hostOf(first), 0, 'unknown'],
      [hostOf(second), 1, 'unknown'],
    ]);

    // The first host goes away: connections are refused.
    await first.stop();
    const to = dayStartOf(Date.now());
    const coins = ['BTC', 'ETH'];
    let done = finished(node);
    await call(node, 'backfill.start', { from: to - DAY_MS, to, coins });
    expect((await done).failed).toBe(0);
    let hosts = await sources();
    expect(hosts[0]).toMatchObject({
      name: firstHost,
      state: 'down',
      active: false,
      lastError: expect.stringMatching(/fetch failed|ECONNREFUSED/),
    });
    expect(hosts[1]).toMatchObject({ name: hostOf(second), state: 'ok', active: true });
    expect(candleRequests(second)).toBe(2);
    const st = await call(node, 'backfill.status', {});
    expect(st.sources).toEqual([expect.objectContaining({ servedBy: hostOf(second), peer: false, pages: 2 })]);

    // It comes back on the same address: after the pause the next request tries it, and it serves again.
    const back = await simAt(port);
    await new Promise((r) => setTimeout(r, 400));
    done = finished(node);
    await call(node, 'backfill.start', { from: to - 2 * DAY_MS, to: to - DAY_MS, coins });
    expect((await done).failed).toBe(0);
    expect(candleRequests(back)).toBe(2);
    expect(candleRequests(second)).toBe(2);
    hosts = await sources();
    expect(hosts[0]).toMatchObject({ name: firstHost, state: 'ok', active: true });
    expect((await call(node, 'backfill.status', {})).sources).toEqual([expect.objectContaining({ servedBy: firstHost, pages: 2 })]);
  }, 60_000);
});
