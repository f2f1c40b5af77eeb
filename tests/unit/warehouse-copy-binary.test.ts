import { describe, expect, it } from 'vitest';
import { BinaryTupleWriter, BufferPool, COPY_BINARY_HEADER, CopyValueError } from '../../main/node/warehouse/copy-binary.js';
import { dataErrorSentence, isDataError } from '../../main/node/warehouse/page-writer.js';
import type { MirrorTable } from '../../main/node/warehouse/schema.js';

const table: MirrorTable = {
  code: 'KL030',
  qualified: 'coin_sync.kl030',
  key: ['coin', 'ts'],
  columns: ['coin', 'ts', 'close', 'confirm'],
  // The page row has seq in between: the writer picks columns by sourceIndex.
  sourceIndex: [0, 1, 3, 4],
  types: ['text', 'timestamptz', 'double precision', 'bigint'],
  notNull: [true, true, false, false],
  timeColumn: 'ts',
};

/** Reads tuples back as PostgreSQL would (the format in the COPY docs). */
function decode(buf: Buffer): unknown[][] {
  const out: unknown[][] = [];
  let pos = 0;
  while (pos < buf.length) {
    const n = buf.readInt16BE(pos);
    pos += 2;
    const row: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const len = buf.readInt32BE(pos);
      pos += 4;
      if (len === -1) {
        row.push(null);
        continue;
      }
      const b = buf.subarray(pos, pos + len);
      pos += len;
      const type = table.types[i];
      if (type === 'text') row.push(b.toString('utf8'));
      else if (type === 'double precision') row.push(b.readDoubleBE(0));
      else if (type === 'timestamptz') row.push(Number(b.readBigInt64BE(0)) / 1000 + 946_684_800_000);
      else row.push(Number(b.readBigInt64BE(0)));
    }
    out.push(row);
  }
  return out;
}

describe('binary COPY tuples', () => {
  it('writes the header PostgreSQL expects and tuples that decode to the page rows', () => {
    expect(COPY_BINARY_HEADER.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(COPY_BINARY_HEADER.length).toBe(19);
    const w = new BinaryTupleWriter(table, new BufferPool(64));
    const rows = [
      ['BTC', 1_767_225_600_000, 999, 97_123.5, 1],
      ['币-é', -2_000_000_000_000, 998, null, -9_007_199_254_740_991],
      ['BTC', 1, 997, -Infinity, null],
    ];
    for (const r of rows) w.row(r);
    const got = decode(w.take());
    expect(got).toEqual(rows.map((r) => [r[0], r[1], r[3], r[4]]));
  });

  it('grows past a pooled buffer and hands pooled buffers back for reuse', () => {
    const pool = new BufferPool(64, 4);
    const w = new BinaryTupleWriter(table, pool);
    const long = 'x'.repeat(500);
    w.row([long, 0, 0, 1.5, 0]);
    const big = w.take();
    expect(decode(big)[0]![0]).toBe(long);
    w.row(['ETH', 0, 0, 2.5, 0]);
    const small = w.take();
    expect(small.buffer.byteLength).toBe(64);
    pool.put([small, big]);
    // The pooled one comes back (same memory); the grown one is left to the GC.
    expect(pool.get().buffer).toBe(small.buffer);
  });

  it('a value that does not fit its column stops with a sentence naming table and column', () => {
    const w = new BinaryTupleWriter(table);
    let err: unknown;
    try {
      w.row(['BTC', 0, 0, 'not a number', 0]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CopyValueError);
    expect(isDataError(err)).toBe(true);
    expect(dataErrorSentence('coin_sync.kl030', err)).toBe(
      'coin_sync.kl030 (column close): a row in the node\'s store has "not a number", which is not a double precision; this dataset waits until that row is corrected.',
    );
    expect(() => w.row(['BTC', 0, 0, 1, 1.5])).toThrow(CopyValueError);
  });
});
