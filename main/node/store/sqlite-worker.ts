/**
 * The one way this node starts a worker thread with its own SQLite connection (the WAL
 * checkpointer, the merge writer, the warehouse page reader, the one-shot dataset reads).
 *
 * Each worker's body is plain CommonJS evaluated in the worker: no separate bundle to build or
 * ship, so the same code runs from dist/, under tsx in tests and inside the app. better-sqlite3 is
 * loaded in the worker from the absolute path this module resolves, and `nativeBinding` (the
 * Electron build of the addon, when the app runs) is passed to its constructor.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How the worker's connection is opened (better-sqlite3's options beside the file and the binding). */
export interface WorkerDbOptions {
  readonly?: boolean;
  /** better-sqlite3's busy timeout in ms. */
  timeout: number;
}

/** How a worker ended: an uncaught error in it, or an exit (with its code). */
export type WorkerEnd = { error: Error } | { exitCode: number };

export interface SqliteWorkerOptions {
  /** The database file (the store's path). */
  file: string;
  nativeBinding?: string;
  db: WorkerDbOptions;
  /**
   * The worker's own code. In scope: `parentPort`, `workerData`, the open connection `db`, and
   * `closeDb()`, which closes it, tells a waiting `stopAndWait` so, and closes the port.
   */
  body: string;
  /** More of `workerData` for the body. */
  data?: Record<string, unknown>;
  /** Called once, for the first of the worker's error or its exit. */
  onEnd?: (end: WorkerEnd) => void;
}

// `closed` (set to 1 once the connection is closed) lets the main thread wait for it synchronously:
// a store that closes must know that no thread touches the data folder any more.
const PRELUDE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { ...workerData.dbOptions, nativeBinding: workerData.nativeBinding });
const closeDb = () => {
  db.close();
  const closed = new Int32Array(workerData.closed);
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  parentPort.close();
};
`;

export interface SqliteWorker {
  readonly worker: Worker;
  /** Resolves when the worker has exited, for whatever reason. */
  readonly exited: Promise<void>;
  /** Posts 'stop' (the body answers it with `closeDb()`) and waits, at most `waitMs`, until the connection is closed. */
  stopAndWait(waitMs: number): void;
}

/** Starts `o.body` in a worker thread with its own connection to `o.file`. */
export function startSqliteWorker(o: SqliteWorkerOptions): SqliteWorker {
  const closedBuf = new SharedArrayBuffer(4);
  const closed = new Int32Array(closedBuf);
  const dbOptions = { ...(o.db.readonly ? { readonly: true, fileMustExist: true } : {}), timeout: o.db.timeout };
  const worker = new Worker(`${PRELUDE}\n${o.body}`, {
    eval: true,
    workerData: {
      ...o.data,
      closed: closedBuf,
      file: o.file,
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      nativeBinding: o.nativeBinding,
      dbOptions,
    },
  });
  let ended = false;
  const end = (e: WorkerEnd) => {
    if (ended) return;
    ended = true;
    o.onEnd?.(e);
  };
  worker.on('error', (error) => end({ error }));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (exitCode) => {
      end({ exitCode });
      resolve();
    }),
  );
  return {
    worker,
    exited,
    stopAndWait(waitMs) {
      worker.postMessage('stop');
      Atomics.wait(closed, 0, 0, waitMs);
    },
  };
}

/** A worker's end in words for a log line: "the <name> failed: …", or null for an exit. */
export function endMessage(name: string, e: WorkerEnd): string | null {
  return 'error' in e ? `the ${name} failed: ${e.error.message}` : null;
}
