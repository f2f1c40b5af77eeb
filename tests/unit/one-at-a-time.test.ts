import { describe, expect, it } from 'vitest';
import { OneAtATime } from '../../main/node/timing/one-at-a-time.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('OneAtATime', () => {
  it('runs one at a time; requests during a run make exactly one more run, with the first request’s argument', async () => {
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const job = new OneAtATime<string>(
      async (why) => {
        runs.push(why);
        await new Promise<void>((r) => (release = r));
      },
      () => true,
    );
    job.request('start');
    job.request('a');
    job.request('b');
    await tick();
    expect(runs).toEqual(['start']);
    release();
    await tick();
    expect(runs).toEqual(['start', 'start']);
    release();
    await job.settle(1_000);
    expect(runs).toEqual(['start', 'start']);
    // Idle again: the next request starts a run of its own.
    job.request('later');
    await tick();
    release();
    await job.settle(1_000);
    expect(runs).toEqual(['start', 'start', 'later']);
  });

  it('makes no further run once `again` says no, and settle gives up at its deadline', async () => {
    let on = true;
    let runs = 0;
    let release: () => void = () => undefined;
    const job = new OneAtATime<null>(
      async () => {
        runs += 1;
        await new Promise<void>((r) => (release = r));
      },
      () => on,
    );
    job.request(null);
    job.request(null);
    // The run hangs (a slow exchange): a stop waits 50 ms for it, not longer.
    const t0 = Date.now();
    await job.settle(50);
    expect(Date.now() - t0).toBeLessThan(1_000);
    // Its owner stopped: the requested run after it does not happen.
    on = false;
    release();
    await tick();
    expect(runs).toBe(1);
  });
});
