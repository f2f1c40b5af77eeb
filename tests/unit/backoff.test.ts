import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../main/node/timing/backoff.js';
import { DEFAULT_BACKOFF } from '../../main/node/receiver/backoff.js';

describe('backoffDelay (the one retry policy)', () => {
  const p = { baseMs: 1_000, maxMs: 60_000 };

  it('doubles per failure from baseMs, with equal jitter inside [step/2, step]', () => {
    expect(backoffDelay(1, p, () => 0)).toBe(500);
    expect(backoffDelay(1, p, () => 1)).toBe(1_000);
    expect(backoffDelay(2, p, () => 1)).toBe(2_000);
    expect(backoffDelay(4, p, () => 0.5)).toBe(6_000);
    for (let failures = 1; failures <= 8; failures++) {
      const step = Math.min(p.maxMs, p.baseMs * 2 ** (failures - 1));
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(failures, p);
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      }
    }
  });

  it('never exceeds maxMs, even after very many failures (no overflow to Infinity)', () => {
    expect(backoffDelay(7, p, () => 1)).toBe(60_000);
    expect(backoffDelay(50, p, () => 1)).toBe(60_000);
    expect(backoffDelay(1e6, p, () => 1)).toBe(60_000);
    expect(backoffDelay(1e6, p, () => 0)).toBe(30_000);
  });

  it('treats zero or negative failures as the first, and jitter 0 as a fixed schedule', () => {
    expect(backoffDelay(0, p, () => 1)).toBe(1_000);
    expect(backoffDelay(-3, p, () => 1)).toBe(1_000);
    const fixed = { ...p, jitter: 0 };
    expect([1, 2, 3, 4].map((f) => backoffDelay(f, fixed))).toEqual([1_000, 2_000, 4_000, 8_000]);
    // A full-jitter policy spans [0, step]; an out-of-range jitter is clamped to it.
    expect(backoffDelay(3, { ...p, jitter: 1 }, () => 0)).toBe(0);
    expect(backoffDelay(3, { ...p, jitter: 5 }, () => 0)).toBe(0);
  });

  it('spreads nodes that failed together (Math.random by default)', () => {
    const spread = new Set(Array.from({ length: 40 }, () => backoffDelay(3, p)));
    expect(spread.size).toBeGreaterThan(10);
  });

  it("the receiver's default suits a LAN: 1–2 s first, 5 min at most", () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0)).toBe(1_000);
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 1)).toBe(2_000);
    expect(backoffDelay(100, DEFAULT_BACKOFF, () => 1)).toBe(300_000);
  });
});
