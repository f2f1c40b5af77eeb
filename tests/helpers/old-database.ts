/**
 * Database files of old schema versions, as the node would have left them: real files in WAL mode
 * with foreign keys on (as main/node/store/db.ts opens them), migrated one version at a time by
 * the product's migrate(), with rows written at each version.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { migrate } from '../../main/node/store/migrations/index.js';
import type { SchemaSnapshot } from './schema.js';

export type Row = Record<string, string | number | null>;

/** The file name openDb() uses, so Store.open(dir) picks the same file up. */
export const DB_FILE = 'coin-sync-node.sqlite';

/** Brings `dir`'s database to `version`, inserting `rowsAt(v)` right after each step v. */
export function databaseFileAt(
  dir: string,
  version: number,
  rowsAt: (v: number) => Record<string, Row[]>,
): { db: Database.Database; file: string } {
  const file = path.join(dir, DB_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  for (let v = 1; v <= version; v++) {
    migrate(db, file, v);
    insertRows(db, rowsAt(v));
  }
  return { db, file };
}

export function insertRows(db: Database.Database, rows: Record<string, Row[]>): void {
  for (const [table, list] of Object.entries(rows)) {
    for (const r of list) {
      const cols = Object.keys(r);
      db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(r));
    }
  }
}

/** How rows of `table` are ordered for comparison: by primary key (rowid for rowid tables). */
export function keyOrder(s: SchemaSnapshot, table: string): string {
  const t = s.tables[table]!;
  return t.withoutRowid ? t.primaryKey.join(', ') : 'rowid';
}

/** Every row of every table of `s`, by key: what an upgrade must keep. */
export function dumpRows(
  db: Database.Database,
  s: SchemaSnapshot,
  columnsOf: (table: string) => string[] = (t) => s.tables[t]!.columns.map((c) => c.name),
): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.keys(s.tables).map((t) => [t, db.prepare(`SELECT ${columnsOf(t).join(', ')} FROM ${t} ORDER BY ${keyOrder(s, t)}`).all()]),
  );
}
