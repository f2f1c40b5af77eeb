import { describe, expect, it } from 'vitest';
import type { SumPoint } from '../../preload/contract/market.js';
import { GRID_MS } from '../../preload/contract/grid-time.js';
import { downsampleSum, sumCounts } from '../../main/node/market/sum-downsample.js';
import { findGaps } from '../../renderer/src/screens/market/gaps.js';
import { JAN16 } from './market-fixture.js';

const DAY_SLOTS = 48;

/** A year of slots: a seeded walk, one whole day missing, one lone empty slot, an incomplete week, the current point empty. */
function year(): SumPoint[] {
  let seed = 11;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  let s = 0;
  const n = 365 * DAY_SLOTS;
  return Array.from({ length: n }, (_, i) => {
    s += (rand() - 0.5) * 2;
    const ts = JAN16 + i * GRID_MS;
    const missing = (i >= 200 * DAY_SLOTS && i < 201 * DAY_SLOTS) || i === 50 * DAY_SLOTS + 7 || i === n - 1;
    const covered = i >= 300 * DAY_SLOTS && i < 307 * DAY_SLOTS ? 26 : 27;
    return missing
      ? { ts, sum: null, covered: 0, total: 27, complete: false }
      : { ts, sum: Number(s.toFixed(4)), covered, total: 27, complete: covered === 27 };
  });
}

describe('downsampleSum', () => {
  it('returns a series that already fits as it is', () => {
    const pts = year().slice(0, 30 * DAY_SLOTS);
    expect(downsampleSum(pts, 2_000)).toEqual(pts);
  });

  it('thins a year to real points, two per bucket, keeping the envelope, every gap and the tail', () => {
    const pts = year();
    const max = 1_200;
    const out = downsampleSum(pts, max);
    expect(out.length).toBeLessThanOrEqual(max);
    expect(out.length).toBeGreaterThan(max * 0.95);
    // Only real points, in time order, never an invented value.
    const inputs = new Set(pts);
    for (const p of out) expect(inputs.has(p)).toBe(true);
    for (let i = 1; i < out.length; i++) expect(out[i]!.ts).toBeGreaterThan(out[i - 1]!.ts);
    // Two points per bucket: the k-th pair lies in the k-th bucket, so the axis stays linear in time.
    const size = Math.ceil(pts.length / (max / 2));
    out.forEach((p, i) => expect(Math.floor((p.ts - JAN16) / GRID_MS / size)).toBe(Math.floor(i / 2)));
    // The envelope: the year's lowest and highest sums are drawn.
    const sums = pts.flatMap((p) => (p.sum === null ? [] : [p.sum]));
    const drawn = out.flatMap((p) => (p.sum === null ? [] : [p.sum]));
    expect(Math.min(...drawn)).toBe(Math.min(...sums));
    expect(Math.max(...drawn)).toBe(Math.max(...sums));
    // The missing day is a gap with the same first and last empty slot, between its real neighbours.
    const day = findGaps(pts).find((g) => g.last - g.first + 1 === DAY_SLOTS)!;
    const thinDay = findGaps(out).find((g) => g.from === day.from)!;
    expect(thinDay).toBeDefined();
    expect(thinDay.to).toBe(day.to);
    expect(out[thinDay.before]).toBe(pts[day.before]);
    expect(out[thinDay.after]).toBe(pts[day.after]);
    // The lone empty slot still breaks the line.
    const lone = pts[50 * DAY_SLOTS + 7]!;
    expect(findGaps(out).some((g) => g.from <= lone.ts && g.to > lone.ts)).toBe(true);
    // The incomplete week stays incomplete where it is drawn; the last drawn point is the real last one.
    const week = out.filter((p) => p.ts >= pts[300 * DAY_SLOTS]!.ts && p.ts < pts[307 * DAY_SLOTS]!.ts);
    expect(week.length).toBeGreaterThan(0);
    expect(week.every((p) => !p.complete)).toBe(true);
    expect(out.at(-1)).toBe(pts.at(-1));
    expect(out.at(-2)).toBe(pts.at(-2));
  });

  it('counts every slot, not only the ones sent', () => {
    const pts = year();
    expect(sumCounts(pts)).toEqual({ slots: 365 * DAY_SLOTS, withSum: 365 * DAY_SLOTS - DAY_SLOTS - 2, incomplete: 7 * DAY_SLOTS });
  });
});
