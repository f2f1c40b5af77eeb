import type { DerivStreamName } from '../../../../preload/contract/market.js';
import { OkxError } from '../../okx/index.js';
import { backoffDelay, type BackoffPolicy } from '../../timing/backoff.js';
import { StreamTracker } from '../collector/stream-tracker.js';
import type { StreamContext, StreamSpec } from './streams.js';

/** After a failed REST poll (429 included) a stream waits 2 s, doubling up to a minute. */
const POLL_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 60_000 };

/** One derivatives stream as it runs: its status, its last push, and its REST poll's schedule. */
export interface RunState {
  tracker: StreamTracker;
  /** Wall time of the last push of this stream. */
  lastPushWall: number | null;
  nextPollAt: number;
  pollFailures: number;
  polling: boolean;
}

export const newRun = (name: DerivStreamName): RunState => ({
  tracker: new StreamTracker(name),
  lastPushWall: null,
  nextPollAt: 0,
  pollFailures: 0,
  polling: false,
});

/**
 * One REST poll of a stream whose pushes stopped. A success brings a 'down' stream to 'rest'; a
 * failure backs off this stream alone (the other streams use other endpoints and keep their pace)
 * and, unless it was a rate limit, marks it down.
 */
export async function pollStream(spec: StreamSpec, r: RunState, ctx: StreamContext, now: () => number): Promise<void> {
  r.polling = true;
  try {
    await spec.poll!(ctx);
    r.tracker.message(now(), 'rest');
    r.tracker.lastError = null;
    r.pollFailures = 0;
    r.nextPollAt = Date.now() + spec.pollMs;
    if (r.tracker.mode === 'down') r.tracker.mode = 'rest';
  } catch (e) {
    const kind = e instanceof OkxError ? e.kind : 'network';
    r.tracker.error(`REST ${spec.name}: ${(e as Error).message}`, kind);
    r.pollFailures++;
    r.nextPollAt = Date.now() + Math.max(spec.pollMs, backoffDelay(r.pollFailures, POLL_BACKOFF));
    if (kind !== 'rate_limited') r.tracker.mode = 'down';
  } finally {
    r.polling = false;
  }
}
