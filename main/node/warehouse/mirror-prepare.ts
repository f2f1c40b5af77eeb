/**
 * What a fresh PostgreSQL connection does before the mirror's first page: the mirror table of every
 * syncable dataset (typed from SQLite), the schema brought up to date, each chosen dataset's cursor
 * and row count read back, and its staging table made. The run loop (mirror.ts) only drains.
 */
import type pg from 'pg';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { Db } from '../store/db.js';
import type { Progress } from './drain.js';
import { ensureSchema, mirrorTableOf, tempTableSql, type MirrorTable } from './schema.js';

export interface MirrorSource {
  source: string;
  /** The dataset's row filter on its table ("col = ? AND " per column; KL001…KLD01), with its args. */
  where: string;
  whereArgs: (string | number)[];
  table: MirrorTable;
}

/** Every syncable dataset's mirror table with its SQLite source table (what tests compare). */
export function mirrorSources(db: Db, registry: DatasetRegistry): MirrorSource[] {
  const codes = registry.codes().filter((c) => registry.kindOf(c) === 'syncable');
  return codes.map((c) => {
    const src = registry.tableOf(c);
    return { source: src.table, where: src.where, whereArgs: src.whereArgs, table: mirrorTableOf(db, c, src) };
  });
}

export interface Prepared {
  tables: Map<string, MirrorTable>;
  progress: Map<string, Progress>;
  timescale: boolean;
}

/** Schema, cursors (this node's, per dataset) and staging tables for `datasets` on `client`. */
export async function prepareConnection(
  client: pg.Client,
  sources: readonly MirrorSource[],
  datasets: readonly string[],
  nodeId: string,
): Promise<Prepared> {
  const tables = new Map(sources.map((t) => [t.table.code, t.table]));
  const res = await ensureSchema(client, [...tables.values()]);
  const cur = await client.query<{ dataset: string; seq: string }>('SELECT dataset, seq FROM coin_sync.cursors WHERE node_id = $1', [
    nodeId,
  ]);
  const seqOf = new Map(cur.rows.map((r) => [r.dataset, Number(r.seq)]));
  const progress = new Map<string, Progress>();
  for (const code of datasets) {
    const t = tables.get(code);
    if (!t) continue;
    const rows = Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${t.qualified}`)).rows[0]?.n ?? 0);
    // An empty table takes its first page as a straight COPY (no key can collide yet).
    progress.set(code, { seq: seqOf.get(code) ?? 0, rows, lastWriteAt: null, error: null, code, direct: rows === 0 });
    await client.query(tempTableSql(t));
  }
  return { tables, progress, timescale: res.timescale };
}
