// DerivsSink (the write path) and DerivsQueries (market.coin, .liquidations, .tickers) on a real
// SQLite file: buckets, carry-forward, changed-only seqs, 24 h OI change, updatedAt per field.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DerivsQueries } from '../../main/node/market/derivs/derivs-queries.js';
import { DerivsSink, OI_BUCKET_MS } from '../../main/node/market/derivs/derivs-sink.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';

let store: Store | undefined;
let dir: string | undefined;
afterEach(() => {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  store = dir = undefined;
});
function open() {
  dir = tempDataDir('csn-derivs-unit-');
  store = Store.open(dir);
  return store;
}
const T = Date.UTC(2026, 2, 10, 4, 0); // a 5-minute and minute boundary
const all = (s: Store, sql: string) => s.db.prepare(sql).raw(true).all();

describe('DerivsSink', () => {
  it('keeps one mark-price row per coin and minute with the latest value, and takes a seq only on a real change', () => {
    const s = open();
    let now = T;
    const sink = new DerivsSink(s, () => now);
    sink.markPrice('BTC', 100, T + 1_000);
    sink.markPrice('BTC', 101, T + 4_000);
    sink.markPrice('BTC', 102, T + 61_000);
    sink.flush(true);
    expect(all(s, 'SELECT coin, ts, mark_px, px_ts FROM mark_prices ORDER BY ts')).toEqual([
      ['BTC', T, 101, T + 4_000],
      ['BTC', T + 60_000, 102, T + 61_000],
    ]);
    const seq = s.seq.value;
    sink.markPrice('BTC', 102, T + 61_000);
    now += 5_000;
    sink.flush(true);
    expect(s.seq.value).toBe(seq);
  });

  it('keeps open interest on the 5-minute grid, carries the last value into a new bucket, and ignores a late older value', () => {
    const s = open();
    let now = T + 10_000;
    const sink = new DerivsSink(s, () => now);
    sink.openInterest('ETH', 1_000, 100, null, T + 9_000);
    sink.openInterest('ETH', 900, 90, null, T + 3_000); // older than what we have: dropped
    sink.flush(true);
    now = T + OI_BUCKET_MS + 2_000; // into the next bucket without any push
    sink.flush(true);
    now = T + 4 * OI_BUCKET_MS; // 15 minutes of silence: no longer carried
    sink.flush(true);
    expect(all(s, 'SELECT ts, oi, oi_ccy FROM open_interest ORDER BY ts')).toEqual([
      [T, 1_000, 100],
      [T + OI_BUCKET_MS, 1_000, 100],
    ]);
  });
});

describe('DerivsQueries', () => {
  it('market.coin: latest of every field with its updatedAt, OI change over 24 h, the book best first', () => {
    const s = open();
    const q = new DerivsQueries(s.db);
    const write = (
      table: 'mark_prices' | 'funding_rates' | 'open_interest' | 'order_books' | 'swap_tickers',
      rows: (string | number | null)[][],
      at: number,
    ) => s.write(() => s.tables[table].upsertLocal(rows, s.nodeId, at));
    expect(q.coin('SOL')).toMatchObject({ markPx: { value: null, updatedAt: null }, openInterestChange24hPct: null, book: { bids: [] } });
    write(
      'mark_prices',
      [
        ['SOL', T - 60_000, 150, T - 1],
        ['SOL', T, 151, T + 2],
      ],
      T + 10,
    );
    write(
      'funding_rates',
      [
        ['SOL', T - 8 * 3_600_000, 0.0001, 0.0001],
        ['SOL', T + 4 * 3_600_000, -0.0002, null],
      ],
      T + 20,
    );
    write(
      'open_interest',
      [
        ['SOL', T - 86_400_000 - OI_BUCKET_MS, 400, null, null],
        ['SOL', T - 86_400_000, 500, null, null],
        ['SOL', T, 600, null, null],
      ],
      T + 30,
    );
    write('order_books', [['SOL', T, '[[150.9,3],[150.8,1]]', '[[151,2],[151.1,4]]']], T + 40);
    write('swap_tickers', [['SOL-USDT-SWAP', 151, 140, 155, 139, 1_000, 10, 141, 142, T]], T + 50);
    const c = q.coin('SOL');
    expect(c.markPx).toEqual({ value: 151, updatedAt: T + 10 });
    expect(c.fundingRate).toEqual({ value: -0.0002, updatedAt: T + 20 });
    expect(c.nextFundingTime).toEqual({ value: T + 4 * 3_600_000, updatedAt: T + 20 });
    expect(c.openInterest).toEqual({ value: 600, updatedAt: T + 30 });
    expect(c.openInterestChange24hPct).toBeCloseTo(20, 10);
    expect(c.book).toEqual({
      bids: [
        { px: 150.9, sz: 3 },
        { px: 150.8, sz: 1 },
      ],
      asks: [
        { px: 151, sz: 2 },
        { px: 151.1, sz: 4 },
      ],
      updatedAt: T + 40,
    });
    expect([c.open24h.value, c.high24h.value, c.low24h.value, c.vol24h.value]).toEqual([140, 155, 139, 1_000]);
    // No PT001 tick on this node: last comes from OKX001.
    expect(c.last).toEqual({ value: 151, updatedAt: T + 50 });
    expect(q.knows('SOL')).toBe(true);
    expect(q.knows('NOPE')).toBe(false);
    expect(q.tickers()).toEqual({
      updatedAt: T + 50,
      rows: [{ instId: 'SOL-USDT-SWAP', last: 151, open24h: 140, high24h: 155, low24h: 139, vol24h: 1_000, volCcy24h: 10, ts: T }],
    });
  });
});
