/** Backfill: the engine, its persisted jobs and retry queue, coverage and the missing list. */

export { BackfillEngine, type BackfillDeps } from './engine.js';
export { Coverage } from './coverage.js';
export { BackfillJobStore } from './job-store.js';
export { DEFAULT_RETRY, type RetryPolicy } from './runner.js';
