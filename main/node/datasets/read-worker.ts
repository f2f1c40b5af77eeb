/**
 * One-shot reads off the main thread: a worker with its own read-only connection runs the given
 * statements and exits. For reads that visit every page (dbstat, COUNT(*) of a million-row table),
 * which held the node's event loop for ~0.5 s (tests/bench/warehouse.bench.ts).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface ReadQuery {
  sql: string;
  args: (string | number)[];
  /** 'value' = the first column of the first row; 'rows' = every row as an object. */
  mode: 'value' | 'rows';
}

export type ReadAnswer = { ok: true; value: unknown } | { ok: false; error: string };

// Plain CommonJS evaluated in the worker (like store/checkpointer.ts): nothing extra to build or ship.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding, timeout: 1000 });
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
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, queries, nativeBinding, module: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    worker.once('message', (m: ReadAnswer[]) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the read worker exited with code ${code}`));
    });
  });
}
