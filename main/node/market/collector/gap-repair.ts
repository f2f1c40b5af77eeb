import type { OkxRestClient } from '../../okx/index.js';
import { fetchWindow, splitWindows } from '../../okx/candle-pages.js';
import type { MarketSource } from '../../../../preload/contract/market.js';
import type { Store } from '../../store/store.js';
import type { GridWriter, CandleInput } from '../grid-writer.js';
import { dayStartOf, GRID_MS, gridFloor } from '../grid-time.js';

/** `/market/candles` reaches the latest 1,440 bars: 30 days of 30-minute bars. */
export const CANDLES_REACH_MS = 1_440 * GRID_MS;

export interface RepairResult {
  coins: number;
  requests: number;
  pointsWritten: number;
  failures: { coin: string; error: string }[];
}

/**
 * Per coin, the grid point up to which the grid is known complete (or the exchange has nothing),
 * kept in `collector_state` so a restart or a long sleep repairs exactly what it missed.
 */
class Watermarks {
  constructor(private readonly store: Store) {}
  get(coin: string): number | null {
    const row = this.store.db.prepare('SELECT value FROM collector_state WHERE key = ?').get(`repaired:${coin}`) as
      { value: string } | undefined;
    return row ? Number(row.value) : null;
  }
  set(coin: string, ts: number, now: number): void {
    this.store.db
      .prepare(
        'INSERT INTO collector_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(`repaired:${coin}`, String(ts), now);
  }
}

/**
 * Fills the grid points the collector missed (an outage, a sleep, a fresh start) from the REST
 * 30-minute candles. It looks at every point after the coin's watermark — not just after the newest
 * stored point, because the socket may already have written the current one past a hole — from
 * today's 00:00 UTC+8 on a fresh node (so the baseline exists), at most 30 days back (the reach of
 * `/market/candles`; older history is backfill's job).
 */
export async function repairGaps(deps: {
  store: Store;
  rest: OkxRestClient;
  grid: GridWriter;
  coins: readonly string[];
  now: number;
  source?: MarketSource;
}): Promise<RepairResult> {
  const { store, rest, grid, now } = deps;
  const current = gridFloor(now);
  const oldest = current - CANDLES_REACH_MS + GRID_MS;
  const marks = new Watermarks(store);
  const present = store.db.prepare('SELECT ts FROM grid_prices WHERE coin = ? AND ts >= ? AND ts <= ?').pluck();
  const result: RepairResult = { coins: 0, requests: 0, pointsWritten: 0, failures: [] };

  await Promise.all(
    deps.coins.map(async (coin) => {
      const mark = marks.get(coin);
      const from = Math.max(mark === null ? dayStartOf(now) : mark + GRID_MS, oldest);
      if (from > current) return;
      const have = new Set(present.all(coin, from, current) as number[]);
      const missing: number[] = [];
      for (let t = from; t <= current; t += GRID_MS) if (!have.has(t)) missing.push(t);
      if (missing.length === 0) {
        marks.set(coin, current, now);
        return;
      }
      result.coins += 1;
      const first = missing[0]!;
      const last = missing[missing.length - 1]!;
      try {
        // The shared page walker: both cursors per window, answers checked against the window.
        const candles: CandleInput[] = [];
        for (const w of splitWindows(coin, '30m', first, last + GRID_MS)) {
          const page = await fetchWindow(rest, w, 'candles');
          result.requests += 1;
          candles.push(...page.candles);
        }
        if (candles.length) {
          const r = grid.writeCandles(candles, { gridSource: deps.source ?? 'repair' });
          result.pointsWritten += r.grid?.changed ?? 0;
        }
        // What the exchange did not return for these bars (not listed yet, no trades) it does not have.
        marks.set(coin, current, now);
      } catch (e) {
        result.failures.push({ coin, error: (e as Error).message });
      }
    }),
  );
  return result;
}
