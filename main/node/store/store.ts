import { Checkpointer } from './checkpointer.js';
import { openDb, type Db, type OpenDbOptions } from './db.js';
import { MergeWriter } from './merge-writer.js';
import { ensureNodeId } from './meta.js';
import { Sequencer } from './sequencer.js';
import { SyncTable } from './sync-table.js';
import { syncTableDefs, type SyncTableName } from './tables.js';

export interface CommitInfo {
  table: string;
  rows: number;
  maxSeq: number;
}

/**
 * The node's SQLite store: one file, its sequencer and its syncable tables. Writes go through
 * `write()`, a short synchronous transaction; listeners hear about committed changes afterwards,
 * never from inside the transaction.
 */
export class Store {
  readonly nodeId: string;
  readonly seq: Sequencer;
  readonly tables: { [K in SyncTableName]: SyncTable };
  private readonly pending = new Map<string, number>();
  private readonly listeners = new Set<(c: CommitInfo) => void>();
  private depth = 0;
  private closed = false;
  private checkpointer: Checkpointer | null = null;
  private writer: MergeWriter | null = null;
  /** How many main-thread writes wait for the write lock; the merge worker lets them go first. */
  private readonly wanted = new Int32Array(new SharedArrayBuffer(4));

  private constructor(
    readonly db: Db,
    readonly path: string,
    readonly schemaVersion: number,
  ) {
    this.nodeId = ensureNodeId(db);
    const names = Object.keys(syncTableDefs) as SyncTableName[];
    this.seq = new Sequencer(db, names);
    this.tables = Object.fromEntries(
      names.map((n) => [n, new SyncTable(db, this.seq, syncTableDefs[n], (rows) => this.touch(n, rows))]),
    ) as Store['tables'];
  }

  /**
   * `checkpointInWorker`: the running node's store hands WAL checkpoints to a worker thread
   * (store/checkpointer.ts); short-lived stores (tools, tests seeding a folder) keep SQLite's own.
   */
  /**
   * `mergeInWorker`: received pages are merged by a worker thread with its own connection
   * (store/merge-writer.ts), reached through `mergeWriter`.
   */
  static open(
    dataDir: string,
    opts: OpenDbOptions & { checkpointInWorker?: boolean; mergeInWorker?: boolean; onError?: (m: string) => void } = {},
  ): Store {
    const { db, path, schemaVersion } = openDb(dataDir, opts);
    const store = new Store(db, path, schemaVersion);
    if (opts.checkpointInWorker) {
      store.checkpointer = Checkpointer.start(db, path, { nativeBinding: opts.nativeBinding, onError: opts.onError });
    }
    if (opts.mergeInWorker) {
      try {
        store.writer = MergeWriter.start({
          file: path,
          nativeBinding: opts.nativeBinding,
          seq: store.seq.shared.buffer as SharedArrayBuffer,
          wanted: store.wanted.buffer as SharedArrayBuffer,
          noAutoCheckpoint: store.checkpointer !== null,
          budgetMs: 10,
          onCommitted: (c) => store.emit([c]),
          onGone: (why) => why && opts.onError?.(`${why}; received pages are written on the main thread again`),
        });
      } catch (e) {
        // A worker that cannot start is not a reason to refuse the data folder: merge here instead.
        opts.onError?.(`the merge worker did not start (${(e as Error).message}); received pages are written on the main thread`);
      }
    }
    return store;
  }

  /** The merge worker when it runs (absent in short-lived stores, or after it failed). */
  get mergeWriter(): MergeWriter | null {
    return this.writer?.available ? this.writer : null;
  }

  /**
   * Runs `fn` in one transaction; nested calls join the outer one. IMMEDIATE: the write lock is
   * taken at BEGIN, so the sequence read by `seq.begin()` cannot change under it (another
   * connection, the merge worker, may write too).
   */
  write<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth += 1;
    let result: T;
    Atomics.add(this.wanted, 0, 1);
    try {
      result = this.db
        .transaction(() => {
          this.seq.begin();
          const r = fn();
          this.seq.flush();
          return r;
        })
        .immediate();
    } catch (e) {
      this.pending.clear();
      throw e;
    } finally {
      this.depth -= 1;
      Atomics.sub(this.wanted, 0, 1);
      Atomics.notify(this.wanted, 0);
    }
    this.announce();
    return result;
  }

  onCommit(listener: (c: CommitInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer?.stop();
    this.checkpointer?.stop();
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private touch(table: string, rows: number): void {
    if (rows > 0) this.pending.set(table, (this.pending.get(table) ?? 0) + rows);
  }

  private announce(): void {
    if (this.pending.size === 0) return;
    const maxSeq = this.seq.value;
    const changes = [...this.pending].map(([table, rows]) => ({ table, rows, maxSeq }));
    this.pending.clear();
    this.emit(changes);
  }

  private emit(changes: readonly CommitInfo[]): void {
    for (const c of changes) for (const l of this.listeners) l(c);
  }
}
