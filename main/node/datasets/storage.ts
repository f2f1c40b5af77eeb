import type { DatasetStorage } from '../../../preload/contract/core.js';
import type { Retention } from '../../../preload/contract/data-settings.js';
import type { Db } from '../store/db.js';
import type { DatasetRegistry } from './registry.js';

export type { DatasetStorage };

/**
 * Size on disk per syncable dataset: the pages of its table and the table's indexes (SQLite's
 * dbstat, when this build has it), shared by row count among datasets that slice one table
 * (KL001…KLD01 in candles: `estimated` then). Without dbstat: rows × the table's average row size
 * from a sample, also `estimated`. It reads every page, so it runs after a prune, not per request.
 */
export function measureStorage(db: Db, registry: DatasetRegistry, retention: Retention): DatasetStorage[] {
  const codes = registry.codes().filter((c) => registry.kindOf(c) === 'syncable');
  const bytesOf = tableBytes(db);
  const byTable = new Map<string, string[]>();
  for (const c of codes) {
    const t = registry.tableOf(c).table;
    byTable.set(t, [...(byTable.get(t) ?? []), c]);
  }
  return codes.map((code) => {
    const t = registry.tableOf(code);
    const rows = registry.info(code).rows ?? 0;
    const tableRows = db.prepare(`SELECT COUNT(*) FROM ${t.table}`).pluck(true).get() as number;
    const shared = (byTable.get(t.table)?.length ?? 1) > 1;
    const tb = bytesOf?.(t.table) ?? null;
    const bytes = tb === null ? estimateBytes(db, t.table, rows) : tableRows > 0 ? Math.round((tb * rows) / tableRows) : 0;
    return { code, rows, bytes, estimated: tb === null || shared, retentionDays: retention[code] ?? null };
  });
}

/** The bytes of a table and its indexes, from dbstat; null when this SQLite lacks dbstat. */
function tableBytes(db: Db): ((table: string) => number) | null {
  try {
    const rows = db
      .prepare(
        `SELECT COALESCE(m.tbl_name, s.name) AS t, SUM(s.pgsize) AS b FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY t`,
      )
      .all() as { t: string; b: number }[];
    const map = new Map(rows.map((r) => [r.t, r.b]));
    return (table) => map.get(table) ?? 0;
  } catch {
    return null;
  }
}

function estimateBytes(db: Db, table: string, rows: number): number {
  const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => `COALESCE(LENGTH(${c.name}), 0)`);
  const avg =
    (db
      .prepare(`SELECT AVG(${cols.join(' + ')}) FROM (SELECT * FROM ${table} LIMIT 1000)`)
      .pluck(true)
      .get() as number | null) ?? 0;
  // Values plus record headers and b-tree overhead (about 1.5× the payload for small rows).
  return Math.round(rows * avg * 1.5);
}
