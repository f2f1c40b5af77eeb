import type { Store } from '../store/store.js';
import type { SyncTable } from '../store/sync-table.js';
import type { PeerPage } from './peer-client.js';
import type { PeerStore } from './peer-store.js';
import { verifyPage } from './page-verify.js';
import { yieldToLoop } from '../timing/yield.js';

export interface ApplyResult {
  rowsIn: number;
  inserted: number;
  updated: number;
  cursor: number;
}

/**
 * Time per write transaction. A 5,000-row page written at once held the event loop for 50–100 ms
 * (tests/bench/event-loop.bench.ts), and a fixed 1,000-row slice still took 30–60 ms on a busy
 * machine; so slices are sized from the last one's time, aiming at this budget.
 */
const SLICE_BUDGET_MS = 12;
const SLICE_ROWS = { first: 250, min: 50, max: 5_000 };

/**
 * Turns a verified page (page-verify.ts) into merged rows for one local table. Columns are matched by name, so a
 * peer on a newer version may send columns we do not know (ignored); a page without our key or
 * bookkeeping columns is refused, and a value column the peer lacks arrives as null.
 */
export class PageApplier {
  /** Rows per slice, adapted to how fast this machine writes this table. */
  private sliceRows = SLICE_ROWS.first;
  /** Columns the table declares NOT NULL: a page must carry them (we cannot invent a value). */
  private readonly required: string[];

  constructor(
    private readonly store: Store,
    private readonly peers: PeerStore,
    private readonly table: SyncTable,
  ) {
    const info = store.db.prepare(`PRAGMA table_info(${table.def.name})`).all() as { name: string; notnull: number }[];
    this.required = info.filter((c) => c.notnull === 1 && !['seq', 'origin', 'updated_at'].includes(c.name)).map((c) => c.name);
  }

  /**
   * Verifies one page, then writes it in slices: in the store's merge worker when it runs, else
   * here, yielding to the event loop between them. The
   * peer's cursor moves only with the last slice: a crash in between re-pulls the page, and
   * re-applying rows already merged changes nothing (the merge keeps the newest version of a key).
   */
  async apply(peerId: string, code: string, since: number, page: PeerPage, now: number): Promise<ApplyResult> {
    // A prefetched page arrives while the previous one's last slice runs: without this yield its
    // verification and first slice ran in the same turn of the loop as that slice.
    await yieldToLoop();
    const writer = this.store.mergeWriter;
    const { rows, cursor, json, layout } = await verifyPage(this.table, this.required, code, since, page, { rows: !writer });
    if (writer) {
      // Off the main thread (store/merge-writer.ts); the worker slices it the same way.
      const rowsIn = page.rows.length;
      const after = this.peers.advanceStatement(peerId, code, { cursor, peerMaxSeq: page.maxSeq, rowsIn, now });
      const { inserted, updated } = await writer.merge({ table: this.table.def.name, ...this.table.sql, json, layout, after });
      return { rowsIn, inserted, updated, cursor };
    }

    let inserted = 0;
    let updated = 0;
    for (let start = 0; ;) {
      const slice = rows.slice(start, start + this.sliceRows);
      start += slice.length;
      const last = start >= rows.length;
      await yieldToLoop();
      const t0 = performance.now();
      this.store.write(() => {
        const c = this.table.mergeCounted(slice);
        inserted += c.inserted;
        updated += c.updated;
        if (last) this.peers.advance(peerId, code, { cursor, peerMaxSeq: page.maxSeq, rowsIn: rows.length, inserted, updated, now });
      });
      if (slice.length > 0) this.resize(slice.length, performance.now() - t0);
      if (last) break;
    }
    return { rowsIn: rows.length, inserted, updated, cursor };
  }

  /** Next slice size from this one's rows and time (halving or doubling at most). */
  private resize(rows: number, ms: number): void {
    const ideal = (rows * SLICE_BUDGET_MS) / Math.max(ms, 0.5);
    const next = Math.min(rows * 2, Math.max(rows / 2, ideal));
    this.sliceRows = Math.round(Math.min(SLICE_ROWS.max, Math.max(SLICE_ROWS.min, next)));
  }
}
