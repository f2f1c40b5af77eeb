import { z } from 'zod';
import { CoinSymbol } from './coins.js';
import { Empty } from './core.js';
import { because } from './issues.js';
import type { CandleBar } from './candle-bars.js';

/**
 * Market data: live ticks, the 30-minute grid, the sum series (CS001), one day's table and CSV
 * exports. Timestamps are UTC epoch ms; days are 'YYYY-MM-DD' in UTC+8.
 */

/** The longest range one query or export may cover (a year and a bit of 30-minute points). */
export const MAX_RANGE_DAYS = 400;
const MAX_RANGE_MS = MAX_RANGE_DAYS * 86_400_000;
/** 2009-01-03, the first bitcoin block; 2100-01-01. Anything outside is a typo, not a query. */
const MIN_TS = 1_230_940_800_000;
const MAX_TS = 4_102_444_800_000;

/** Messages name no field: describeZodError prefixes the field's path ("from: must be ..."). */
export const epochMs = z
  .number({ error: 'must be a number of milliseconds since 1970 (UTC)' })
  .int('must be a whole number of milliseconds')
  .min(MIN_TS, 'must not be before 2009-01-03')
  .max(MAX_TS, 'must not be after 2100-01-01');

/** to − from of a parsed range (the generic object type hides the two fields from TypeScript). */
const span = (r: unknown): number => (r as { from: number; to: number }).to - (r as { from: number; to: number }).from;

/**
 * A strict input object holding a [from, to) range of at most MAX_RANGE_DAYS, plus the caller's other
 * fields. The caller writes the whole shape so the field order (and so the order of error sentences) is its own.
 */
export const timeRange = <T extends z.ZodRawShape & { from: typeof epochMs; to: typeof epochMs }>(shape: T) =>
  z
    .object(shape)
    .strict()
    .refine((r) => span(r) > 0, because('range_reversed', 'must be later than from', { path: ['to'] }))
    .refine(
      (r) => span(r) <= MAX_RANGE_MS,
      because('range_too_long', `must be at most ${MAX_RANGE_DAYS} days after from`, { path: ['to'], params: { days: MAX_RANGE_DAYS } }),
    );

const isCalendarDay = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === s;
};
export const DaySchema = z
  .string({ error: 'must be a date written YYYY-MM-DD' })
  .refine(isCalendarDay, because('calendar_day', 'must be a calendar date written YYYY-MM-DD, such as 2026-01-16'));

/** Where a price came from. Extend by appending; stored as text. */
export const MarketSource = z.enum(['ws', 'rest', 'backfill', 'repair', 'sim']);
export type MarketSource = z.infer<typeof MarketSource>;

/**
 * CSV kinds: the full grid, the 27-sum series, and the missing list (BF001, with reasons from backfill).
 */
export const CsvKind = z.enum(['full', 'sum', 'missing'], { error: 'must be "full", "sum" or "missing"' });
export type CsvKind = z.infer<typeof CsvKind>;
export const CsvLang = z.enum(['en', 'zh-CN'], { error: 'must be "en" or "zh-CN"' });
export type CsvLang = z.infer<typeof CsvLang>;

export const marketInputs = {
  'market.status': Empty,
  'market.live': Empty,
  'market.stored': Empty,
  'market.sumSeries': timeRange({
    from: epochMs,
    to: epochMs,
    /**
     * At most about this many points (a chart's pixel width × 2): a longer series comes back
     * thinned to real points that keep its envelope, its gaps and its incomplete runs, with
     * `sampled` counting every slot. Omitted: every grid point.
     */
    maxPoints: z
      .number({ error: 'must be a number of points' })
      .int('must be a whole number of points')
      .min(100, 'must be at least 100')
      .max(100_000, 'must be at most 100,000')
      .optional(),
  }),
  'market.day': z.object({ date: DaySchema }).strict(),
  'export.csv': timeRange({
    kind: CsvKind,
    from: epochMs,
    to: epochMs,
    /** Header language; numbers and dates are the same in both. */
    lang: CsvLang.default('en'),
    /**
     * Only these coins (the History screen's visible filter), for "full" and "missing"; omitted
     * means every coin. The "sum" series is always the sum over all coins.
     */
    coins: z.array(CoinSymbol).max(100).optional(),
  }),
};

export interface PriceSpeed {
  /** Change % over the last 1 / 5 / 15 minutes; null until that much history is held. */
  m1: number | null;
  m5: number | null;
  m15: number | null;
}

/** PT001 + PS001 for one coin. */
export interface LiveRow {
  coin: string;
  price: number;
  ts: number;
  source: MarketSource;
  /** UTC+8 day of `ts`; the baseline and change % belong to this day. */
  day: string;
  baseline: number | null;
  /** 'grid' = the stored 00:00 UTC+8 grid price; 'sodUtc8' = the exchange's field, until the grid has it. */
  baselineSource: 'grid' | 'sodUtc8' | null;
  changePct: number | null;
  speed: PriceSpeed;
}

export interface LiveSum {
  /** Time of the newest tick counted. */
  ts: number | null;
  day: string | null;
  sum: number | null;
  covered: number;
  total: number;
  complete: boolean;
}

export interface LiveSnapshot {
  coins: string[];
  rows: LiveRow[];
  sum: LiveSum;
}

/** One CS001 point. `sum` is null when no coin has a value at `ts`. */
export interface SumPoint {
  ts: number;
  sum: number | null;
  covered: number;
  total: number;
  complete: boolean;
}

export interface SumSeries {
  from: number;
  to: number;
  coins: string[];
  points: SumPoint[];
  /** Present when `maxPoints` was asked for: counts over every grid slot, whether or not it was sent. */
  sampled?: { slots: number; withSum: number; incomplete: number; thinned: boolean };
}

/** Why a grid cell has no value (BF001). Extend by appending. */
export type MissingReason = 'not_collected' | 'future' | 'not_listed' | 'no_candle' | 'queued' | 'disputed';

export interface DayRow {
  ts: number;
  /** 'HH:mm' UTC+8. */
  time: string;
  /** Aligned with DayTable.coins. */
  prices: (number | null)[];
  changes: (number | null)[];
  missing: (MissingReason | null)[];
  sum: number | null;
  covered: number;
  total: number;
  complete: boolean;
}

export interface DayTable {
  date: string;
  coins: string[];
  /** The day's 00:00 UTC+8 price, high and low per coin (PB001), aligned with coins. */
  baselines: (number | null)[];
  highs: (number | null)[];
  lows: (number | null)[];
  rows: DayRow[];
}

export interface CsvFile {
  filename: string;
  mime: 'text/csv;charset=utf-8';
  /** Begins with the UTF-8 BOM (U+FEFF) so Excel reads it as UTF-8. */
  content: string;
  rows: number;
}

export type DerivStreamName = 'markPrice' | 'fundingRate' | 'openInterest' | 'books5' | 'liquidations' | 'swapTickers';

export interface StreamCounters {
  wsMessages: number;
  restCalls: number;
  reconnects: number;
  errors: number;
  malformed: number;
  rateLimited: number;
}

export interface StreamStatus {
  /** The collector's two grid streams, 'candles:<bar>' one more timeframe each, and the derivatives streams (market/derivs/, named as in settings.streams). */
  name: 'tickers' | 'candles' | `candles:${CandleBar}` | DerivStreamName;
  mode: 'ws' | 'rest' | 'down';
  lastMessageAt: number | null;
  lastMessageAgeMs: number | null;
  counters: StreamCounters;
  lastError: string | null;
}

export interface CoinFreshness {
  coin: string;
  lastTickTs: number | null;
  ageMs: number | null;
  source: MarketSource | null;
  lastGridTs: number | null;
}

export interface BaselineMismatch {
  coin: string;
  day: string;
  /** Our 00:00 UTC+8 grid price. */
  computed: number;
  sodUtc8: number;
  /** (sodUtc8 − computed) / computed × 100. */
  diffPct: number;
  checkedAt: number;
}

export interface ClockCheck {
  /** Exchange time minus local time, ms; null until checked. */
  skewMs: number | null;
  checkedAt: number | null;
  /** True when |skew| exceeds the collector's threshold. */
  warning: boolean;
}

/** What the collector reports; the market service adds freshness and baseline checks. */
export interface CollectorReport {
  state: 'not_started' | 'starting' | 'running' | 'stopping' | 'stopped' | 'error';
  detail: string | null;
  streams: StreamStatus[];
  clock: ClockCheck;
}

export interface MarketStatus extends CollectorReport {
  now: number;
  coins: CoinFreshness[];
  baselineMismatches: BaselineMismatch[];
  /** The baseline tolerance, %: a difference above it is a mismatch. */
  mismatchTolerancePct: number;
}

/**
 * PT001 as stored, whoever wrote it: on a node without a collector (or before its first tick) these
 * are the latest prices synced from peers, with the day's baseline (PB001) and where they came from.
 */
export interface StoredPrice {
  coin: string;
  price: number;
  /** Time of the tick, UTC epoch ms. */
  ts: number;
  source: MarketSource;
  /** UTC+8 day of `ts`. */
  day: string;
  /** PB001 for `day` if held, else the baseline stored with the tick. */
  baseline: number | null;
  changePct: number | null;
  /** When this node stored the row (for a synced row: when the peer wrote it). */
  updatedAt: number;
  /** True when this node wrote the row itself. */
  local: boolean;
  /** The receiver peer whose data this is (matched by its origin id); null if local or unknown. */
  peer: { id: string; name: string } | null;
}

export interface StoredMarket {
  /** False when this node runs without a collector (headless --no-collect). */
  collecting: boolean;
  coins: string[];
  /** One row per selected coin that has a stored PT001 row. */
  rows: StoredPrice[];
}

export interface MarketOutputs {
  'market.status': MarketStatus;
  'market.live': LiveSnapshot;
  'market.stored': StoredMarket;
  'market.sumSeries': SumSeries;
  'market.day': DayTable;
  'export.csv': CsvFile;
}

export interface MarketEvents {
  /** Every accepted tick: the coin's live row and the live sum after it. */
  'market.tick': { row: LiveRow; sum: LiveSum };
  /** Once per batch of ticks (a REST poll updates every coin at once). */
  'market.sum': LiveSum;
  /** Grid rows changed in [from, to) for these coins; refetch the sum series for that range. */
  'market.grid': { from: number; to: number; coins: string[]; changed: number };
  /** A new or changed baseline mismatch. */
  'market.mismatch': BaselineMismatch;
  /** The collector's periodic status. */
  'market.status': MarketStatus;
}
