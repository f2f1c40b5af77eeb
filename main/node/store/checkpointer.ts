/**
 * WAL checkpoints off the main thread. With SQLite's automatic checkpoint, the commit that crosses
 * 1,000 WAL pages copies them into the database file and fsyncs it, on the thread that committed:
 * during a 1 M-row initial sync that held the node's event loop for 100–400 ms at a time
 * (tests/bench/event-loop.bench.ts). Here the main connection turns automatic checkpoints off and a
 * worker thread with its own connection runs PASSIVE checkpoints, which never block a writer; if
 * the worker cannot start or dies, the main connection gets its automatic checkpoints back.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';

/** How often the worker checkpoints; the WAL stays a few MB even while a sync writes at full speed. */
const EVERY_MS = 250;
/** SQLite's default automatic checkpoint, restored when the worker is gone. */
const AUTO_PAGES = 1_000;
/** How long closing the store waits for the worker's connection to close. */
const CLOSE_WAIT_MS = 2_000;

// Plain CommonJS, evaluated in the worker: no separate bundle to build or ship. better-sqlite3 is
// loaded from the absolute path this module resolves, so it works from dist, tests and the app alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { nativeBinding: workerData.nativeBinding, timeout: 1000 });
db.pragma('busy_timeout = 1000');
const tick = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
};
const timer = setInterval(tick, workerData.everyMs);
parentPort.postMessage({ ready: true });
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  const closed = new Int32Array(workerData.closed);
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  parentPort.close();
});
`;

export class Checkpointer {
  private worker: Worker | null;
  private stopped = false;

  private constructor(
    private readonly db: Db,
    worker: Worker,
    /** Set to 1 by the worker once its connection is closed. */
    private readonly closed: Int32Array,
    private readonly onError: (message: string) => void,
  ) {
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: { error?: string }) => {
      if (m.error) this.onError(`WAL checkpoint failed: ${m.error}`);
    });
    worker.on('error', (e) => this.fallBack(`the checkpoint worker failed: ${e.message}`));
    worker.on('exit', () => this.fallBack(null));
  }

  /** Starts the worker for the database at `file`; the main connection stops checkpointing by itself. */
  static start(db: Db, file: string, o: { nativeBinding?: string; onError?: (message: string) => void } = {}): Checkpointer {
    const closed = new SharedArrayBuffer(4);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        closed,
        file,
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        nativeBinding: o.nativeBinding,
        everyMs: EVERY_MS,
      },
    });
    db.pragma('wal_autocheckpoint = 0');
    return new Checkpointer(db, worker, new Int32Array(closed), o.onError ?? (() => undefined));
  }

  /**
   * Ends the worker and waits (briefly, synchronously) until its connection is closed, so that once
   * the store is closed no thread touches the data folder; the main connection checkpoints again
   * (and fully when it closes).
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.worker) {
      this.worker.postMessage('stop');
      Atomics.wait(this.closed, 0, 0, CLOSE_WAIT_MS);
    }
    this.restoreAuto();
    this.worker = null;
  }

  private fallBack(why: string | null): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker = null;
    this.restoreAuto();
    if (why) this.onError(`${why}; checkpoints run on the main thread again`);
  }

  private restoreAuto(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
  }
}
