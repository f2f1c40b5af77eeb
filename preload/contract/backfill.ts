import { z } from 'zod';
import { CoinSymbol } from './coins.js';
import { Empty, type LogLine } from './core.js';
import { because } from './issues.js';
import { epochMs, timeRange, type MissingReason } from './market.js';

/**
 * Backfill: one job = coins × [from, to) × bar, split into pages of at most 300 bars,
 * fetched at the exchange's rate limit, with a persisted retry queue, coverage and missing list.
 * One job runs at a time: a second `backfill.start` while one runs is refused as `busy` (not queued).
 */

/** OKX candle bar sizes a job accepts (the REST bar list; a unit test keeps it equal to the client's). */
export const BACKFILL_BARS = ['1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H', '6H', '12H', '1D', '6Hutc', '12Hutc', '1Dutc'] as const;
export const BackfillBarSchema = z.enum(BACKFILL_BARS, { error: `must be one of ${BACKFILL_BARS.join(', ')}` });
export type BackfillBar = z.infer<typeof BackfillBarSchema>;

export const backfillInputs = {
  'backfill.start': timeRange({
    from: epochMs,
    to: epochMs,
    coins: z
      .array(CoinSymbol)
      .min(1, 'choose at least one coin')
      .max(100, 'at most 100 coins')
      .refine((c) => new Set(c).size === c.length, because('coins_duplicate', 'a coin is listed twice'))
      .optional(),
    bar: BackfillBarSchema.default('30m'),
  }),
  'backfill.status': Empty,
  'backfill.stop': Empty,
  /** Resumes the given job, or the latest stopped or interrupted one. */
  'backfill.resume': z.object({ jobId: z.number().int().min(1).optional() }).strict(),
  /** Makes queued pages due now (all of the job's, or just these page ids) and runs them. */
  'backfill.retryNow': z.object({ pageIds: z.array(z.number().int().min(1)).max(10_000).optional() }).strict(),
  'backfill.coverage': timeRange({ from: epochMs, to: epochMs, coins: z.array(CoinSymbol).min(1).max(100).optional() }),
  'backfill.missing': timeRange({
    from: epochMs,
    to: epochMs,
    coins: z.array(CoinSymbol).min(1).max(100).optional(),
    limit: z.number().int().min(1).max(200_000).default(50_000),
  }),
};

export type BackfillJobState = 'running' | 'stopping' | 'stopped' | 'interrupted' | 'done';

export interface BackfillJob {
  id: number;
  bar: BackfillBar;
  from: number;
  /** Clamped to the end of the bar open when the job was created. */
  to: number;
  coins: string[];
  state: BackfillJobState;
  createdAt: number;
  finishedAt: number | null;
  /** Time spent running, summed over every run (stops and resumes). */
  activeMs: number;
  /** Coins whose listing is after the range start: [coin, list time]. Their earlier cells are "not listed". */
  lateListed: { coin: string; listTime: number }[];
}

export interface BackfillProgress {
  jobId: number;
  state: BackfillJobState;
  pagesTotal: number;
  pagesDone: number;
  /** Pages that failed and wait in the retry queue (due later, or parked after too many attempts). */
  pagesQueued: number;
  /** Of the queued pages, those that gave up retrying by themselves (retry now wakes them). */
  pagesParked: number;
  /** Candles received and stored. */
  bars: number;
  /** Rows that really changed (candles, grid points, baselines), i.e. took a new seq. */
  rowsWritten: number;
  /** Requests to the exchange (pages a peer served cost none). */
  requests: number;
  /** Exchange requests the pages peers served would have needed (issue 12). */
  savedRequests: number;
  /** Requests per second over the last few seconds, and the exchange's published limit for the endpoints in use. */
  requestsPerSec: number;
  limitPerSec: number;
  rateLimited: number;
  /** ms left at the paced rate; null when done or unknown. */
  etaMs: number | null;
  /** e.g. "BTC 2026-01-03 08:00 → 2026-01-09 14:00 via candles". */
  current: string | null;
  percent: number;
}

export interface RetryEntry {
  pageId: number;
  coin: string;
  from: number;
  to: number;
  attempts: number;
  lastError: string;
  /** null = parked: no more automatic retries; "retry now" wakes it. */
  nextTryAt: number | null;
}

export interface BackfillSourceShare {
  servedBy: string;
  peer: boolean;
  pages: number;
  bars: number;
  saved: number;
}

export interface BackfillPageSource {
  pageId: number;
  coin: string;
  from: number;
  to: number;
  bars: number;
  servedBy: string;
  peer: boolean;
}

export interface BackfillStatus {
  job: BackfillJob | null;
  progress: BackfillProgress | null;
  retryQueue: RetryEntry[];
  /** Resumable jobs other than `job` (stopped or interrupted). */
  resumable: { id: number; state: BackfillJobState; from: number; to: number; bar: BackfillBar; coins: number }[];
  resumeOnStart: boolean;
  /** Done pages of the job per source: a peer's name or the exchange host, and the exchange requests peers saved. */
  sources: BackfillSourceShare[];
  /** The latest done pages (newest first) with where each came from. */
  recentPages: BackfillPageSource[];
  /** The job-scoped log (newest last); follow `log.line` with source "backfill" for more. */
  log: LogLine[];
}

export interface CoverageCell {
  /** Grid points of that day and coin in the range, up to now. */
  expected: number;
  present: number;
  notListed: number;
  noCandle: number;
  queued: number;
  notCollected: number;
  /** Two sources disagreed on the value and the exchange has not decided yet (issue 12). */
  disputed: number;
}

export interface BackfillCoverage {
  from: number;
  to: number;
  days: string[];
  coins: string[];
  /** cells[dayIndex][coinIndex]. */
  cells: CoverageCell[][];
  totals: CoverageCell;
}

export interface MissingCell {
  ts: number;
  coin: string;
  reason: MissingReason;
}

export interface BackfillMissing {
  from: number;
  to: number;
  total: number;
  truncated: boolean;
  rows: MissingCell[];
}

export interface BackfillOutputs {
  'backfill.start': BackfillStatus;
  'backfill.status': BackfillStatus;
  'backfill.stop': BackfillStatus;
  'backfill.resume': BackfillStatus;
  'backfill.retryNow': BackfillStatus;
  'backfill.coverage': BackfillCoverage;
  'backfill.missing': BackfillMissing;
}

export interface BackfillEvents {
  /** At most a few times a second while a job runs, and on every state change. */
  'backfill.progress': BackfillProgress;
  /** The desktop notifier listens for this name. `failed` = pages left in the retry queue. */
  'backfill.finished': { jobId: number; rows: number; coins: number; durationMs: number; failed: number };
}
