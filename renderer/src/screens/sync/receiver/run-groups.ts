import type { SyncRun } from '../../../../../preload/contract';

/** A run-history row: one run, or every successful live push of one minute folded together. */
export interface RunGroup {
  key: string;
  run: SyncRun;
  /** How many live pushes this row stands for (1 for any other run). */
  count: number;
}

const routine = (r: SyncRun) => r.trigger === 'stream' && r.ok;

/**
 * Folds successful live pushes into one row per minute (newest first; counts and row totals summed),
 * so manual, startup, interval and failed runs keep their own rows and stay visible.
 */
export function groupRuns(runs: readonly SyncRun[]): RunGroup[] {
  const out: RunGroup[] = [];
  const byMinute = new Map<number, RunGroup>();
  for (const r of runs) {
    if (!routine(r)) {
      out.push({ key: `run-${r.id}`, run: r, count: 1 });
      continue;
    }
    const minute = Math.floor(r.startedAt / 60_000);
    const g = byMinute.get(minute);
    if (!g) {
      const group = { key: `push-${minute}`, run: { ...r }, count: 1 };
      byMinute.set(minute, group);
      out.push(group);
      continue;
    }
    g.count += 1;
    g.run = {
      ...g.run,
      durationMs: g.run.durationMs + r.durationMs,
      pages: g.run.pages + r.pages,
      rowsIn: g.run.rowsIn + r.rowsIn,
      rowsInserted: g.run.rowsInserted + r.rowsInserted,
      rowsUpdated: g.run.rowsUpdated + r.rowsUpdated,
    };
  }
  return out;
}

/** Keeps the newest `limit` live pushes and the newest `limit` other runs (as the node keeps them). */
export function keepRuns(runs: readonly SyncRun[], limit = 100): SyncRun[] {
  let pushes = 0;
  let others = 0;
  return runs.filter((r) => (routine(r) ? ++pushes <= limit : ++others <= limit));
}
