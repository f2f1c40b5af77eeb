import type { Cell } from '../store/sync-table.js';
import type { MirrorTable, PgType } from './schema.js';

/**
 * PostgreSQL's binary COPY format. Cheaper than text on both ends: numbers go as their 8 bytes
 * (no number → string → number round trip, exact by construction), times as int64 microseconds,
 * and the server skips parsing. https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
export const COPY_BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** The file trailer: a field count of -1. */
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix ms. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 0x1_0000_0000;
/** Distinct text cells whose encoding is kept per writer. */
const TEXT_CACHE = 4_096;

/** A value that does not fit its column's type: the page stops with a sentence naming the column. */
export class CopyValueError extends Error {
  constructor(
    readonly column: string,
    readonly value: Cell,
    readonly type: PgType,
  ) {
    super(`value ${JSON.stringify(value)} in column ${column} is not a ${type}`);
  }
}

/**
 * Reused encode buffers. A 1 M-row mirror encodes ~120 MB; fresh buffers for all of it made V8
 * run a full mark-compact every few hundred ms ("external memory"), each one a 10–40 ms stall.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size = 256 * 1024,
    private readonly keep = 32,
  ) {}

  get(): Buffer {
    // allocUnsafeSlow: a buffer of its own (never a slice of Node's shared slab), so it can be reused whole.
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** Takes back the buffers under chunks a writer handed out, once nothing reads them any more. */
  put(chunks: readonly Buffer[]): void {
    for (const c of chunks) {
      if (this.free.length >= this.keep) return;
      if (c.byteOffset === 0 && c.buffer.byteLength === this.size) this.free.push(Buffer.from(c.buffer, 0, this.size));
    }
  }
}

/** Appends tuples into one growing buffer; `take()` hands out what was written and starts again. */
export class BinaryTupleWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly n: number;
  private readonly encoded = new Map<string, Buffer>();

  constructor(
    private readonly t: MirrorTable,
    private readonly pool = new BufferPool(),
  ) {
    this.buf = pool.get();
    this.n = t.columns.length;
  }

  get bytes(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** 64-bit signed integer from a double that holds an integer (|v| < 2^53). */
  private int64(v: number): void {
    const hi = Math.floor(v / TWO_32);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeInt32BE(hi, this.pos + 4);
    this.buf.writeUInt32BE(v - hi * TWO_32, this.pos + 8);
    this.pos += 12;
  }

  /**
   * A text field. Most text cells repeat (coin, bar, origin), so their field bytes (length +
   * UTF-8) are kept and copied in; a table of unique strings just clears the cache now and then.
   */
  private text(s: string, col: number): void {
    let enc = this.encoded.get(s);
    if (enc === undefined) {
      const len = Buffer.byteLength(s, 'utf8');
      enc = Buffer.allocUnsafe(4 + len);
      enc.writeInt32BE(len, 0);
      enc.write(s, 4, len, 'utf8');
      if (this.encoded.size >= TEXT_CACHE) this.encoded.clear();
      this.encoded.set(s, enc);
    }
    this.ensure(enc.length + (this.n - col) * 12);
    if (enc.length <= 48) {
      // A byte loop beats Buffer#set's native call for a few bytes.
      for (let k = 0; k < enc.length; k++) this.buf[this.pos + k] = enc[k]!;
    } else {
      this.buf.set(enc, this.pos);
    }
    this.pos += enc.length;
  }

  /** One SQLite page row, in the mirror table's column order. */
  row(row: readonly Cell[]): void {
    const t = this.t;
    // Fixed part: field count + (length + 8 bytes) per column; text is ensured separately.
    this.ensure(2 + this.n * 12);
    this.buf.writeInt16BE(this.n, this.pos);
    this.pos += 2;
    for (let i = 0; i < this.n; i++) {
      const v = row[t.sourceIndex[i]!] ?? null;
      if (v === null) {
        this.buf.writeInt32BE(-1, this.pos);
        this.pos += 4;
        continue;
      }
      const type = t.types[i]!;
      if (type === 'text') {
        this.text(typeof v === 'string' ? v : String(v), i);
        continue;
      }
      if (typeof v !== 'number') throw new CopyValueError(t.columns[i]!, v, type);
      if (type === 'double precision') {
        this.buf.writeInt32BE(8, this.pos);
        this.buf.writeDoubleBE(v, this.pos + 4);
        this.pos += 12;
      } else if (type === 'timestamptz') {
        if (!Number.isFinite(v)) throw new CopyValueError(t.columns[i]!, v, type);
        this.int64(Math.round((v - PG_EPOCH_MS) * 1000));
      } else {
        if (!Number.isSafeInteger(v)) throw new CopyValueError(t.columns[i]!, v, type);
        this.int64(v);
      }
    }
  }

  /** The tuples written since the last take; the writer goes on in another buffer from the pool. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = this.pool.get();
    this.pos = 0;
    return out;
  }

  /** Done with this writer: its unused buffer goes back to the pool. */
  release(): void {
    this.pool.put([this.buf]);
  }
}
