import type { DatasetRegistry } from '../datasets/registry.js';
import { yieldToLoop } from '../timing/yield.js';
import { BinaryTupleWriter, type BufferPool } from './copy-binary.js';
import type { MirrorTable } from './schema.js';

/** A change page encoded as binary COPY tuples: chunks, how many rows and the seq of the last one. */
export interface PreparedPage {
  /** Tuples only: the COPY header and trailer are added when the page is sent. */
  chunks: Buffer[];
  rows: number;
  lastSeq: number;
  /** Gives the chunks' memory back for the next pages, once the page is written (nothing reads them after). */
  release?: () => void;
}

/** One synchronous read + encode stays under this, so timers, sockets and IPC keep moving. */
export const SLICE_BUDGET_MS = 4;
const MIN_SLICE = 200;
const MAX_SLICE = 20_000;

/**
 * Sizes the synchronous slices of a page read from what the last ones cost: the page reader's
 * cost per row depends on the table's width and the machine, so a fixed row count is either
 * too small (slow) or too big (a stall); this aims each slice at the time budget.
 */
export class SliceClock {
  private rows = 2_000;

  constructor(private readonly budgetMs = SLICE_BUDGET_MS) {}

  get size(): number {
    return this.rows;
  }

  /** After a slice of `rows` rows took `ms`: the next slice's size, smoothed so one GC pause does not halve it. */
  took(rows: number, ms: number): void {
    if (rows < this.rows) return; // a short slice (the end of the table) says nothing about the rate
    const perRow = Math.max(ms, 0.05) / rows;
    const target = this.budgetMs / perRow;
    const next = ms > this.budgetMs ? Math.min(target, this.rows) : (this.rows + target) / 2;
    this.rows = Math.round(Math.min(MAX_SLICE, Math.max(MIN_SLICE, next)));
  }
}

/**
 * Reads rows with seq > since (up to `limit`) through the registry's page reader and encodes them,
 * in slices sized by `clock`, yielding to the event loop before each one.
 */
export async function preparePage(
  registry: DatasetRegistry,
  t: MirrorTable,
  since: number,
  limit: number,
  clock: SliceClock,
  pool: BufferPool,
): Promise<PreparedPage> {
  const seqIdx = registry.tableOf(t.code).columns.indexOf('seq');
  const page: PreparedPage = { chunks: [], rows: 0, lastSeq: since };
  const writer = new BinaryTupleWriter(t, pool);
  try {
    await readInto(registry, t, page, limit, clock, writer, seqIdx);
  } finally {
    writer.release();
  }
  page.release = () => pool.put(page.chunks);
  return page;
}

async function readInto(
  registry: DatasetRegistry,
  t: MirrorTable,
  page: PreparedPage,
  limit: number,
  clock: SliceClock,
  writer: BinaryTupleWriter,
  seqIdx: number,
): Promise<void> {
  while (page.rows < limit) {
    await yieldToLoop();
    const t0 = performance.now();
    const want = Math.min(clock.size, limit - page.rows);
    const rows = registry.pageRows(t.code, page.lastSeq, want);
    if (rows.length === 0) break;
    for (const r of rows) writer.row(r);
    page.chunks.push(writer.take());
    page.rows += rows.length;
    page.lastSeq = Number(rows[rows.length - 1]![seqIdx]);
    clock.took(rows.length, performance.now() - t0);
    if (rows.length < want) break;
  }
}
