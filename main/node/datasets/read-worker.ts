/**
 * One-shot reads off the main thread: a worker with its own read-only connection runs the given
 * statements and exits. For reads that visit every page (dbstat, COUNT(*) of a million-row table),
 * which held the node's event loop for ~0.5 s (tests/bench/warehouse.bench.ts).
 */
import { startSqliteWorker } from '../store/sqlite-worker.js';

export interface ReadQuery {
  sql: string;
  args: (string | number)[];
  /** 'value' = the first column of the first row; 'rows' = every row as an object. */
  mode: 'value' | 'rows';
}

export type ReadAnswer = { ok: true; value: unknown } | { ok: false; error: string };

// Evaluated in the worker (store/sqlite-worker.ts), after its read-only connection is open.
const WORKER_BODY = `
const out = workerData.queries.map((q) => {
  try {
    const st = db.prepare(q.sql);
    return { ok: true, value: q.mode === 'value' ? (st.pluck(true).get(...q.args) ?? null) : st.all(...q.args) };
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e) };
  }
});
db.close();
parentPort.postMessage(out);
`;

/** Runs `queries` in a fresh worker against the database at `file`; rejects if the worker fails. */
export function readOffThread(file: string, queries: ReadQuery[], nativeBinding?: string): Promise<ReadAnswer[]> {
  return new Promise((resolve, reject) => {
    const w = startSqliteWorker({
      file,
      nativeBinding,
      db: { readonly: true, timeout: 1000 },
      body: WORKER_BODY,
      data: { queries },
      onEnd: (e) => {
        if ('error' in e) reject(e.error);
        else if (e.exitCode !== 0) reject(new Error(`the read worker exited with code ${e.exitCode}`));
      },
    });
    w.worker.once('message', (m: ReadAnswer[]) => resolve(m));
  });
}
