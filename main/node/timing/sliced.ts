import { yieldToLoop } from './yield.js';

/**
 * Runs `work(from, to)` over `[0, n)` in runs of `step` items, yielding to the event loop whenever
 * the work since the last yield took `budgetMs`: one long synchronous pass (a page's checksum and
 * row checks) becomes many short ones. `work` may throw; nothing after the throw runs.
 */
export async function inSlices(n: number, step: number, budgetMs: number, work: (from: number, to: number) => void): Promise<void> {
  let since = performance.now();
  for (let from = 0; from < n; from += step) {
    work(from, Math.min(n, from + step));
    if (performance.now() - since >= budgetMs && from + step < n) {
      await yieldToLoop();
      since = performance.now();
    }
  }
}
