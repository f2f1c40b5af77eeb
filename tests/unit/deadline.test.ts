import { describe, expect, it } from 'vitest';
import { withinDeadline } from '../../main/node/timing/deadline.js';

const after = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));
const failAfter = (ms: number, message: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms));

describe('withinDeadline (stop with a deadline)', () => {
  it("answers 'done' as soon as the work settles, without waiting for the deadline", async () => {
    const t0 = performance.now();
    expect(await withinDeadline(after(20, 'x'), 5_000)).toBe('done');
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it("answers 'late' at the deadline while the work goes on", async () => {
    let finished = false;
    const work = after(400, null).then(() => (finished = true));
    const t0 = performance.now();
    expect(await withinDeadline(work, 50)).toBe('late');
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(45);
    expect(waited).toBeLessThan(350);
    expect(finished).toBe(false);
    await work;
    expect(finished).toBe(true);
  });

  it('accepts a synchronous stop (void) as done', async () => {
    expect(await withinDeadline(undefined, 10)).toBe('done');
  });

  it('throws a failure that comes before the deadline', async () => {
    await expect(withinDeadline(failAfter(10, 'socket exploded'), 1_000)).rejects.toThrow('socket exploded');
  });

  it('drops a failure that comes after the deadline instead of leaving it unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(await withinDeadline(failAfter(60, 'too late to matter'), 10)).toBe('late');
      await after(120, null);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
