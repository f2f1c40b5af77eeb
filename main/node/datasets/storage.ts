import { z } from 'zod';
import type { DatasetStorage } from '../../../preload/contract/core.js';
import type { Retention } from '../../../preload/contract/data-settings.js';
import type { Db } from '../store/db.js';
import type { DatasetRegistry } from './registry.js';
import { readOffThread, type ReadAnswer } from './read-worker.js';

export type { DatasetStorage };

/**
 * Size on disk per syncable dataset: the pages of its table and the table's indexes (SQLite's
 * dbstat, when this build has it), shared by row count among datasets that slice one table
 * (KL001…KLD01 in candles: `estimated` then). Without dbstat: rows × the table's average row size
 * from a sample, also `estimated`. It reads every page, so it runs after a prune, not per request.
 */
export function measureStorage(db: Db, registry: DatasetRegistry, retention: Retention): DatasetStorage[] {
  const plan = planOf(registry);
  const count = (table: string, where = '', args: (string | number)[] = []) =>
    db
      .prepare(`SELECT COUNT(*) FROM ${table} WHERE ${where}1`)
      .pluck(true)
      .get(...args) as number;
  return assemble(db, plan, retention, {
    rows: plan.map((p) => count(p.table, p.where, p.whereArgs)),
    tableRows: new Map(tablesOf(plan).map((t) => [t, count(t)])),
    bytesOf: tableBytes(db),
  });
}

/**
 * The same figures with every page-visiting read (dbstat, the row counts) in a worker with its own
 * read-only connection, so a large database does not hold the event loop while it is measured.
 */
export async function measureStorageOffThread(
  db: Db,
  file: string,
  registry: DatasetRegistry,
  retention: Retention,
  nativeBinding?: string,
): Promise<DatasetStorage[]> {
  const plan = planOf(registry);
  const tables = tablesOf(plan);
  const answers = await readOffThread(
    file,
    [
      { sql: DBSTAT_SQL, args: [], mode: 'rows' },
      ...plan.map((p) => ({ sql: `SELECT COUNT(*) FROM ${p.table} WHERE ${p.where}1`, args: p.whereArgs, mode: 'value' as const })),
      ...tables.map((t) => ({ sql: `SELECT COUNT(*) FROM ${t}`, args: [], mode: 'value' as const })),
    ],
    nativeBinding,
  );
  const num = (a: ReadAnswer | undefined): number => (a?.ok ? Number(a.value ?? 0) : 0);
  const stat = answers[0]?.ok ? DbstatRows.safeParse(answers[0].value) : null;
  const byTable = stat?.success ? new Map(stat.data.map((r) => [r.t, r.b])) : null;
  return assemble(db, plan, retention, {
    rows: plan.map((_, i) => num(answers[1 + i])),
    tableRows: new Map(tables.map((t, i) => [t, num(answers[1 + plan.length + i])])),
    bytesOf: byTable ? (t) => byTable.get(t) ?? 0 : null,
  });
}

interface PlanItem {
  code: string;
  table: string;
  where: string;
  whereArgs: (string | number)[];
}

function planOf(registry: DatasetRegistry): PlanItem[] {
  return registry
    .codes()
    .filter((c) => registry.kindOf(c) === 'syncable')
    .map((code) => ({ code, ...registry.tableOf(code) }));
}

const tablesOf = (plan: PlanItem[]): string[] => [...new Set(plan.map((p) => p.table))];

function assemble(
  db: Db,
  plan: PlanItem[],
  retention: Retention,
  m: { rows: number[]; tableRows: Map<string, number>; bytesOf: ((table: string) => number) | null },
): DatasetStorage[] {
  const perTable = new Map<string, number>();
  for (const p of plan) perTable.set(p.table, (perTable.get(p.table) ?? 0) + 1);
  return plan.map((p, i) => {
    const rows = m.rows[i] ?? 0;
    const tableRows = m.tableRows.get(p.table) ?? 0;
    const shared = (perTable.get(p.table) ?? 1) > 1;
    const tb = m.bytesOf?.(p.table) ?? null;
    const bytes = tb === null ? estimateBytes(db, p.table, rows) : tableRows > 0 ? Math.round((tb * rows) / tableRows) : 0;
    return { code: p.code, rows, bytes, estimated: tb === null || shared, retentionDays: retention[p.code] ?? null };
  });
}

const DbstatRows = z.array(z.object({ t: z.string(), b: z.number() }));
const DBSTAT_SQL = `SELECT COALESCE(m.tbl_name, s.name) AS t, SUM(s.pgsize) AS b FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY t`;

/** The bytes of a table and its indexes, from dbstat; null when this SQLite lacks dbstat. */
function tableBytes(db: Db): ((table: string) => number) | null {
  try {
    const rows = db.prepare(DBSTAT_SQL).all() as { t: string; b: number }[];
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
