import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDLE_BARS } from '../../preload/contract/candle-bars.js';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { OKX_BARS } from '../../main/node/okx/bars.js';
import type { CandleInput } from '../../main/node/market/grid-writer.js';
import type { SyncNode } from '../../main/node/create-node.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { bothSides, caughtUp, DAY, pgClient, seedCandles, startNode, T0, until, type TestNode } from './warehouse-harness.js';
import type pg from 'pg';

/** coin_sync.sum27 against the node's own market.sumSeries over [from, to): same points, sums and coverage. */
async function expectSum27Equal(n: SyncNode, c: pg.Client, from: number, to: number): Promise<void> {
  const series = await n.call('market.sumSeries', { from, to });
  if (!series.ok) throw new Error(series.error.message);
  const sum = await c.query<{ ts: number; sum: number; coins: number }>(
    `SELECT (extract(epoch from ts) * 1000)::float8 AS ts, sum, coins FROM coin_sync.sum27
     WHERE ts >= to_timestamp($1 / 1000.0) AND ts < to_timestamp($2 / 1000.0) ORDER BY ts`,
    [from, to],
  );
  const points = series.value.points.filter((p) => p.sum !== null);
  expect(points.length).toBeGreaterThan(0);
  expect(sum.rows.map((r) => r.ts)).toEqual(points.map((p) => p.ts));
  sum.rows.forEach((r, i) => {
    expect(r.sum).toBeCloseTo(points[i]!.sum!, 9);
    expect(r.coins).toBe(points[i]!.covered);
  });
}

describe('warehouse views and upserts (real PostgreSQL)', () => {
  let pgs: TestPostgres;
  const open: TestNode[] = [];
  beforeAll(async () => {
    pgs = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const n of open) await n.close().catch(() => {});
    pgs?.remove();
  });

  it('sum27 sums only the configured coins, and follows a change of Settings › Coins', async () => {
    pgs.psql('CREATE DATABASE views OWNER csn');
    const url = pgs.url('views');
    const t = await startNode(url);
    open.push(t);
    const n = t.node;
    seedCandles(n, 2);
    await until(() => caughtUp(n), 30_000, 'mirror caught up');
    const c = await pgClient(url);
    try {
      await expectSum27Equal(n, c, T0, T0 + 2 * DAY);
      const few = [...DEFAULT_COINS].slice(0, 5);
      const r = await n.call('settings.update', { coins: few });
      if (!r.ok) throw new Error(r.error.message);
      await until(
        async () => Number((await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM coin_sync.coins')).rows[0]!.n) === few.length,
        20_000,
        'the coin list in PostgreSQL',
      );
      // Every coin's rows are still mirrored; only the view narrows to the five.
      const all = await c.query<{ n: string }>('SELECT COUNT(DISTINCT coin) AS n FROM coin_sync.pt002');
      expect(Number(all.rows[0]!.n)).toBe(DEFAULT_COINS.length);
      await expectSum27Equal(n, c, T0, T0 + 2 * DAY);
      const top = await c.query<{ coins: number }>('SELECT max(coins) AS coins FROM coin_sync.sum27');
      expect(top.rows[0]!.coins).toBe(5);
    } finally {
      await c.end();
    }
  }, 60_000);

  it('rows changed after they were mirrored are updated in place: one row per key, values equal the node', async () => {
    pgs.psql('CREATE DATABASE upserts OWNER csn');
    const url = pgs.url('upserts');
    const t = await startNode(url, { pageRows: 2_000 });
    open.push(t);
    const n = t.node;
    seedCandles(n, 2);
    await until(() => caughtUp(n), 30_000, 'first mirror');
    // The same keys with new prices (a corrected backfill), plus a day of new keys.
    seedCandles(n, 2, T0, 5);
    seedCandles(n, 1, T0 + 2 * DAY);
    await until(() => caughtUp(n), 30_000, 'second mirror');
    const c = await pgClient(url);
    try {
      const sides = await bothSides(n, c);
      for (const [code, s] of sides) expect(s.pg, code).toEqual(s.sqlite);
      expect(sides.get('KL030')!.pg.length).toBe(3 * 48 * 27);
      const dup = await c.query('SELECT coin, bar, ts FROM coin_sync.kl030 GROUP BY 1, 2, 3 HAVING COUNT(*) > 1');
      expect(dup.rowCount).toBe(0);
      await expectSum27Equal(n, c, T0, T0 + 3 * DAY);
    } finally {
      await c.end();
    }
  }, 60_000);
  it('coin_sync.candles covers every timeframe (KL001…KLD01) with its bar, row for row with the node', async () => {
    pgs.psql('CREATE DATABASE tf OWNER csn');
    const url = pgs.url('tf');
    const t = await startNode(url);
    open.push(t);
    const n = t.node;
    // A day of each timeframe's closed bars for three coins, each bar a different price path.
    const coins = ['BTC', 'ETH', 'SOL'];
    const candles: CandleInput[] = CANDLE_BARS.flatMap((bar, bi) => {
      const { ms, offsetMs } = OKX_BARS[bar];
      const first = Math.ceil((T0 + offsetMs) / ms) * ms - offsetMs;
      return coins.flatMap((coin, ci) =>
        Array.from({ length: Math.max(1, Math.floor(DAY / ms)) }, (_, i) => {
          const p = 100 + ci * 10 + bi + Math.sin(i / 5);
          return {
            coin,
            bar,
            ts: first + i * ms,
            open: p,
            high: p + 1,
            low: p - 1,
            close: p + 0.5,
            vol: 1 + i + bi,
            volCcy: null,
            volCcyQuote: null,
            confirm: true,
          };
        }),
      );
    });
    n.market.grid.writeCandles(candles);
    await until(() => caughtUp(n), 60_000, 'mirror caught up');
    const c = await pgClient(url);
    try {
      const sqlite = (
        n.store.db
          .prepare('SELECT bar, coin, ts, open, high, low, close, vol FROM candles ORDER BY bar, coin, ts')
          .raw(true)
          .all() as unknown[][]
      ).map((r) => JSON.stringify(r));
      const view = await c.query({
        text: `SELECT bar, coin, (extract(epoch from ts) * 1000)::float8 AS ts, o, h, l, c, vol FROM coin_sync.candles ORDER BY bar COLLATE "C", coin COLLATE "C", ts`,
        rowMode: 'array',
      });
      expect(sqlite.length).toBe(candles.length);
      expect((view.rows as unknown[][]).map((r) => JSON.stringify(r))).toEqual(sqlite);
      const bars = await c.query<{ bar: string; n: string }>('SELECT bar, COUNT(*) AS n FROM coin_sync.candles GROUP BY bar');
      expect(new Set(bars.rows.map((r) => r.bar))).toEqual(new Set(CANDLE_BARS));
      expect(Number(bars.rows.find((r) => r.bar === '1m')!.n)).toBe(3 * 1_440);
    } finally {
      await c.end();
    }
  }, 90_000);
});
