/**
 * What one backfill run needs: its retry policy, its collaborators, and the shape of its part of
 * the job's progress.
 */
import type { BackfillProgress } from '../../../preload/contract/backfill.js';
import type { GridWriter } from '../market/grid-writer.js';
import type { Logger } from '../log/logger.js';
import type { OkxRestClient } from '../okx/index.js';
import type { Store } from '../store/store.js';
import type { BackfillJobStore } from './job-store.js';
import type { BackoffPolicy } from '../timing/backoff.js';
import type { PeerRun } from './peer-run.js';
import type { Disputes } from './disputes.js';

/** How a failed page is retried: its waits follow the node's one backoff (`timing/backoff.ts`). */
export interface RetryPolicy extends BackoffPolicy {
  /** After this many attempts a page is parked: it stays in the queue with its reason until "retry now". */
  maxAttempts: number;
  /** Delay before re-asking a page whose answer had a hole, to tell a real gap from a short answer. */
  gapConfirmMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 8, gapConfirmMs: 500 };

export interface RunnerDeps {
  store: Store;
  jobs: BackfillJobStore;
  rest: OkxRestClient;
  grid: GridWriter;
  log: Logger;
  now: () => number;
  retry: RetryPolicy;
  /** Told after every page (done or failed). */
  onChange: () => void;
  /** The peers of this run (pages with a source); none: every page goes to the exchange. */
  peers?: PeerRun;
  /** The exchange host, named as a page's source. */
  exchangeHost: () => string;
  /** Cross-checks a peer's candles with those already stored (issue 12); none: peers' values are taken as they come. */
  disputes?: Disputes;
  /** Difference in the open (percent) beyond which two sources disagree; 0 = any. */
  tolerancePct?: () => number;
}

/** The run's part of the job's progress; the engine adds the job's id and state, 429 count and percent. */
export type RunSnapshot = Omit<BackfillProgress, 'jobId' | 'state' | 'rateLimited' | 'percent' | 'savedRequests'>;
