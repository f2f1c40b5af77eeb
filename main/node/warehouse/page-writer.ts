import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, CopyValueError } from './copy-binary.js';
import type { PreparedPage } from './page-reader.js';
import type { MirrorTable } from './schema.js';

export interface PageWritten {
  /** Rows that were new keys in the table. */
  inserted: number;
  /** Whether the page went straight into the table (every key was new) rather than through the merge. */
  direct: boolean;
}

async function copyIn(client: pg.Client, table: string, t: MirrorTable, page: PreparedPage): Promise<void> {
  const copy = client.query(copyFrom(`COPY ${table} (${t.columns.join(', ')}) FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from([COPY_BINARY_HEADER, ...page.chunks, COPY_BINARY_TRAILER]), copy);
}

async function moveCursor(client: pg.Client, t: MirrorTable, page: PreparedPage, nodeId: string): Promise<void> {
  await client.query(
    `INSERT INTO coin_sync.cursors (node_id, dataset, seq, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (node_id, dataset) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
    [nodeId, t.code, page.lastSeq],
  );
}

/** A key that exists already (another node, or a row changed after it was mirrored) or two writers crossing. */
const isConflict = (e: unknown): boolean => e instanceof pg.DatabaseError && (e.code === '23505' || e.code === '40P01');

/**
 * One page in one transaction, with the cursor moved in it. `tryDirect`: COPY straight into the
 * table — as fast as psql's own \copy — which only succeeds when every key is new; on a
 * conflict the transaction rolls back and the page goes through the merge instead: COPY into the
 * session's staging table, then INSERT … ON CONFLICT DO UPDATE where the values differ and the
 * row is not older. Either way a key is written once, and a crash repeats at most this page.
 */
export async function writePage(
  client: pg.Client,
  t: MirrorTable,
  page: PreparedPage,
  nodeId: string,
  tryDirect: boolean,
): Promise<PageWritten> {
  if (tryDirect) {
    await client.query('BEGIN');
    try {
      await copyIn(client, t.qualified, t, page);
      await moveCursor(client, t, page, nodeId);
      await client.query('COMMIT');
      return { inserted: page.rows, direct: true };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      if (!isConflict(e)) throw e;
    }
  }
  const tmp = `tmp_${t.code.toLowerCase()}`;
  const cols = t.columns.join(', ');
  const values = t.columns.filter((c) => !t.key.includes(c));
  const target = t.qualified.split('.')[1]!;
  await client.query('BEGIN');
  try {
    await copyIn(client, tmp, t, page);
    // Counted in the server: returning one row per merged row would ship the page back.
    const merged = await client.query<{ inserted: string }>(
      `WITH m AS (
         INSERT INTO ${t.qualified} AS ${target} (${cols}) SELECT ${cols} FROM ${tmp}
         ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE (${values.map((c) => `${target}.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `excluded.${c}`).join(', ')})
           AND excluded.updated_at >= ${target}.updated_at
         RETURNING (xmax = 0) AS inserted)
       SELECT COUNT(*) FILTER (WHERE inserted) AS inserted FROM m`,
    );
    await moveCursor(client, t, page, nodeId);
    await client.query('COMMIT');
    return { inserted: Number(merged.rows[0]?.inserted ?? 0), direct: false };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/** Errors from the data or the table's shape (SQLSTATE classes 22, 23, 42), not from the connection. */
export function isDataError(e: unknown): boolean {
  return e instanceof CopyValueError || (e instanceof pg.DatabaseError && /^(22|23|42)/.test(e.code ?? ''));
}

/** "coin_sync.kl030 (column vol): <what PostgreSQL said>" */
export function dataErrorSentence(table: string, e: unknown): string {
  const db = e instanceof pg.DatabaseError ? e : null;
  const col =
    (e instanceof CopyValueError ? e.column : null) ??
    db?.column ??
    /column (\w+)/.exec(db?.where ?? '')?.[1] ??
    /column "(\w+)"/.exec(db?.message ?? '')?.[1] ??
    null;
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof CopyValueError) {
    return `${table} (column ${e.column}): a row in the node's store has ${JSON.stringify(e.value)}, which is not a ${e.type}; this dataset waits until that row is corrected.`;
  }
  return `${table}${col ? ` (column ${col})` : ''}: ${msg}. Fix the table or drop it (the node recreates it), then restart the warehouse.`;
}
