import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import type { Sequencer } from './sequencer.js';

export type Cell = string | number | null;

/** A syncable table: its key columns, its value columns, and the bookkeeping every row carries. */
export interface SyncTableDef {
  name: string;
  key: readonly string[];
  values: readonly string[];
}

export const BOOKKEEPING = ['seq', 'origin', 'updated_at'] as const;

/** A row as the node writes it: key and value columns in `[...key, ...values]` order. */
export type RowCells = readonly Cell[];

export interface UpsertCounts {
  /** Rows that were inserted or really changed (they took a new seq). */
  changed: number;
  /** Rows identical to what was stored: no write, seq kept. */
  unchanged: number;
}

/**
 * The seq-assigning upsert. `local` rows always win when they differ (this node just observed
 * them); `merge` rows from a peer win only when their `updated_at` is newer (ties broken by origin),
 * so two nodes syncing both ways converge and then stop sending rows.
 */
export class SyncTable {
  readonly columns: readonly string[];
  /** The merge statements, for the merge worker (store/merge-writer.ts) to run the same SQL. */
  readonly sql: { insertNew: string; merge: string };
  private readonly local: Statement;
  private readonly merge: Statement;
  private readonly insertNew: Statement;

  constructor(
    private readonly db: Db,
    private readonly seq: Sequencer,
    readonly def: SyncTableDef,
    private readonly onChanged: (rows: number) => void = () => {},
  ) {
    this.columns = [...def.key, ...def.values];
    const all = [...this.columns, ...BOOKKEEPING];
    const insert = `INSERT INTO ${def.name} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})
      ON CONFLICT (${def.key.join(', ')}) DO UPDATE SET
      ${[...def.values, ...BOOKKEEPING].map((c) => `${c} = excluded.${c}`).join(', ')}`;
    const insertNew = `INSERT INTO ${def.name} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')}) ON CONFLICT (${def.key.join(', ')}) DO NOTHING`;
    const differs = def.values.map((c) => `${def.name}.${c} IS NOT excluded.${c}`).join(' OR ');
    this.local = db.prepare(`${insert} WHERE ${differs}`);
    this.insertNew = db.prepare(insertNew);
    const merge = `${insert} WHERE (${differs}) AND (excluded.updated_at > ${def.name}.updated_at OR
        (excluded.updated_at = ${def.name}.updated_at AND excluded.origin > ${def.name}.origin))`;
    this.merge = db.prepare(merge);
    this.sql = { insertNew, merge };
  }

  /** Writes rows this node produced. Must run inside `Store.write`. */
  upsertLocal(rows: readonly RowCells[], origin: string, now: number): UpsertCounts {
    let changed = 0;
    for (const row of rows) {
      if (this.local.run(...row, this.seq.peek(), origin, now).changes > 0) {
        this.seq.advance();
        changed += 1;
      }
    }
    this.onChanged(changed);
    return { changed, unchanged: rows.length - changed };
  }

  /** Writes rows received from a peer, keeping their origin and updated_at. */
  upsertMerged(rows: readonly { cells: RowCells; origin: string; updatedAt: number }[]): UpsertCounts {
    let changed = 0;
    for (const r of rows) {
      if (this.merge.run(...r.cells, this.seq.peek(), r.origin, r.updatedAt).changes > 0) {
        this.seq.advance();
        changed += 1;
      }
    }
    this.onChanged(changed);
    return { changed, unchanged: rows.length - changed };
  }

  /**
   * `upsertMerged` that also tells inserts from updates, for the receiver's counts: a new key is
   * inserted by the first statement; only a key that exists runs the merge. This replaced counting
   * the existing keys of each slice with an extra query (a second index lookup per row).
   */
  mergeCounted(rows: readonly { cells: RowCells; origin: string; updatedAt: number }[]): { inserted: number; updated: number } {
    let inserted = 0;
    let updated = 0;
    for (const r of rows) {
      if (this.insertNew.run(...r.cells, this.seq.peek(), r.origin, r.updatedAt).changes > 0) inserted += 1;
      else if (this.merge.run(...r.cells, this.seq.peek(), r.origin, r.updatedAt).changes > 0) updated += 1;
      else continue;
      this.seq.advance();
    }
    this.onChanged(inserted + updated);
    return { inserted, updated };
  }

  count(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${this.def.name}`).get() as { n: number }).n;
  }

  maxSeq(): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${this.def.name}`).get() as { m: number }).m;
  }
}
