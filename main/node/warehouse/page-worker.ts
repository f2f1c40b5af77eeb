/**
 * Change pages read and encoded off the main thread. During a long mirror (a year of candles) the
 * page reads and the binary encoding are most of the node's CPU; on the main thread, even in
 * 4 ms slices, a busy machine stretched them into 50–200 ms event-loop stalls. Here a worker with
 * its own read-only connection (WAL: readers never block the writer) runs the same page query as
 * the registry's page reader and hands back one binary COPY buffer per page. If the worker cannot
 * start or dies, the mirror reads on the main thread again (page-reader.ts).
 */
import { endMessage, startSqliteWorker, type SqliteWorker } from '../store/sqlite-worker.js';
import { CopyValueError } from './copy-binary.js';
import type { PreparedPage } from './page-reader.js';
import type { MirrorTable, PgType } from './schema.js';

const TYPE_CODES: Record<PgType, number> = { text: 0, 'double precision': 1, timestamptz: 2, bigint: 3 };
const TYPE_NAMES = Object.keys(TYPE_CODES) as PgType[];
const STOP_WAIT_MS = 2_000;

// Evaluated in the worker (store/sqlite-worker.ts), after its read-only connection is open. The
// encoding is the one in copy-binary.ts (tuples only; the header and trailer are added on send).
const WORKER_BODY = `
const stmts = new Map();
const PG_EPOCH_MS = 946684800000, TWO_32 = 4294967296;
let buf = Buffer.allocUnsafe(1 << 20), pos = 0;
const ensure = (x) => {
  if (pos + x <= buf.length) return;
  const next = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + x));
  buf.copy(next, 0, 0, pos);
  buf = next;
};
const int64 = (v) => {
  const hi = Math.floor(v / TWO_32);
  buf.writeInt32BE(8, pos); buf.writeInt32BE(hi, pos + 4); buf.writeUInt32BE(v - hi * TWO_32, pos + 8);
  pos += 12;
};
function encode(rows, m) {
  const n = m.types.length;
  const enc = new Map();
  pos = 0;
  for (const row of rows) {
    ensure(2 + n * 12);
    buf.writeInt16BE(n, pos); pos += 2;
    for (let i = 0; i < n; i++) {
      const v = row[m.sourceIndex[i]], ty = m.types[i];
      if (v === null || v === undefined) { buf.writeInt32BE(-1, pos); pos += 4; continue; }
      if (ty === 0) {
        const s = typeof v === 'string' ? v : String(v);
        let b = enc.get(s);
        if (b === undefined) { b = Buffer.from(s, 'utf8'); if (enc.size < 4096) enc.set(s, b); }
        ensure(4 + b.length + (n - i) * 12);
        buf.writeInt32BE(b.length, pos); b.copy(buf, pos + 4); pos += 4 + b.length;
        continue;
      }
      if (typeof v !== 'number') throw { column: m.columns[i], value: v, type: ty };
      if (ty === 1) { buf.writeInt32BE(8, pos); buf.writeDoubleBE(v, pos + 4); pos += 12; }
      else if (ty === 2) { if (!Number.isFinite(v)) throw { column: m.columns[i], value: v, type: ty }; int64(Math.round((v - PG_EPOCH_MS) * 1000)); }
      else { if (!Number.isSafeInteger(v)) throw { column: m.columns[i], value: v, type: ty }; int64(v); }
    }
  }
  // Page memory comes back from the main thread once written: reused, so neither thread keeps
  // allocating (fresh 1 MB buffers per page made the main thread run full GCs every second).
  let out = free.pop();
  while (out && out.byteLength < pos) out = free.pop();
  if (!out) out = new ArrayBuffer(Math.max(pos, 1 << 20));
  new Uint8Array(out, 0, pos).set(buf.subarray(0, pos));
  return out;
}
const free = [];
parentPort.on('message', (m) => {
  if (m === 'stop') { closeDb(); return; }
  if (m.recycle) { if (free.length < 8) free.push(m.recycle); return; }
  try {
    let st = stmts.get(m.sql);
    if (!st) { st = db.prepare(m.sql).raw(true); stmts.set(m.sql, st); }
    const rows = st.all(...(m.filterArgs || []), m.since, m.limit);
    if (rows.length === 0) { parentPort.postMessage({ id: m.id, rows: 0, lastSeq: m.since, length: 0 }); return; }
    const out = encode(rows, m);
    const lastSeq = rows.length ? Number(rows[rows.length - 1][m.seqIdx]) : m.since;
    parentPort.postMessage({ id: m.id, rows: rows.length, lastSeq, buf: out, length: pos }, [out]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: e && e.column ? e : { message: String((e && e.message) || e) } });
  }
});
`;

interface Reply {
  id: number;
  rows?: number;
  lastSeq?: number;
  buf?: ArrayBuffer;
  /** Bytes of `buf` in use (the buffer is reused, so it may be larger). */
  length?: number;
  error?: { column?: string; value?: string | number | null; type?: number; message?: string };
}

export class PageWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (p: PreparedPage) => void; reject: (e: Error) => void }>();
  private failed: string | null = null;

  private readonly w: SqliteWorker;

  private constructor(file: string, nativeBinding: string | undefined) {
    this.w = startSqliteWorker({
      file,
      nativeBinding,
      db: { readonly: true, timeout: 1000 },
      body: WORKER_BODY,
      onEnd: (e) => this.fail(endMessage('page worker', e) ?? 'the page worker exited'),
    });
    this.w.worker.unref();
    this.w.worker.on('message', (m: Reply) => this.reply(m));
  }

  /** A worker reading the database at `file` (the store's path). */
  static start(file: string, nativeBinding?: string): PageWorker {
    return new PageWorker(file, nativeBinding);
  }

  /** Why the worker is gone (the mirror then reads on the main thread), or null while it works. */
  get error(): string | null {
    return this.failed;
  }

  /** Rows of `source` with seq > since (at most `limit`), encoded for `t`, read in the worker. */
  read(
    t: MirrorTable,
    source: { table: string; columns: string[]; where?: string; whereArgs?: (string | number)[] },
    since: number,
    limit: number,
  ): Promise<PreparedPage> {
    if (this.failed) return Promise.reject(new Error(this.failed));
    const id = this.nextId++;
    // A dataset that is one slice of a table (KL001…KLD01: one bar of candles) reads only its rows.
    const sql = `SELECT ${source.columns.join(', ')} FROM ${source.table} WHERE ${source.where ?? ''}seq > ? ORDER BY seq LIMIT ?`;
    return new Promise<PreparedPage>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.w.worker.postMessage({
        id,
        sql,
        since,
        limit,
        filterArgs: source.whereArgs ?? [],
        types: t.types.map((x) => TYPE_CODES[x]),
        sourceIndex: t.sourceIndex,
        columns: t.columns,
        seqIdx: source.columns.indexOf('seq'),
      });
    });
  }

  async stop(): Promise<void> {
    if (!this.failed) this.w.worker.postMessage('stop');
    this.fail('the page worker stopped');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.w.exited, new Promise<void>((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private reply(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    const e = m.error;
    if (e?.column !== undefined) p.reject(new CopyValueError(e.column, e.value ?? null, TYPE_NAMES[e.type ?? 0]!));
    else if (e) p.reject(new Error(`reading a change page failed: ${e.message ?? 'unknown error'}`));
    else {
      const buf = m.buf;
      const length = m.length ?? 0;
      p.resolve({
        chunks: buf && length > 0 ? [Buffer.from(buf, 0, length)] : [],
        rows: m.rows ?? 0,
        lastSeq: m.lastSeq ?? 0,
        // Back to the worker (transferred: the page's Buffer is empty afterwards).
        release: () => {
          if (buf && !this.failed) this.w.worker.postMessage({ recycle: buf }, [buf]);
        },
      });
    }
  }

  private fail(why: string): void {
    if (this.failed) return;
    this.failed = why;
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
  }
}
