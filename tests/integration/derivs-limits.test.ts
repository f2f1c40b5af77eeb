// Subscriptions split over connections under a per-connection cap, and the liquidations the node
// stores are the simulator's, newest first, filtered and bounded.
import { describe, expect, it } from 'vitest';
import type { StreamStatus } from '../../preload/contract.js';
import { DerivsModel } from '../../main/node/simulator/derivs-model.js';
import { call, useSimulatedNode } from '../helpers/sim-node.js';
import { until as waitUntil } from '../helpers/until.js';

const startNode = useSimulatedNode('csn-derivs-lim-');
const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000) =>
  waitUntil(what, fn, timeoutMs, 100);
const DERIVS = ['markPrice', 'fundingRate', 'openInterest', 'books5', 'liquidations', 'swapTickers'];
const derivStreams = async (n: Parameters<typeof call>[0]) =>
  (await call(n, 'market.status', {})).streams.filter((s) => DERIVS.includes(s.name)) as StreamStatus[];

describe('derivatives subscriptions and liquidations', () => {
  it('splits 138 subscriptions over connections of at most 40 args, paced, and none is refused', { timeout: 60_000 }, async () => {
    const { sim, node } = await startNode(
      { maxSubsPerConnection: 40, fundingIntervalMs: [500, 1000] },
      { derivs: { maxArgsPerConnection: 40, subscribePaceMs: 50, connectGapMs: 350 } },
    );
    await until('every derivatives stream on ws', async () => (await derivStreams(node)).every((s) => s.mode === 'ws'));
    // 27 coins × 4 channels + 1 liquidation arg = 109 → 3 connections; 29 USDT swaps' tickers → 1;
    // plus the grid collector's /public socket. Only /public is counted: the derivatives channels
    // live there, while /business holds the grid collector's socket and the candle timeframes'
    // pool (market/candles/), whose size follows settings.streams.candles, not this cap.
    const pub = () => sim.stats().ws.byKind.public;
    await until('5 public connections', () => pub().connections === 5 && pub().connectsTotal === 5);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(pub().connectsTotal).toBe(5);
    for (const s of await derivStreams(node)) expect(s.counters.reconnects, s.name).toBe(0);
  });

  it(
    'market.liquidations: the simulator orders of our coins, newest first, by coin, ≤ 500, bad ranges refused',
    { timeout: 100_000 },
    async () => {
      const { sim, node } = await startNode();
      const t0 = Date.now();
      const model = new DerivsModel(sim.path);
      const list = await until(
        'a few liquidations stored',
        async () => {
          const l = await call(node, 'market.liquidations', { from: t0 - 60_000, to: Date.now() + 1_000 });
          return l.rows.length >= 3 ? l : false;
        },
        // About one order every 3 s over the 29 swaps; a loaded CI machine opens the sockets late.
        75_000,
      );
      const coins = node.settings.get().coins;
      for (let i = 1; i < list.rows.length; i++) expect(list.rows[i - 1]!.ts).toBeGreaterThanOrEqual(list.rows[i]!.ts);
      for (const r of list.rows) {
        expect(coins).toContain(r.coin);
        const expected = model.liquidations(sim.path.instrument(r.coin)!, r.ts, r.ts + 1);
        expect(
          expected.map((e) => [e.side, Number(e.bkPx), Number(e.sz)]),
          `${r.coin} at ${r.ts}`,
        ).toContainEqual([r.side, r.px, r.sz]);
      }
      // None is missing: between the first and the last stored, every order of our coins is there.
      await new Promise((r) => setTimeout(r, 2_000));
      const lo = Math.min(...list.rows.map((r) => r.ts));
      const hi = Math.max(...list.rows.map((r) => r.ts)) + 1;
      const inWindow = await call(node, 'market.liquidations', { from: lo, to: hi });
      const modelled = coins.flatMap((c) => model.liquidations(sim.path.instrument(c)!, lo, hi));
      expect(inWindow.rows.length).toBe(modelled.length);
      const one = list.rows[0]!.coin;
      const byCoin = await call(node, 'market.liquidations', { coin: one, from: t0 - 60_000, to: Date.now() + 1_000 });
      expect(byCoin.rows.length).toBeGreaterThan(0);
      expect(byCoin.rows.every((r) => r.coin === one)).toBe(true);
      // A busy hour (written through the node's own table, as a peer's rows would be): the newest 500 come back.
      const T = Date.UTC(2025, 0, 1);
      const rows = Array.from({ length: 600 }, (_, i) => ['BTC', T + i * 1_000, i % 2 ? 'buy' : 'sell', 90_000 + i, 1, null, null]);
      node.store.write(() => node.store.tables.liquidations.upsertLocal(rows, node.store.nodeId, Date.now()));
      const busy = await call(node, 'market.liquidations', { coin: 'BTC', from: T, to: T + 3_600_000 });
      expect(busy.rows).toHaveLength(500);
      expect(busy.rows[0]!.ts).toBe(T + 599_000);
      expect(busy.rows[499]!.ts).toBe(T + 100_000);
      const reversed = await node.call('market.liquidations', { from: 10, to: 5 });
      expect(reversed.ok).toBe(false);
      if (!reversed.ok) expect(JSON.stringify(reversed.error)).toContain('"to"');
      const unknown = await node.call('market.liquidations', { coin: 'ZZZ', from: 0, to: 10 });
      expect(unknown.ok).toBe(false);
    },
  );
});

describe('settings.streams', () => {
  it('a stream switched off leaves market.status and stops writing; switched on, it comes back', { timeout: 60_000 }, async () => {
    const { node } = await startNode();
    await until('books5 on ws', async () => (await derivStreams(node)).some((s) => s.name === 'books5' && s.mode === 'ws'));
    const lastBook = () => node.store.db.prepare('SELECT MAX(updated_at) FROM order_books').pluck(true).get() as number | null;
    await until('books written', () => lastBook() !== null);
    const streams = node.settings.get().streams;
    await call(node, 'settings.update', { streams: { ...streams, books5: false } });
    await until('books5 gone from market.status', async () => !(await derivStreams(node)).some((s) => s.name === 'books5'));
    // Pushes already in flight may land in the next write beat; after that nothing moves.
    await new Promise((r) => setTimeout(r, 3_000));
    const stopped = lastBook();
    await new Promise((r) => setTimeout(r, 4_000));
    expect(lastBook()).toBe(stopped);
    expect((await derivStreams(node)).map((s) => s.name).sort()).toEqual([
      'fundingRate',
      'liquidations',
      'markPrice',
      'openInterest',
      'swapTickers',
    ]);
    await call(node, 'settings.update', { streams: { ...streams, books5: true } });
    await until('books5 back on ws', async () => (await derivStreams(node)).some((s) => s.name === 'books5' && s.mode === 'ws'));
    await until('books written again', () => (lastBook() ?? 0) > stopped!);
  });
});
