import type { Statement } from 'better-sqlite3';
import { pageChecksum } from '../datasets/checksum.js';
import type { Store } from '../store/store.js';
import type { Cell, SyncTable } from '../store/sync-table.js';
import { PeerError, type PeerPage } from './peer-client.js';
import type { PeerStore } from './peer-store.js';
import { yieldToLoop } from '../timing/yield.js';

export interface ApplyResult {
  rowsIn: number;
  inserted: number;
  updated: number;
  cursor: number;
}

/** Rows per key-existence query: keeps bound parameters (rows × key columns) well under SQLite's limit. */
const EXISTS_CHUNK = 1_000;
/**
 * Time per write transaction. A 5,000-row page written at once held the event loop for 50–100 ms
 * (tests/bench/event-loop.bench.ts), and a fixed 1,000-row slice still took 30–60 ms on a busy
 * machine; so slices are sized from the last one's time, aiming at this budget.
 */
const SLICE_BUDGET_MS = 12;
const SLICE_ROWS = { first: 250, min: 50, max: 5_000 };

/**
 * Turns a verified page into merged rows for one local table. Columns are matched by name, so a
 * peer on a newer version may send columns we do not know (ignored); a page without our key or
 * bookkeeping columns is refused, and a value column the peer lacks arrives as null.
 */
export class PageApplier {
  private readonly existsStmts = new Map<number, Statement>();
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
   * Verifies one page, then writes it in slices, yielding to the event loop between them. The
   * peer's cursor moves only with the last slice: a crash in between re-pulls the page, and
   * re-applying rows already merged changes nothing (the merge keeps the newest version of a key).
   */
  async apply(peerId: string, code: string, since: number, page: PeerPage, now: number): Promise<ApplyResult> {
    if (page.code !== code) throw new PeerError('bad_page', `Asked for ${code}, the peer sent ${page.code}.`);
    if (page.count !== page.rows.length)
      throw new PeerError('bad_page', `${code}: the page says ${page.count} rows but holds ${page.rows.length}.`);
    if (pageChecksum(page.columns, page.rows as unknown[][]) !== page.checksum) {
      throw new PeerError('bad_page', `${code}: the page checksum does not match its rows; nothing was applied.`, undefined, {
        reason: 'peer.checksum',
      });
    }
    const def = this.table.def;
    const index = new Map(page.columns.map((c, i) => [c, i]));
    const missing = [...new Set([...def.key, ...this.required, 'seq', 'origin', 'updated_at'])].filter((c) => !index.has(c));
    if (missing.length > 0)
      throw new PeerError('bad_page', `${code}: the page lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; refused.`);
    const pick = this.table.columns.map((c) => index.get(c) ?? -1);
    const seqAt = index.get('seq')!;
    const originAt = index.get('origin')!;
    const updatedAt = index.get('updated_at')!;
    const width = page.columns.length;
    const requiredAt = this.required.map((c) => index.get(c)!);

    const rows: { cells: Cell[]; origin: string; updatedAt: number }[] = new Array(page.rows.length);
    let lastSeq = since;
    for (let r = 0; r < page.rows.length; r++) {
      const raw = page.rows[r];
      if (!Array.isArray(raw) || raw.length !== width) throw new PeerError('bad_page', `${code}: row ${r} does not have ${width} cells.`);
      for (let i = 0; i < width; i++) {
        const v: unknown = raw[i];
        if (v !== null && typeof v !== 'string' && typeof v !== 'number')
          throw new PeerError('bad_page', `${code}: row ${r} has a cell that is not a string, number or null.`);
      }
      const seq = raw[seqAt] as unknown;
      const origin = raw[originAt] as unknown;
      const upd = raw[updatedAt] as unknown;
      if (typeof seq !== 'number' || !Number.isInteger(seq) || seq <= lastSeq)
        throw new PeerError('bad_page', `${code}: row ${r} is out of seq order.`);
      if (typeof origin !== 'string' || typeof upd !== 'number')
        throw new PeerError('bad_page', `${code}: row ${r} has no origin or updated_at.`);
      for (let k = 0; k < def.key.length; k++) {
        if (raw[pick[k]!] === null) throw new PeerError('bad_page', `${code}: row ${r} has an empty key column ${def.key[k]}.`);
      }
      // Checked here, not left to SQLite: a page is refused whole before any slice of it is written.
      for (const at of requiredAt) {
        if (raw[at] === null) throw new PeerError('bad_page', `${code}: row ${r} has no value for ${page.columns[at]}.`);
      }
      lastSeq = seq;
      rows[r] = { cells: pick.map((i) => (i < 0 ? null : (raw[i] as Cell))), origin, updatedAt: upd };
    }
    // An empty page keeps the cursor; a non-empty one must end where the peer says the next starts.
    const cursor = rows.length > 0 ? lastSeq : since;
    if (rows.length > 0 && page.nextSince !== cursor)
      throw new PeerError('bad_page', `${code}: nextSince ${page.nextSince} does not match the last row's seq ${cursor}.`);

    let inserted = 0;
    let updated = 0;
    for (let start = 0; ;) {
      const slice = rows.slice(start, start + this.sliceRows);
      start += slice.length;
      const last = start >= rows.length;
      const t0 = performance.now();
      this.store.write(() => {
        const existing = slice.length > 0 ? this.countExisting(slice) : 0;
        const { changed } = this.table.upsertMerged(slice);
        // Keys are unique within a page, so every key that did not exist was inserted.
        inserted += slice.length - existing;
        updated += Math.max(0, changed - (slice.length - existing));
        if (last) this.peers.advance(peerId, code, { cursor, peerMaxSeq: page.maxSeq, rowsIn: rows.length, inserted, updated, now });
      });
      if (slice.length > 0) this.resize(slice.length, performance.now() - t0);
      if (last) break;
      await yieldToLoop();
    }
    return { rowsIn: rows.length, inserted, updated, cursor };
  }

  /** Next slice size from this one's rows and time (halving or doubling at most). */
  private resize(rows: number, ms: number): void {
    const ideal = (rows * SLICE_BUDGET_MS) / Math.max(ms, 0.5);
    const next = Math.min(rows * 2, Math.max(rows / 2, ideal));
    this.sliceRows = Math.round(Math.min(SLICE_ROWS.max, Math.max(SLICE_ROWS.min, next)));
  }

  private countExisting(rows: readonly { cells: Cell[] }[]): number {
    const nKey = this.table.def.key.length;
    let n = 0;
    for (let start = 0; start < rows.length; start += EXISTS_CHUNK) {
      const chunk = rows.slice(start, start + EXISTS_CHUNK);
      const params: Cell[] = [];
      for (const r of chunk) for (let k = 0; k < nKey; k++) params.push(r.cells[k]!);
      n += this.existsStmt(chunk.length).get(...params) as number;
    }
    return n;
  }

  private existsStmt(size: number): Statement {
    let s = this.existsStmts.get(size);
    if (!s) {
      const def = this.table.def;
      const tuple = `(${def.key.map(() => '?').join(', ')})`;
      s = this.store.db
        .prepare(`SELECT COUNT(*) FROM ${def.name} WHERE (${def.key.join(', ')}) IN (VALUES ${Array(size).fill(tuple).join(', ')})`)
        .pluck(true);
      this.existsStmts.set(size, s);
    }
    return s;
  }
}
