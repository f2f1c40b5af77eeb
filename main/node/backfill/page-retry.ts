/**
 * A page's failures: the retry queue with exponential backoff (`timing/backoff.ts`), and parking
 * a page that will not pass by waiting or has used its attempts. Both are recorded in the job
 * store and on the page row the run holds.
 */
import { formatDateTime } from '../market/grid-time.js';
import { OkxError } from '../okx/index.js';
import type { CandleEndpoint } from '../okx/candle-pages.js';
import { backoffDelay } from '../timing/backoff.js';
import type { PageRow } from './job-store.js';
import type { Via } from './page-commit.js';
import type { RunnerDeps } from './run-deps.js';

type RetryDeps = Pick<RunnerDeps, 'jobs' | 'log' | 'now' | 'retry' | 'store'>;

/** A request for the page failed: retried after a backoff, or parked at once when the exchange refused it. */
export function pageFailed(d: RetryDeps, p: PageRow, e: CandleEndpoint, err: unknown): void {
  if (!d.store.isOpen) return;
  const kind = err instanceof OkxError ? err.kind : 'network';
  const message = err instanceof Error ? err.message : String(err);
  // A refused request (unknown instrument, bad parameter) will not pass by waiting.
  if (kind === 'bad_request') {
    parkPage(d, p, e, `${kind}: ${message}`, p.attempts + 1);
    return;
  }
  const delay = backoffDelay(p.attempts + 1, d.retry);
  retryPageLater(d, p, e, `${kind}: ${message}`, null, delay);
}

export function retryPageLater(d: RetryDeps, p: PageRow, e: Via, error: string, gapSig: string | null, delayMs: number): void {
  const attempts = p.attempts + 1;
  if (attempts >= d.retry.maxAttempts) {
    parkPage(d, p, e, error, attempts);
    return;
  }
  const nextTryAt = d.now() + Math.round(delayMs);
  d.jobs.markFailed(p, { attempts, error, nextTryAt, gapSig, endpoint: e });
  Object.assign(p, { state: 'failed', attempts, lastError: error, nextTryAt, gapSig });
  d.log.warn(`${p.coin} ${formatDateTime(p.start)}: attempt ${attempts} failed (${error}); retrying in ${Math.round(delayMs)} ms`);
}

/** The page stays in the retry queue with its reason until "retry now". */
export function parkPage(d: RetryDeps, p: PageRow, e: Via, error: string, attempts: number): void {
  d.jobs.markFailed(p, { attempts, error, nextTryAt: null, gapSig: null, endpoint: e });
  Object.assign(p, { state: 'failed', attempts, lastError: error, nextTryAt: null, gapSig: null });
  d.log.error(`${p.coin} ${formatDateTime(p.start)}: giving up after ${attempts} attempts (${error}); the page stays in the retry queue`);
}
