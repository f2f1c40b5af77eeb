/**
 * OKX candle bar sizes and their alignment (6H and longer open at UTC+8 midnight unless `utc`). Shared
 * by the client (paging maths in backfill) and the simulator (aggregation), so both agree on where a
 * bar opens.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
/** UTC+8 offset: OKX aligns 6H/12H/1D (and larger) to Asia/Shanghai midnight by default. */
export const UTC8_OFFSET_MS = 8 * HOUR;

export interface OkxBarSpec {
  /** Bar length in ms. */
  readonly ms: number;
  /** Alignment offset: a bar opens where (ts + offsetMs) % ms === 0. */
  readonly offsetMs: number;
}

export const OKX_BARS = {
  '1m': { ms: MIN, offsetMs: 0 },
  '3m': { ms: 3 * MIN, offsetMs: 0 },
  '5m': { ms: 5 * MIN, offsetMs: 0 },
  '15m': { ms: 15 * MIN, offsetMs: 0 },
  '30m': { ms: 30 * MIN, offsetMs: 0 },
  '1H': { ms: HOUR, offsetMs: 0 },
  '2H': { ms: 2 * HOUR, offsetMs: 0 },
  '4H': { ms: 4 * HOUR, offsetMs: 0 },
  '6H': { ms: 6 * HOUR, offsetMs: UTC8_OFFSET_MS },
  '12H': { ms: 12 * HOUR, offsetMs: UTC8_OFFSET_MS },
  '1D': { ms: 24 * HOUR, offsetMs: UTC8_OFFSET_MS },
  '6Hutc': { ms: 6 * HOUR, offsetMs: 0 },
  '12Hutc': { ms: 12 * HOUR, offsetMs: 0 },
  '1Dutc': { ms: 24 * HOUR, offsetMs: 0 },
} as const satisfies Record<string, OkxBarSpec>;

export type OkxBar = keyof typeof OKX_BARS;
export const OKX_BAR_NAMES = Object.keys(OKX_BARS) as OkxBar[];

export function isOkxBar(s: string): s is OkxBar {
  return Object.prototype.hasOwnProperty.call(OKX_BARS, s);
}

/** Open time of the bar that contains `ts`. */
export function barOpenAt(bar: OkxBar, ts: number): number {
  const { ms, offsetMs } = OKX_BARS[bar];
  return Math.floor((ts + offsetMs) / ms) * ms - offsetMs;
}

/** Start of the UTC+8 calendar day that contains `ts` (16:00 UTC of the previous UTC day). */
export function utc8DayStart(ts: number): number {
  return barOpenAt('1D', ts);
}

/** Start of the UTC calendar day that contains `ts`. */
export function utcDayStart(ts: number): number {
  return barOpenAt('1Dutc', ts);
}
