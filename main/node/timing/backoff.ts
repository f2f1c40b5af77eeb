/**
 * The node's one retry policy: every loop that waits after a failure (the OKX WebSocket
 * reconnect, the collector's grid repair, a backfill page, a peer's sync run and change stream)
 * computes its wait here, with its own base and cap.
 */
export interface BackoffPolicy {
  /** The wait after the first failure. */
  baseMs: number;
  /** The longest wait, however many failures in a row. */
  maxMs: number;
  /**
   * Share of the step that is random, 0–1 (default 0.5, "equal jitter"): the wait lies in
   * [step × (1 − jitter), step], so it never exceeds `maxMs` and never drops below half a step.
   * Nodes that failed together (a dropped exchange, a restarted peer) do not retry together.
   */
  jitter?: number;
}

/**
 * The wait before retry number `failures` (1 = after the first failure): the step
 * `baseMs × 2^(failures − 1)`, capped at `maxMs`, less its random share. `random` is injectable so
 * a test can pin the bounds.
 */
export function backoffDelay(failures: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const doublings = Math.max(0, Math.min(30, Math.floor(failures) - 1));
  const step = Math.min(p.maxMs, p.baseMs * 2 ** doublings);
  const jitter = Math.max(0, Math.min(1, p.jitter ?? 0.5));
  return Math.round(step * (1 - jitter) + step * jitter * random());
}
