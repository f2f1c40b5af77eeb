import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Cell } from '../store/sync-table.js';
import { copyText } from './copy-text.js';
import type { MirrorTable } from './schema.js';

/** One page in one transaction: COPY → merge by key where values differ → cursor. Returns rows inserted. */
export async function writePage(client: pg.Client, t: MirrorTable, rows: Cell[][], nodeId: string, lastSeq: number): Promise<number> {
  const tmp = `tmp_${t.code.toLowerCase()}`;
  const cols = t.columns.join(', ');
  const values = t.columns.filter((c) => !t.key.includes(c));
  const target = t.qualified.split('.')[1]!;
  await client.query('BEGIN');
  try {
    const copy = client.query(copyFrom(`COPY ${tmp} (${cols}) FROM STDIN`));
    await pipeline(Readable.from([copyText(t, rows)]), copy);
    const merged = await client.query<{ inserted: boolean }>(
      `INSERT INTO ${t.qualified} AS ${target} (${cols}) SELECT ${cols} FROM ${tmp}
       ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}
       WHERE (${values.map((c) => `${target}.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `excluded.${c}`).join(', ')})
         AND excluded.updated_at >= ${target}.updated_at
       RETURNING (xmax = 0) AS inserted`,
    );
    await client.query(
      `INSERT INTO coin_sync.cursors (node_id, dataset, seq, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (node_id, dataset) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
      [nodeId, t.code, lastSeq],
    );
    await client.query('COMMIT');
    return merged.rows.filter((r) => r.inserted).length;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/** Errors from the data or the table's shape (SQLSTATE classes 22, 23, 42), not from the connection. */
export function isDataError(e: unknown): boolean {
  return e instanceof pg.DatabaseError && /^(22|23|42)/.test(e.code ?? '');
}

/** "coin_sync.kl030 (column vol): <what PostgreSQL said>" */
export function dataErrorSentence(table: string, e: unknown): string {
  const db = e instanceof pg.DatabaseError ? e : null;
  const col = db?.column ?? /column (\w+)/.exec(db?.where ?? '')?.[1] ?? /column "(\w+)"/.exec(db?.message ?? '')?.[1] ?? null;
  const msg = e instanceof Error ? e.message : String(e);
  return `${table}${col ? ` (column ${col})` : ''}: ${msg}. Fix the table or drop it (the node recreates it), then restart the warehouse.`;
}
