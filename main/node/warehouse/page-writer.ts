import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DatasetRegistry } from '../datasets/registry.js';
import { copyText } from './copy-text.js';
import type { MirrorTable } from './schema.js';

/** A change page encoded for COPY: text chunks, how many rows and the seq of the last one. */
export interface PreparedPage {
  chunks: string[];
  rows: number;
  lastSeq: number;
}

/** Rows read per SQLite call: each read and encode stays a few ms, so the event loop keeps moving. */
const SLICE = 2_500;

/** Reads rows with seq > since (up to `limit`) through the registry's page reader, yielding between slices. */
export async function preparePage(registry: DatasetRegistry, t: MirrorTable, since: number, limit: number): Promise<PreparedPage> {
  const seqIdx = registry.tableOf(t.code).columns.indexOf('seq');
  const page: PreparedPage = { chunks: [], rows: 0, lastSeq: since };
  while (page.rows < limit) {
    await new Promise<void>((r) => setImmediate(r));
    const rows = registry.pageRows(t.code, page.lastSeq, Math.min(SLICE, limit - page.rows));
    if (rows.length === 0) break;
    page.chunks.push(copyText(t, rows));
    page.rows += rows.length;
    page.lastSeq = Number(rows[rows.length - 1]![seqIdx]);
    if (rows.length < SLICE) break;
  }
  return page;
}

/** One page in one transaction: COPY → merge by key where values differ → cursor. Returns rows inserted. */
export async function writePage(client: pg.Client, t: MirrorTable, page: PreparedPage, nodeId: string): Promise<number> {
  const tmp = `tmp_${t.code.toLowerCase()}`;
  const cols = t.columns.join(', ');
  const select = t.columns.map((c, i) => (t.types[i] === 'timestamptz' ? `to_timestamp(${c} / 1000.0)` : c)).join(', ');
  const values = t.columns.filter((c) => !t.key.includes(c));
  const target = t.qualified.split('.')[1]!;
  await client.query('BEGIN');
  try {
    const copy = client.query(copyFrom(`COPY ${tmp} (${cols}) FROM STDIN`));
    await pipeline(Readable.from(page.chunks), copy);
    // Counted in the server: returning one row per merged row would ship the page back.
    const merged = await client.query<{ inserted: string }>(
      `WITH m AS (
         INSERT INTO ${t.qualified} AS ${target} (${cols}) SELECT ${select} FROM ${tmp}
         ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE (${values.map((c) => `${target}.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `excluded.${c}`).join(', ')})
           AND excluded.updated_at >= ${target}.updated_at
         RETURNING (xmax = 0) AS inserted)
       SELECT COUNT(*) FILTER (WHERE inserted) AS inserted FROM m`,
    );
    await client.query(
      `INSERT INTO coin_sync.cursors (node_id, dataset, seq, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (node_id, dataset) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
      [nodeId, t.code, page.lastSeq],
    );
    await client.query('COMMIT');
    return Number(merged.rows[0]?.inserted ?? 0);
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
