import type pg from 'pg';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { BufferPool } from './copy-binary.js';
import type { PageWorker } from './page-worker.js';
import { preparePage, type PreparedPage, type SliceClock } from './page-reader.js';
import { dataErrorSentence, isDataError, writePage } from './page-writer.js';
import type { MirrorTable } from './schema.js';

/** Where one dataset's mirror stands on this connection. */
export interface Progress {
  seq: number;
  rows: number;
  lastWriteAt: number | null;
  error: string | null;
  code: string;
  /** Try the next page as a straight COPY (every key new so far). */
  direct: boolean;
  lag?: { at: number; rows: number; seq: number; maxSeq: number };
}

/** A merged page at least this big whose keys were all new makes the next page try a straight COPY. */
const DIRECT_MIN_ROWS = 1_000;

export interface DrainDeps {
  client: pg.Client;
  registry: DatasetRegistry;
  table: MirrorTable;
  progress: Progress;
  nodeId: string;
  pageRows: number;
  clock: SliceClock;
  pool: BufferPool;
  /** Reads and encodes pages off the main thread; null (or failed): read here, in slices. */
  worker: PageWorker | null;
  running: () => boolean;
  warn: (message: string) => void;
}

/**
 * Writes one dataset's change pages until it is caught up (or the mirror stops): the next page
 * is read and encoded while PostgreSQL writes the current one. A data error (a table altered by
 * hand, a stored value that does not fit) stops this dataset with a sentence; a connection error
 * is thrown to the mirror, which reconnects with backoff.
 */
export async function drainDataset(d: DrainDeps): Promise<void> {
  const { table: t, progress: p } = d;
  const source = d.registry.tableOf(t.code);
  const read = (since: number) =>
    d.worker && !d.worker.error
      ? d.worker.read(t, source, since, d.pageRows)
      : preparePage(d.registry, t, since, d.pageRows, d.clock, d.pool);
  const stop = (e: unknown) => {
    p.error = dataErrorSentence(t.qualified, e);
    d.warn(p.error);
  };
  let next = read(p.seq);
  while (d.running()) {
    let page: PreparedPage;
    try {
      page = await next;
    } catch (e) {
      if (!isDataError(e)) throw e;
      stop(e);
      return;
    }
    if (page.rows === 0) return;
    next = read(page.lastSeq);
    try {
      const w = await writePage(d.client, t, page, d.nodeId, p.direct);
      page.release?.();
      p.rows += w.inserted;
      // Straight COPY while every key is new (a first mirror, a backfill); a merged page full of
      // new keys says it may pay again.
      p.direct = w.direct || (page.rows >= DIRECT_MIN_ROWS && w.inserted === page.rows);
    } catch (e) {
      next.catch(() => {});
      if (!isDataError(e)) throw e;
      stop(e);
      return;
    }
    p.seq = page.lastSeq;
    p.lastWriteAt = Date.now();
  }
  await next.catch(() => {});
}
