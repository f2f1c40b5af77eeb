import type { SumPoint } from '../../../preload/contract/market.js';

/**
 * Thins a sum series to at most `maxPoints` for a chart that cannot show more than about one value
 * per pixel column anyway. Only real grid points are kept (never an average), so every value and
 * tooltip stays true. The series is cut into equal buckets of consecutive slots and each bucket
 * gives exactly two of its points, so the chart's axis (one slot per point) stays linear in time:
 * - a full bucket: its lowest and highest sum, in time order (the curve's envelope);
 * - an empty bucket: its first and last empty slot, so a missing run keeps its width and stays a
 *   break (findGaps in the renderer sees it with its first and last empty slot);
 * - a bucket where a missing run starts: the last point before it and its first empty slot; where
 *   one ends: its last empty slot and the first point after it, so the line stops and resumes on
 *   the real neighbours of the gap;
 * - the last bucket keeps the last point, where the live tail joins.
 * A series of `maxPoints` or fewer comes back as it is.
 */
export function downsampleSum(points: readonly SumPoint[], maxPoints: number): SumPoint[] {
  const n = points.length;
  if (n <= maxPoints) return [...points];
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = Math.ceil(n / buckets);
  const out: SumPoint[] = [];
  for (let a = 0; a < n; a += size) {
    for (const i of pickTwo(points, a, Math.min(n, a + size))) out.push(points[i]!);
  }
  return out;
}

/** The indices kept from bucket [a, b), ascending. */
function pickTwo(points: readonly SumPoint[], a: number, b: number): number[] {
  if (b - a === 1) return [a];
  let lo = -1;
  let hi = -1;
  let firstNull = -1;
  let firstDrawn = -1;
  let lastDrawn = -1;
  for (let i = a; i < b; i++) {
    const s = points[i]!.sum;
    if (s === null) {
      if (firstNull < 0) firstNull = i;
      continue;
    }
    if (firstDrawn < 0) firstDrawn = i;
    lastDrawn = i;
    if (lo < 0 || s < points[lo]!.sum!) lo = i;
    if (hi < 0 || s > points[hi]!.sum!) hi = i;
  }
  if (firstDrawn < 0) return [a, b - 1];
  if (firstNull >= 0) return firstNull > firstDrawn ? [firstNull - 1, firstNull] : [firstDrawn - 1, firstDrawn];
  if (b === points.length) {
    // The tail: the last point, and whichever extreme lies farther from it.
    const last = points[lastDrawn]!.sum!;
    const far = Math.abs(points[lo]!.sum! - last) > Math.abs(points[hi]!.sum! - last) ? lo : hi;
    return [far === lastDrawn ? a : far, lastDrawn];
  }
  if (lo === hi) return [a, b - 1];
  return lo < hi ? [lo, hi] : [hi, lo];
}

/** What a thinned series stands for: counts over every slot, not only the ones sent. */
export function sumCounts(points: readonly SumPoint[]): { slots: number; withSum: number; incomplete: number } {
  let withSum = 0;
  let incomplete = 0;
  for (const p of points) {
    if (p.sum === null) continue;
    withSum += 1;
    if (!p.complete) incomplete += 1;
  }
  return { slots: points.length, withSum, incomplete };
}
