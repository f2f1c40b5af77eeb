/**
 * WAL checkpoints off the main thread. With SQLite's automatic checkpoint, the commit that crosses
 * 1,000 WAL pages copies them into the database file and fsyncs it, on the thread that committed:
 * during a 1 M-row initial sync that held the node's event loop for 100–400 ms at a time
 * (tests/bench/event-loop.bench.ts). Here the main connection turns automatic checkpoints off and a
 * worker thread with its own connection runs PASSIVE checkpoints, which never block a writer; if
 * the worker cannot start or dies, the main connection gets its automatic checkpoints back.
 */
import type { Db } from './db.js';
import { endMessage, startSqliteWorker, type SqliteWorker } from './sqlite-worker.js';

/** How often the worker checkpoints; the WAL stays a few MB even while a sync writes at full speed. */
const EVERY_MS = 250;
/** SQLite's default automatic checkpoint, restored when the worker is gone. */
const AUTO_PAGES = 1_000;
/** How long closing the store waits for the worker's connection to close. */
const CLOSE_WAIT_MS = 2_000;

// Evaluated in the worker (sqlite-worker.ts), after its connection is open.
const WORKER_BODY = `
db.pragma('busy_timeout = 1000');
const tick = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
};
const timer = setInterval(tick, workerData.everyMs);
parentPort.postMessage({ ready: true });
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  closeDb();
});
`;

export class Checkpointer {
  private worker: SqliteWorker | null;
  private stopped = false;

  private constructor(
    private readonly db: Db,
    file: string,
    nativeBinding: string | undefined,
    private readonly onError: (message: string) => void,
  ) {
    this.worker = startSqliteWorker({
      file,
      nativeBinding,
      db: { timeout: 1000 },
      body: WORKER_BODY,
      data: { everyMs: EVERY_MS },
      onEnd: (e) => this.fallBack(endMessage('checkpoint worker', e)),
    });
    this.worker.worker.unref();
    this.worker.worker.on('message', (m: { error?: string }) => {
      if (m.error) this.onError(`WAL checkpoint failed: ${m.error}`);
    });
  }

  /** Starts the worker for the database at `file`; the main connection stops checkpointing by itself. */
  static start(db: Db, file: string, o: { nativeBinding?: string; onError?: (message: string) => void } = {}): Checkpointer {
    const c = new Checkpointer(db, file, o.nativeBinding, o.onError ?? (() => undefined));
    db.pragma('wal_autocheckpoint = 0');
    return c;
  }

  /**
   * Ends the worker and waits (briefly, synchronously) until its connection is closed, so that once
   * the store is closed no thread touches the data folder; the main connection checkpoints again
   * (and fully when it closes).
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker?.stopAndWait(CLOSE_WAIT_MS);
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
