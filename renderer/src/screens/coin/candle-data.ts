/**
 * Pure candle logic of the Coin screen: how much history each timeframe loads, candles as
 * lightweight-charts data (UTC+8 wall time in UTC seconds, like the sum chart), and folding a live
 * 'market.candle' push into the series held. No DOM, so tests/unit/coin-candles.test.ts runs it as is.
 */
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts';
import { CANDLE_BARS, type Candle, type CandleBar } from '../../../../preload/contract/coin';
import { UTC8_OFFSET_MS } from '../../../../preload/contract/grid-time';

export { CANDLE_BARS };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Length of one candle of each timeframe. */
export const BAR_MS: Record<CandleBar, number> = {
  '1m': MIN,
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '30m': 30 * MIN,
  '1H': HOUR,
  '4H': 4 * HOUR,
  '1D': DAY,
};

/**
 * History the chart loads per timeframe: about 10,000 candles or fewer, and inside the node's
 * 400-day range limit (market.candles answers one range; the rest is a scroll the user rarely does).
 */
export const WINDOW_MS: Record<CandleBar, number> = {
  '1m': 7 * DAY,
  '5m': 30 * DAY,
  '15m': 90 * DAY,
  '30m': 180 * DAY,
  '1H': 365 * DAY,
  '4H': 399 * DAY,
  '1D': 399 * DAY,
};

/**
 * The [from, to) a timeframe loads at `now`: its window back from the current minute, and `to` two
 * minutes ahead so a slightly fast node clock still shows its open candle.
 */
export function windowOf(bar: CandleBar, now: number): { from: number; to: number } {
  const minute = Math.floor(now / MIN) * MIN;
  return { from: minute - WINDOW_MS[bar], to: minute + 2 * MIN };
}

export const toChartTime = (ts: number) => ((ts + UTC8_OFFSET_MS) / 1000) as UTCTimestamp;

export interface Palette {
  rise: string;
  fall: string;
}

/** Volume bars: the candle's direction colour, see-through so candles read over them. */
const volumeColor = (c: Candle, p: Palette) => `${c.c >= c.o ? p.rise : p.fall}66`;

export const candleData = (c: Candle): CandlestickData<UTCTimestamp> => ({
  time: toChartTime(c.ts),
  open: c.o,
  high: c.h,
  low: c.l,
  close: c.c,
});

/** A candle's volume bar; a candle without volume gets a zero bar so both series share every time point. */
export const volumeData = (c: Candle, p: Palette): HistogramData<UTCTimestamp> => ({
  time: toChartTime(c.ts),
  value: c.vol ?? 0,
  color: volumeColor(c, p),
});

/** Rows as the two series' data; rows must be ascending (market.candles answers them so). */
export function toSeries(
  rows: readonly Candle[],
  p: Palette,
): { candles: CandlestickData<UTCTimestamp>[]; volumes: HistogramData<UTCTimestamp>[] } {
  const candles = new Array<CandlestickData<UTCTimestamp>>(rows.length);
  const volumes = new Array<HistogramData<UTCTimestamp>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const c = rows[i]!;
    candles[i] = candleData(c);
    volumes[i] = volumeData(c, p);
  }
  return { candles, volumes };
}

/** What a live push does to the held series. */
export type LiveFold = 'append' | 'replaceLast' | 'replaceEarlier' | 'ignore';

/**
 * Folds a pushed candle into `rows` in place: the open candle replaces the last one, a new one is
 * appended, a correction of an earlier candle (a repair) replaces it. A push older than every row
 * held is outside the window and ignored.
 */
export function foldLive(rows: Candle[], c: Candle): LiveFold {
  const last = rows[rows.length - 1];
  if (!last || c.ts > last.ts) {
    rows.push(c);
    return 'append';
  }
  if (c.ts === last.ts) {
    rows[rows.length - 1] = c;
    return 'replaceLast';
  }
  const i = indexOfTs(rows, c.ts);
  if (i < 0) return 'ignore';
  rows[i] = c;
  return 'replaceEarlier';
}

/** Binary search for a candle's ts in ascending rows; -1 when absent. */
export function indexOfTs(rows: readonly Candle[], ts: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = rows[mid]!.ts;
    if (v === ts) return mid;
    if (v < ts) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The timeframe a route or a stored choice names, else 1m. */
export const barOr1m = (s: string | null | undefined): CandleBar =>
  (CANDLE_BARS as readonly string[]).includes(s ?? '') ? (s as CandleBar) : '1m';
