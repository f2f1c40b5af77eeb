import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageChecksum } from '../../main/node/datasets/checksum.js';
import { PageApplier } from '../../main/node/receiver/page-apply.js';
import { PeerError, type PeerPage } from '../../main/node/receiver/peer-client.js';
import { PeerStore } from '../../main/node/receiver/peer-store.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';

const COLS = ['coin', 'ts', 'price', 'baseline', 'change_pct', 'source', 'seq', 'origin', 'updated_at'];
let dir: string;
let store: Store;
let peers: PeerStore;
let applier: PageApplier;
let peerId: string;

function page(rows: unknown[][], opts: Partial<PeerPage> & { columns?: string[] } = {}): PeerPage {
  const columns = opts.columns ?? COLS;
  const seqAt = columns.indexOf('seq');
  const last = rows.length ? (rows[rows.length - 1]![seqAt] as number) : (opts.since ?? 0);
  return {
    protocol: 1,
    code: 'PT002',
    kind: 'syncable',
    since: 0,
    nextSince: last,
    hasMore: false,
    maxSeq: last,
    count: rows.length,
    checksum: pageChecksum(columns, rows),
    columns,
    rows,
    ...opts,
  };
}
const row = (coin: string, ts: number, price: number, seq: number, updatedAt = 1_000, origin = 'peer-a') => [
  coin,
  ts,
  price,
  100,
  0.5,
  'ws',
  seq,
  origin,
  updatedAt,
];

beforeEach(() => {
  dir = tempDataDir('csn-recv-unit-');
  store = Store.open(dir);
  peers = new PeerStore(store.db);
  applier = new PageApplier(store, peers, store.tables.grid_prices);
  peerId = peers.add({ name: 'a', url: 'http://127.0.0.1:1', token: 't', intervalSec: 60, priority: 5, enabled: true, datasets: null }).id;
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('PageApplier', () => {
  it('applies rows and the cursor together and counts inserted vs updated', async () => {
    const r1 = await applier.apply(peerId, 'PT002', 0, page([row('BTC', 1, 10, 5), row('ETH', 1, 20, 7)]), 1);
    expect(r1).toEqual({ rowsIn: 2, inserted: 2, updated: 0, cursor: 7 });
    expect(peers.cursor(peerId, 'PT002')).toBe(7);
    // A newer BTC row updates, an identical ETH row is a no-op that keeps its seq.
    const seqBefore = store.seq.value;
    const r2 = await applier.apply(peerId, 'PT002', 7, page([row('BTC', 1, 11, 9, 2_000), row('ETH', 1, 20, 10)], { since: 7 }), 2);
    expect(r2).toEqual({ rowsIn: 2, inserted: 0, updated: 1, cursor: 10 });
    expect(store.seq.value).toBe(seqBefore + 1);
    // An older row loses to the stored one.
    await applier.apply(peerId, 'PT002', 10, page([row('BTC', 1, 9, 11, 500)], { since: 10 }), 3);
    expect(store.db.prepare("SELECT price FROM grid_prices WHERE coin = 'BTC'").pluck(true).get()).toBe(11);
    expect(peers.cursors(peerId)[0]).toMatchObject({ code: 'PT002', cursor: 11, rowsIn: 5, rowsInserted: 2, rowsUpdated: 1 });
  });

  it('refuses a page whose checksum does not match, applying nothing', async () => {
    const p = page([row('BTC', 1, 10, 5)]);
    (p.rows[0] as unknown[])[2] = 99;
    await expect(applier.apply(peerId, 'PT002', 0, p, 1)).rejects.toThrow(/checksum does not match/);
    expect(store.tables.grid_prices.count()).toBe(0);
    expect(peers.cursor(peerId, 'PT002')).toBe(0);
  });

  it('ignores columns it does not know and fills missing value columns with null', async () => {
    const columns = ['future', 'seq', 'coin', 'ts', 'price', 'source', 'origin', 'updated_at'];
    await applier.apply(peerId, 'PT002', 0, page([['x', 3, 'SOL', 5, 1.5, 'ws', 'peer-b', 10]], { columns }), 1);
    const got = store.db
      .prepare("SELECT coin, ts, price, baseline, origin, updated_at FROM grid_prices WHERE coin = 'SOL'")
      .raw(true)
      .get();
    expect(got).toEqual(['SOL', 5, 1.5, null, 'peer-b', 10]);
  });

  it('refuses a page missing a key column, a bad row, out-of-order seqs, a wrong nextSince', async () => {
    const noTs = COLS.filter((c) => c !== 'ts');
    await expect(applier.apply(peerId, 'PT002', 0, page([['BTC', 1, 100, 0, 'ws', 5, 'a', 1]], { columns: noTs }), 1)).rejects.toThrow(
      /lacks column ts/,
    );
    const noSource = COLS.filter((c) => c !== 'source');
    await expect(applier.apply(peerId, 'PT002', 0, page([['BTC', 1, 100, 0, 1, 5, 'a', 1]], { columns: noSource }), 1)).rejects.toThrow(
      /lacks column source/,
    );
    await expect(applier.apply(peerId, 'PT002', 0, page([['BTC', 1]]), 1)).rejects.toThrow(/does not have 9 cells/);
    await expect(applier.apply(peerId, 'PT002', 0, page([row('BTC', 1, 1, 5), row('ETH', 1, 1, 4)]), 1)).rejects.toThrow(
      /out of seq order/,
    );
    await expect(applier.apply(peerId, 'PT002', 5, page([row('BTC', 1, 1, 5)], { since: 5 }), 1)).rejects.toThrow(/out of seq order/);
    await expect(applier.apply(peerId, 'PT002', 0, page([row('BTC', 1, 1, 5)], { nextSince: 9 }), 1)).rejects.toThrow(/nextSince 9/);
    await expect(applier.apply(peerId, 'PT002', 0, page([[{ x: 1 }, 1, 1, 1, 1, 'ws', 5, 'a', 1]]), 1)).rejects.toThrow(PeerError);
    expect(store.tables.grid_prices.count()).toBe(0);
  });

  it('writes a long page in time-budgeted slices, yielding between them, and moves the cursor only with the last', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => row(`C${i}`, 1, 10 + i, i + 1));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const seen: number[] = [];
    const off = store.onCommit(() => seen.push(peers.cursor(peerId, 'PT002')));
    const r = await applier.apply(peerId, 'PT002', 0, page(rows), 1);
    clearInterval(timer);
    off();
    expect(r).toMatchObject({ rowsIn: 2_500, inserted: 2_500, updated: 0, cursor: 2_500 });
    expect(store.tables.grid_prices.count()).toBe(2_500);
    // Several commits (slices sized to a time budget); the cursor stays at 0 until the last one.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.slice(0, -1).every((c) => c === 0)).toBe(true);
    expect(seen.at(-1)).toBe(2_500);
    expect(ticks).toBeGreaterThan(0);
  });

  it('keeps rows and cursor atomic when the write fails mid-page', async () => {
    const p = page([row('BTC', 1, 10, 5), row('ETH', 1, 20, 6)]);
    // A NOT NULL violation on the second row aborts the whole transaction.
    (p.rows[1] as unknown[])[5] = null;
    p.checksum = pageChecksum(p.columns, p.rows as unknown[][]);
    await expect(applier.apply(peerId, 'PT002', 0, p, 1)).rejects.toThrow();
    expect(store.tables.grid_prices.count()).toBe(0);
    expect(peers.cursor(peerId, 'PT002')).toBe(0);
  });
});

describe('PeerStore', () => {
  it('keeps the last 100 runs per peer and persists the receiver config', () => {
    for (let i = 0; i < 130; i++) {
      peers.addRun({
        peerId,
        startedAt: i,
        durationMs: 1,
        trigger: 'interval',
        datasets: [],
        pages: 0,
        rowsIn: 0,
        rowsInserted: 0,
        rowsUpdated: 0,
        ok: true,
        error: null,
      });
    }
    const runs = peers.runs(peerId, 1_000);
    expect(runs).toHaveLength(100);
    expect(runs[0]!.startedAt).toBe(129);
    peers.saveConfig({ autoSync: false, pausedUntil: null, discovery: false });
    expect(new PeerStore(store.db).config()).toEqual({ autoSync: false, pausedUntil: null, discovery: false });
  });

  it('trims successful live pushes apart, so startup, manual and failed runs stay in the history', () => {
    const run = (trigger: 'stream' | 'startup' | 'manual', startedAt: number, ok = true) =>
      peers.addRun({
        peerId,
        startedAt,
        durationMs: 1,
        trigger,
        datasets: [],
        pages: 0,
        rowsIn: 0,
        rowsInserted: 0,
        rowsUpdated: 0,
        ok,
        error: ok ? null : 'x',
      });
    run('startup', 0);
    run('manual', 1);
    run('stream', 2, false);
    for (let i = 0; i < 300; i++) run('stream', 10 + i);
    const runs = peers.runs(peerId, 100);
    expect(runs.filter((r) => r.trigger === 'stream' && r.ok)).toHaveLength(100);
    expect(runs.slice(-3).map((r) => [r.trigger, r.ok])).toEqual([
      ['stream', false],
      ['manual', true],
      ['startup', true],
    ]);
    expect(runs[0]!.startedAt).toBe(309);
  });
});
