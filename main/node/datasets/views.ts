import type { SumSeries } from '../../../preload/contract/market.js';
import type { Cell } from '../store/sync-table.js';
import type { ViewContext, ViewQuery } from './types.js';

/** The 30-minute grid: UTC+8 is a whole-hour offset, so its grid points are UTC multiples of 30 min. */
export const GRID_MS = 30 * 60_000;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * CS001 from the market's read side (`market.queries.sumSeries`): every grid point in [from, to)
 * up to now, as [ts, sum_pct, coins, total] — sum_pct null where no coin has a value yet.
 */
export function sumSeriesViewFrom(sumSeries: (from: number, to: number) => SumSeries): ViewQuery {
  return ({ from, to }) => sumSeries(from, to).points.map((p) => [p.ts, p.sum, p.covered, p.total]);
}

/** CS001 straight from grid_prices, for a registry built without the market service (tests, tools). */
export const sumSeriesView: ViewQuery = ({ from, to }, ctx) => {
  const coins = ctx.coins();
  if (coins.length === 0) return [];
  const rows = ctx.db
    .prepare(
      `SELECT ts, SUM(change_pct), COUNT(change_pct) FROM grid_prices
       WHERE ts >= ? AND ts < ? AND change_pct IS NOT NULL AND coin IN (${placeholders(coins.length)})
       GROUP BY ts ORDER BY ts`,
    )
    .raw(true)
    .all(from, to, ...coins) as [number, number, number][];
  return rows.map(([ts, sum, n]) => [ts, sum, n, coins.length]);
};

export const sumSeriesCount = (ctx: ViewContext): number =>
  ctx.db.prepare('SELECT COUNT(DISTINCT ts) FROM grid_prices').pluck(true).get() as number;

/**
 * BF001 — grid cells (ts, coin) in [from, to), up to now, without a price, for the configured
 * coins. What is known without the backfill's bookkeeping: 'not_listed' (before the coin's list
 * time) or 'not_collected'. The backfill work replaces this (registry.register(def, {replace}))
 * with one that also knows 'no_candle' and 'queued'. Columns: ts, coin, reason.
 */
export const missingCellsView: ViewQuery = ({ from, to }, ctx) => {
  const coins = ctx.coins();
  const first = Math.ceil(from / GRID_MS) * GRID_MS;
  const end = Math.min(to, ctx.now() + 1);
  if (coins.length === 0 || first >= end) return [];
  const have = new Set(
    ctx.db
      .prepare(`SELECT coin || '|' || ts FROM grid_prices WHERE ts >= ? AND ts < ? AND coin IN (${placeholders(coins.length)})`)
      .pluck(true)
      .all(first, end, ...coins) as string[],
  );
  const listed = new Map(
    (
      ctx.db
        .prepare(`SELECT symbol, list_time FROM coins WHERE list_time IS NOT NULL AND symbol IN (${placeholders(coins.length)})`)
        .raw(true)
        .all(...coins) as [string, number][]
    ).map(([s, t]) => [s, t]),
  );
  const out: Cell[][] = [];
  for (let ts = first; ts < end; ts += GRID_MS) {
    for (const coin of coins) {
      if (have.has(`${coin}|${ts}`)) continue;
      const lt = listed.get(coin);
      out.push([ts, coin, lt !== undefined && ts < lt ? 'not_listed' : 'not_collected']);
    }
  }
  return out;
};
