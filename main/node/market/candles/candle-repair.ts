/**
 * Repairs every collected timeframe from REST candles, the way gap-repair.ts does the 30-minute grid:
 * per coin and bar a watermark (the last closed bar known complete) lives in `collector_state`, and
 * every closed bar after it that the table lacks is fetched (`/market/candles` within its reach of
 * 1,440 bars, `/market/history-candles` beyond). Without a watermark (a fresh node, a newly enabled
 * timeframe) it looks back `lookbackMs` — the initial window on the first start.
 */
import type { CandleBar } from '../../../../preload/contract/candle-bars.js';
import { barOpenAt, OKX_BARS } from '../../okx/bars.js';
import { endpointFor, fetchWindow, splitWindows, type CandleInput } from '../../okx/candle-pages.js';
import { OKX_CANDLES_REACH_BARS } from '../../okx/endpoints.js';
import type { OkxRestClient } from '../../okx/rest-client.js';
import type { Store } from '../../store/store.js';
import type { GridWriter } from '../grid-writer.js';

const DAY = 86_400_000;
/** A bar counts as closed this long after its end: its confirm push normally lands within a second. */
export const CLOSE_GRACE_MS = 5_000;

export interface CandleRepairResult {
  requests: number;
  written: number;
  /** Per bar: candles written. */
  byBar: Partial<Record<CandleBar, number>>;
  requestsByBar: Partial<Record<CandleBar, number>>;
  failures: { coin: string; bar: CandleBar; error: string }[];
}

const markKey = (bar: string, coin: string) => `candles:repaired:${bar}:${coin}`;

export function readMark(store: Store, bar: string, coin: string): number | null {
  const v = store.db.prepare('SELECT value FROM collector_state WHERE key = ?').pluck(true).get(markKey(bar, coin)) as string | undefined;
  return v === undefined ? null : Number(v);
}

function writeMark(store: Store, bar: string, coin: string, ts: number, now: number): void {
  store.db
    .prepare(
      'INSERT INTO collector_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(markKey(bar, coin), String(ts), now);
}

/** The open of the newest bar of `bar` that is closed at `now` (with the grace above). */
export const lastClosedBar = (bar: CandleBar, now: number): number => barOpenAt(bar, now - CLOSE_GRACE_MS) - OKX_BARS[bar].ms;

export async function repairCandles(deps: {
  store: Store;
  rest: OkxRestClient;
  grid: GridWriter;
  coins: readonly string[];
  bars: readonly CandleBar[];
  now: number;
  /** How far back to look for a coin and bar without a watermark. Default: one day. */
  lookbackMs?: (bar: CandleBar) => number;
}): Promise<CandleRepairResult> {
  const { store, now } = deps;
  const present = store.db.prepare('SELECT ts FROM candles WHERE coin = ? AND bar = ? AND ts >= ? AND ts <= ? AND confirm = 1').pluck();
  const result: CandleRepairResult = { requests: 0, written: 0, byBar: {}, requestsByBar: {}, failures: [] };
  const jobs = deps.bars.flatMap((bar) => deps.coins.map((coin) => ({ bar, coin })));
  await Promise.all(
    jobs.map(async ({ bar, coin }) => {
      const size = OKX_BARS[bar].ms;
      const last = lastClosedBar(bar, now);
      const mark = readMark(store, bar, coin);
      // From a watermark, only what `/market/candles` still reaches; older history is backfill's job.
      const from =
        mark === null
          ? barOpenAt(bar, now - (deps.lookbackMs?.(bar) ?? DAY))
          : Math.max(mark + size, barOpenAt(bar, now) - (OKX_CANDLES_REACH_BARS - 1) * size);
      if (from > last) return;
      const have = new Set(present.all(coin, bar, from, last) as number[]);
      const missing: number[] = [];
      for (let t = from; t <= last; t += size) if (!have.has(t)) missing.push(t);
      try {
        if (missing.length) {
          const candles: CandleInput[] = [];
          for (const w of splitWindows(coin, bar, missing[0]!, missing[missing.length - 1]! + size)) {
            const page = await fetchWindow(deps.rest, w, endpointFor(bar, w.start, now));
            result.requests += 1;
            result.requestsByBar[bar] = (result.requestsByBar[bar] ?? 0) + 1;
            // Only closed bars: the forming one belongs to the socket (and the live candle cache).
            candles.push(...page.candles.filter((c) => c.ts <= last));
          }
          if (candles.length) {
            const r = deps.grid.writeCandles(candles.map((c) => ({ ...c, confirm: true })));
            result.written += r.changed;
            result.byBar[bar] = (result.byBar[bar] ?? 0) + r.changed;
          }
        }
        // What the exchange did not return (not listed yet, no trades) it does not have.
        writeMark(store, bar, coin, last, now);
      } catch (e) {
        result.failures.push({ coin, bar, error: (e as Error).message });
      }
    }),
  );
  return result;
}
