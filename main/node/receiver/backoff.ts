/** Timing knobs of the sync loops; tests shrink them, the defaults suit a real LAN. */
export interface BackoffPolicy {
  /** First retry delay after a failure. */
  baseMs: number;
  /** Longest delay between retries. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 300_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed, half random, so a
 * fleet of receivers that failed together does not retry together.
 */
export function backoffDelay(failures: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  return Math.round(step / 2 + (random() * step) / 2);
}
