/** Backfill (issue 4): the engine, its persisted jobs and retry queue, coverage and the missing list. */
import { builtinDatasets } from '../datasets/builtin.js';
import type { ViewDatasetDef } from '../datasets/types.js';
import type { Coverage } from './coverage.js';

export { BackfillEngine, type BackfillDeps } from './engine.js';
export { Coverage } from './coverage.js';
export { BackfillJobStore } from './job-store.js';
export { DEFAULT_RETRY, type RetryPolicy } from './runner.js';
export * from './candle-pages.js';

/**
 * BF001 with the backfill's reasons (no_candle, queued besides not_listed, not_collected): the
 * built-in entry's catalog metadata with this query, registered with `{ replace: true }`.
 */
export function missingDataset(coverage: Coverage): ViewDatasetDef {
  const base = builtinDatasets.find((d): d is ViewDatasetDef => d.code === 'BF001' && d.kind === 'view');
  if (!base) throw new Error('the built-in dataset list has no BF001 view');
  return {
    ...base,
    description: 'Grid cells (time, coin) without a price, with the reason: not_listed, no_candle, queued or not_collected.',
    query: ({ from, to }, ctx) => coverage.missing(from, to, ctx.coins()).rows.map((r) => [r.ts, r.coin, r.reason]),
  };
}
