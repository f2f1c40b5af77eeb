import type { Migration } from './migration.js';

/**
 * Candles in every timeframe (issue 14): KL001…KLD01 are each one `bar` of the `candles` table, so
 * their change pages read `WHERE bar = ? AND seq > ? ORDER BY seq` — this index makes that a range
 * scan per timeframe instead of a walk of every bar's seqs. (Retention deletes by bar and ts, which
 * candles_ts(bar, ts) already serves.)
 */
export const m007CandleTimeframes: Migration = {
  version: 7,
  name: 'candle-timeframes',
  up: `CREATE INDEX candles_bar_seq ON candles(bar, seq);`,
};
