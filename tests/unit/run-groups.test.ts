import { describe, expect, it } from 'vitest';
import type { SyncRun } from '../../preload/contract.js';
import { groupRuns, keepRuns } from '../../renderer/src/screens/sync/receiver/run-groups.js';

let id = 0;
const run = (trigger: SyncRun['trigger'], startedAt: number, ok = true, rowsIn = 1): SyncRun => ({
  id: ++id,
  peerId: 'p',
  startedAt,
  durationMs: 2,
  trigger,
  datasets: ['PT001'],
  pages: 1,
  rowsIn,
  rowsInserted: 0,
  rowsUpdated: rowsIn,
  ok,
  error: ok ? null : 'refused',
});

describe('groupRuns', () => {
  it('folds successful live pushes into one row per minute and keeps every other run', () => {
    const m = 60_000 * 1_000;
    // Newest first, as the node answers.
    const runs = [
      run('stream', m + 61_000),
      run('stream', m + 59_000, false),
      run('stream', m + 30_000, true, 3),
      run('manual', m + 20_000),
      run('stream', m + 10_000, true, 2),
      run('stream', m + 1_000),
      run('startup', m),
    ];
    const g = groupRuns(runs);
    expect(g.map((x) => [x.run.trigger, x.count, x.run.ok])).toEqual([
      ['stream', 1, true],
      ['stream', 1, false],
      ['stream', 3, true],
      ['manual', 1, true],
      ['startup', 1, true],
    ]);
    expect(g[2]!.run.rowsIn).toBe(6);
    expect(g[2]!.run.durationMs).toBe(6);
  });

  it('keepRuns caps pushes and other runs separately', () => {
    const many = Array.from({ length: 150 }, (_, i) => run('stream', 1_000_000 - i));
    const kept = keepRuns([...many, run('startup', 0)], 100);
    expect(kept).toHaveLength(101);
    expect(kept.at(-1)!.trigger).toBe('startup');
  });
});
