/**
 * Received pages merged off the main thread. Writing a 1 M-row initial sync on the main connection
 * kept the node's event loop ~93% busy, and on a loaded machine its loop delay p99 stayed at
 * 45–95 ms however small the slices (tests/bench/event-loop.bench.ts). Here a worker thread with
 * its own connection runs the merge: WAL lets two connections share the file, SQLite's write lock
 * orders their transactions, and the change sequence is shared with the main connection through
 * memory both read only while holding that lock (store/sequencer.ts). A page's cursor row is
 * written in the same transaction as its last rows, as on the main thread, so a crash loses no
 * committed data and never moves a cursor past rows it did not write.
 */
import { endMessage, startSqliteWorker, type SqliteWorker } from './sqlite-worker.js';
import type { Cell } from './sync-table.js';

/** How long closing the store waits for the worker's connection to close. */
const CLOSE_WAIT_MS = 2_000;

/** A statement run in the page's last transaction; the writer appends the page's inserted and updated counts. */
export interface AfterStatement {
  sql: string;
  params: Cell[];
}

export interface MergeJob {
  table: string;
  /** SyncTable.sql: the statements the main thread would run, so both write the same way. */
  insertNew: string;
  merge: string;
  /** The page's verified rows as runs of JSON without brackets (receiver/page-verify.ts). */
  json: string[];
  /** Where the table's columns, origin and updated_at sit in those rows (-1: null). */
  layout: { pick: number[]; originAt: number; updatedAt: number };
  after: AfterStatement | null;
}

export interface Committed {
  table: string;
  rows: number;
  maxSeq: number;
}

// Evaluated in the worker (sqlite-worker.ts), after its connection is open.
const WORKER_BODY = `
db.pragma('busy_timeout = 2000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// The checkpoint worker owns checkpoints when it runs; otherwise SQLite's own run here, off the main thread.
if (workerData.noAutoCheckpoint) db.pragma('wal_autocheckpoint = 0');
const seq = new BigInt64Array(workerData.seq);
const wanted = new Int32Array(workerData.wanted);
const readSeq = db.prepare("SELECT value FROM meta WHERE key = 'seq'").pluck(true);
const saveSeq = db.prepare("INSERT INTO meta (key, value) VALUES ('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
const stmts = new Map();
const prep = (sql) => { let s = stmts.get(sql); if (!s) { s = db.prepare(sql); stmts.set(sql, s); } return s; };
const BUDGET_MS = workerData.budgetMs;
let sliceRows = 250;

function slice(job, rows, seqAt, totals, last) {
  const insertNew = prep(job.insertNew);
  const merge = prep(job.merge);
  let changed = 0;
  let cur = 0;
  db.transaction(() => {
    const start = Math.max(Number(Atomics.load(seq, 0)), Number(readSeq.get() ?? 0));
    cur = start;
    for (const r of rows) {
      r[seqAt] = cur + 1;
      if (insertNew.run(r).changes > 0) totals.inserted += 1;
      else if (merge.run(r).changes > 0) totals.updated += 1;
      else continue;
      cur += 1;
      changed += 1;
    }
    if (last && job.after) prep(job.after.sql).run([...job.after.params, totals.inserted, totals.updated]);
    if (cur > start) {
      saveSeq.run(String(cur));
      Atomics.store(seq, 0, BigInt(cur));
    }
  }).immediate();
  if (changed > 0) parentPort.postMessage({ committed: { table: job.table, rows: changed, maxSeq: cur } });
}

// Each row as the statements' parameters: [...cells, seq (set per slice), origin, updatedAt].
function rowsOf(job) {
  const { pick, originAt, updatedAt } = job.layout;
  const out = [];
  for (const run of job.json) {
    for (const raw of JSON.parse('[' + run + ']')) {
      const r = new Array(pick.length + 3);
      for (let i = 0; i < pick.length; i++) r[i] = pick[i] < 0 ? null : raw[pick[i]];
      r[pick.length] = null;
      r[pick.length + 1] = raw[originAt];
      r[pick.length + 2] = raw[updatedAt];
      out.push(r);
    }
  }
  return out;
}

function run(job) {
  const totals = { inserted: 0, updated: 0 };
  job.rows = rowsOf(job);
  const seqAt = job.layout.pick.length;
  for (let start = 0; ;) {
    // The main thread asked for the write lock: let it have it before the next transaction.
    for (let v = Atomics.load(wanted, 0); v > 0; v = Atomics.load(wanted, 0)) Atomics.wait(wanted, 0, v, 20);
    const rows = job.rows.slice(start, start + sliceRows);
    start += rows.length;
    const last = start >= job.rows.length;
    const t0 = performance.now();
    slice(job, rows, seqAt, totals, last);
    if (rows.length > 0) {
      const ms = performance.now() - t0;
      const ideal = (rows.length * BUDGET_MS) / Math.max(ms, 0.5);
      sliceRows = Math.round(Math.min(5000, Math.max(50, Math.min(rows.length * 2, Math.max(rows.length / 2, ideal)))));
    }
    if (last) return totals;
  }
}

parentPort.on('message', (m) => {
  if (m === 'stop') {
    closeDb();
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, done: run(m.job) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});
parentPort.postMessage({ ready: true });
`;

type Reply =
  { ready: true } | { committed: Committed } | { id: number; done: { inserted: number; updated: number } } | { id: number; error: string };

/** What the merge writer is started with (see `MergeWriter.start`). */
export interface MergeWriterOptions {
  file: string;
  nativeBinding?: string;
  seq: SharedArrayBuffer;
  wanted: SharedArrayBuffer;
  noAutoCheckpoint: boolean;
  budgetMs: number;
  onCommitted: (c: Committed) => void;
  onGone: (why: string | null) => void;
}

export class MergeWriter {
  private worker: SqliteWorker | null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: { inserted: number; updated: number }) => void; reject: (e: Error) => void }>();
  private readonly onGone: (why: string | null) => void;

  private constructor(o: MergeWriterOptions) {
    this.onGone = o.onGone;
    this.worker = startSqliteWorker({
      file: o.file,
      nativeBinding: o.nativeBinding,
      db: { timeout: 2000 },
      body: WORKER_BODY,
      data: { seq: o.seq, wanted: o.wanted, noAutoCheckpoint: o.noAutoCheckpoint, budgetMs: o.budgetMs },
      onEnd: (e) => this.gone(endMessage('merge worker', e)),
    });
    this.worker.worker.unref();
    this.worker.worker.on('message', (m: Reply) => {
      if ('committed' in m) o.onCommitted(m.committed);
      else if ('id' in m) {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if ('error' in m) p?.reject(new Error(m.error));
        else p?.resolve(m.done);
      }
    });
  }

  /**
   * `seq` and `wanted` are the store's shared sequence and "main thread wants the write lock"
   * counter (store/store.ts).
   */
  static start(o: MergeWriterOptions): MergeWriter {
    return new MergeWriter(o);
  }

  get available(): boolean {
    return this.worker !== null;
  }

  /** Merges the rows in time-budgeted transactions, `after` in the last; resolves once all committed. */
  merge(job: MergeJob): Promise<{ inserted: number; updated: number }> {
    const worker = this.worker?.worker;
    if (!worker) return Promise.reject(new Error('The merge worker is not running.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Only the first ask keeps the process alive; the worker is unref'd when idle.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, job });
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.worker.unref();
    }) as Promise<{ inserted: number; updated: number }>;
  }

  /** Ends the worker after its current job and waits (briefly) until its connection is closed. */
  stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.stopAndWait(CLOSE_WAIT_MS);
    this.rejectAll('The store closed while a page was being written; it is pulled again on the next run.');
  }

  private gone(why: string | null): void {
    if (!this.worker) return;
    this.worker = null;
    this.rejectAll(why ?? 'The merge worker stopped.');
    this.onGone(why);
  }

  private rejectAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}
