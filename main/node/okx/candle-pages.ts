/**
 * The candle-page walker shared by backfill and the collector's gap repair (it sits below both): a window of bar opens
 * [start, end) is fetched with both cursors (after = end, before = start − 1, as ccxt does), and
 * the answer is checked against the window, so rows the exchange repeats across page boundaries,
 * rows outside the window and rows off the bar grid never reach the store.
 */
import { instIdOf } from '../../../preload/contract/coins.js';
import { barOpenAt, OKX_BARS, type OkxBar } from './bars.js';
import { OKX_CANDLES_MAX_LIMIT, OKX_CANDLES_REACH_BARS } from './endpoints.js';
import { OkxError } from './errors.js';
import type { OkxRestClient } from './rest-client.js';

/** One candle of one coin, as the store keeps it (market/grid-writer.ts writes these). */
export interface CandleInput {
  coin: string;
  bar: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  vol: number | null;
  volCcy: number | null;
  volCcyQuote: number | null;
  confirm: boolean;
}

export type CandleEndpoint = 'candles' | 'historyCandles';

export interface CandleWindow {
  coin: string;
  bar: OkxBar;
  /** First bar open (on the bar grid). */
  start: number;
  /** Exclusive end; at most 300 bars after start. */
  end: number;
}

export interface WindowAnswer {
  /** Unique, inside the window, oldest first. */
  candles: CandleInput[];
  /** Rows dropped for lying outside the window or off the grid. */
  outside: number;
  /** Identical rows the answer repeated. */
  duplicates: number;
}

/**
 * Bars we keep away from the edge of `/market/candles`' reach: the edge moves one bar per bar
 * while a job runs, and a page planned at the edge would come back short.
 */
const REACH_SAFETY_BARS = 48;

/** The first bar open at or after `ts`. */
export function barCeil(bar: OkxBar, ts: number): number {
  const open = barOpenAt(bar, ts);
  return open === ts ? ts : open + OKX_BARS[bar].ms;
}

/** `/market/candles` when the whole window is within its reach (latest 1,440 bars), else history. */
export function endpointFor(bar: OkxBar, start: number, now: number): CandleEndpoint {
  const size = OKX_BARS[bar].ms;
  const oldestReachable = barOpenAt(bar, now) - (OKX_CANDLES_REACH_BARS - 1 - REACH_SAFETY_BARS) * size;
  return start >= oldestReachable ? 'candles' : 'historyCandles';
}

/** Splits [start, end) (bar opens) into windows of at most `maxBars` bars, oldest first. */
export function splitWindows(coin: string, bar: OkxBar, start: number, end: number, maxBars = OKX_CANDLES_MAX_LIMIT): CandleWindow[] {
  const size = OKX_BARS[bar].ms;
  const out: CandleWindow[] = [];
  for (let a = barCeil(bar, start); a < end; a += maxBars * size) out.push({ coin, bar, start: a, end: Math.min(end, a + maxBars * size) });
  return out;
}

/** Bar opens the window should hold: from the coin's listing bar on, up to the bar open at `now`. */
export function expectedOpens(w: CandleWindow, listTime: number | null, now: number): number[] {
  const size = OKX_BARS[w.bar].ms;
  const first = Math.max(w.start, listTime === null ? w.start : barOpenAt(w.bar, listTime));
  const last = Math.min(w.end - size, barOpenAt(w.bar, now));
  const out: number[] = [];
  for (let t = barCeil(w.bar, first); t <= last; t += size) out.push(t);
  return out;
}

/** Fetches one window and validates the answer. Conflicting duplicates are an error worth a retry. */
export async function fetchWindow(rest: OkxRestClient, w: CandleWindow, endpoint: CandleEndpoint): Promise<WindowAnswer> {
  const size = OKX_BARS[w.bar].ms;
  // Bars opening in [start, end): end need not be on the grid (a job ending now).
  const bars = Math.ceil((w.end - w.start) / size);
  const q = {
    instId: instIdOf(w.coin),
    bar: w.bar,
    after: w.end,
    before: w.start - 1,
    limit: Math.min(OKX_CANDLES_MAX_LIMIT, Math.max(1, bars)),
  };
  const rows = endpoint === 'candles' ? await rest.candles(q) : await rest.historyCandles(q);
  const byTs = new Map<number, CandleInput>();
  let outside = 0;
  let duplicates = 0;
  for (const r of rows) {
    if (r.ts < w.start || r.ts >= w.end || barOpenAt(w.bar, r.ts) !== r.ts) {
      outside += 1;
      continue;
    }
    const c: CandleInput = {
      coin: w.coin,
      bar: w.bar,
      ts: r.ts,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      vol: r.vol,
      volCcy: r.volCcy,
      volCcyQuote: r.volCcyQuote,
      confirm: r.confirm === 1,
    };
    const seen = byTs.get(r.ts);
    if (seen) {
      if (seen.open !== c.open || seen.high !== c.high || seen.low !== c.low || seen.close !== c.close) {
        throw new OkxError(
          'malformed',
          `the exchange returned two different ${w.bar} candles for ${w.coin} at ${new Date(r.ts).toISOString()}`,
        );
      }
      duplicates += 1;
      continue;
    }
    byTs.set(r.ts, c);
  }
  return { candles: [...byTs.values()].sort((a, b) => a.ts - b.ts), outside, duplicates };
}
