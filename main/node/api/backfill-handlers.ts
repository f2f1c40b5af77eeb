import type { BackfillEngine, Coverage } from '../backfill/index.js';
import type { HandlersOf } from './types.js';

/** Backfill control, coverage and missing list. Inputs arrive validated by the contract's schemas. */
export function backfillHandlers(deps: {
  engine: BackfillEngine;
  coverage: Coverage;
  coins: () => readonly string[];
}): HandlersOf<
  | 'backfill.start'
  | 'backfill.status'
  | 'backfill.stop'
  | 'backfill.resume'
  | 'backfill.retryNow'
  | 'backfill.coverage'
  | 'backfill.missing'
> {
  const { engine, coverage } = deps;
  return {
    'backfill.start': (input) => engine.startJob(input),
    'backfill.status': () => engine.statusOf(),
    'backfill.stop': () => engine.stopJob(),
    'backfill.resume': ({ jobId }) => engine.resume(jobId),
    'backfill.retryNow': ({ pageIds }) => engine.retryNow(pageIds),
    'backfill.coverage': ({ from, to, coins }) => coverage.coverage(from, to, coins ?? deps.coins()),
    'backfill.missing': ({ from, to, coins, limit }) => {
      const m = coverage.missing(from, to, coins ?? deps.coins(), limit);
      return { from, to, total: m.total, truncated: m.total > m.rows.length, rows: m.rows };
    },
  };
}
