import { PageHasher } from '../datasets/checksum.js';
import type { Cell, SyncTable } from '../store/sync-table.js';
import { inSlices } from '../timing/sliced.js';
import { PeerError, type PeerPage } from './peer-client.js';

export interface MergeRow {
  cells: Cell[];
  origin: string;
  updatedAt: number;
}

/** Rows hashed or checked between two looks at the clock. */
const STEP = 250;
/**
 * Verifying a 5,000-row page in one pass (re-serializing it for the checksum, then checking every
 * cell) held the event loop for 5–15 ms on a quiet machine and up to 150 ms on a busy one
 * (tests/bench/event-loop.bench.ts); so it runs in slices of about this long.
 */
const BUDGET_MS = 8;

/** Where the local table's columns and the bookkeeping sit in a page's rows (-1: not sent, null). */
export interface PageLayout {
  pick: number[];
  originAt: number;
  updatedAt: number;
}

export interface VerifiedPage {
  cursor: number;
  layout: PageLayout;
  /** The rows in the local table's column order; only built when asked (`rows: true`). */
  rows: MergeRow[];
  /** The page's rows as runs of JSON without brackets (from the checksum), for the merge worker. */
  json: string[];
}

/**
 * Checks a whole page before any of it is written: its checksum, its columns, and every row (cell
 * types, seq order, key and required columns), in that order, so a page is refused whole. Returns
 * the cursor the page ends at and the rows, as objects in the local table's column order when
 * `o.rows` (written here) and always as JSON runs (written by the merge worker, which parses them:
 * building and cloning 5,000 row arrays for it cost the main thread 10–35 ms per page).
 */
export async function verifyPage(
  table: SyncTable,
  required: readonly string[],
  code: string,
  since: number,
  page: PeerPage,
  o: { rows: boolean },
): Promise<VerifiedPage> {
  if (page.code !== code) throw new PeerError('bad_page', `Asked for ${code}, the peer sent ${page.code}.`);
  if (page.count !== page.rows.length)
    throw new PeerError('bad_page', `${code}: the page says ${page.count} rows but holds ${page.rows.length}.`);
  const n = page.rows.length;
  const json: string[] = [];
  const hasher = new PageHasher(page.columns, json);
  await inSlices(n, STEP, BUDGET_MS, (from, to) => hasher.add(page.rows.slice(from, to)));
  if (hasher.digest() !== page.checksum) {
    throw new PeerError('bad_page', `${code}: the page checksum does not match its rows; nothing was applied.`, undefined, {
      reason: 'peer.checksum',
    });
  }
  const def = table.def;
  const index = new Map(page.columns.map((c, i) => [c, i]));
  const missing = [...new Set([...def.key, ...required, 'seq', 'origin', 'updated_at'])].filter((c) => !index.has(c));
  if (missing.length > 0)
    throw new PeerError('bad_page', `${code}: the page lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; refused.`);
  const pick = table.columns.map((c) => index.get(c) ?? -1);
  const seqAt = index.get('seq')!;
  const originAt = index.get('origin')!;
  const updatedAt = index.get('updated_at')!;
  const width = page.columns.length;
  const requiredAt = required.map((c) => index.get(c)!);

  const rows: MergeRow[] = o.rows ? new Array(n) : [];
  let lastSeq = since;
  const check = (from: number, to: number) => {
    for (let r = from; r < to; r++) {
      const raw: unknown = page.rows[r];
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
      if (o.rows) rows[r] = { cells: pick.map((i) => (i < 0 ? null : (raw[i] as Cell))), origin, updatedAt: upd };
    }
  };
  await inSlices(n, STEP, BUDGET_MS, check);
  // An empty page keeps the cursor; a non-empty one must end where the peer says the next starts.
  const cursor = n > 0 ? lastSeq : since;
  if (n > 0 && page.nextSince !== cursor)
    throw new PeerError('bad_page', `${code}: nextSince ${page.nextSince} does not match the last row's seq ${cursor}.`);
  return { cursor, layout: { pick, originAt, updatedAt }, rows, json };
}
