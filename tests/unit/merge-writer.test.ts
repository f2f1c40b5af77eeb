import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageChecksum } from '../../main/node/datasets/checksum.js';
import { PageApplier } from '../../main/node/receiver/page-apply.js';
import type { PeerPage } from '../../main/node/receiver/peer-client.js';
import { PeerStore } from '../../main/node/receiver/peer-store.js';
import type { CommitInfo } from '../../main/node/store/store.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';

const COLS = ['coin', 'ts', 'price', 'baseline', 'change_pct', 'source', 'seq', 'origin', 'updated_at'];
const row = (coin: string, ts: number, price: number, seq: number, updatedAt = 1_000): unknown[] => [
  coin,
  ts,
  price,
  100,
  0.5,
  'ws',
  seq,
  'peer-a',
  updatedAt,
];

function page(rows: unknown[][], since = 0): PeerPage {
  const last = rows.length ? (rows[rows.length - 1]![6] as number) : since;
  return {
    protocol: 1,
    code: 'PT002',
    kind: 'syncable',
    since,
    nextSince: last,
    hasMore: false,
    maxSeq: last,
    count: rows.length,
    checksum: pageChecksum(COLS, rows),
    columns: COLS,
    rows,
  };
}

let dir: string;
let store: Store;
let peers: PeerStore;
let peerId: string;
beforeEach(() => {
  dir = tempDataDir('csn-merge-worker-');
  store = Store.open(dir, { checkpointInWorker: true, mergeInWorker: true });
  peers = new PeerStore(store.db);
  peerId = peers.add({ name: 'a', url: 'http://127.0.0.1:1', token: 't', intervalSec: 60, priority: 5, enabled: true, datasets: null }).id;
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('merge worker (received pages written off the main thread)', () => {
  it('writes a page with its cursor, counts inserts and updates, and announces the commits', async () => {
    expect(store.mergeWriter).not.toBeNull();
    const seen: CommitInfo[] = [];
    store.onCommit((c) => seen.push(c));
    const applier = new PageApplier(store, peers, store.tables.grid_prices);
    const rows = Array.from({ length: 3_000 }, (_, i) => row(`C${i}`, 1, 10 + i, i + 1));
    const r = await applier.apply(peerId, 'PT002', 0, page(rows), 5);
    expect(r).toEqual({ rowsIn: 3_000, inserted: 3_000, updated: 0, cursor: 3_000 });
    expect(store.tables.grid_prices.count()).toBe(3_000);
    expect(peers.cursor(peerId, 'PT002')).toBe(3_000);
    expect(seen.reduce((n, c) => n + c.rows, 0)).toBe(3_000);
    expect(seen.every((c) => c.table === 'grid_prices')).toBe(true);
    expect(seen.at(-1)!.maxSeq).toBe(store.seq.value);

    const again = await applier.apply(peerId, 'PT002', 3_000, page([row('C0', 1, 999, 3_001, 2_000), row('C1', 1, 11, 3_002)], 3_000), 6);
    expect(again).toMatchObject({ inserted: 0, updated: 1, cursor: 3_002 });
  });

  it('shares the change sequence with main-thread writes: every seq is unique and increasing', async () => {
    const applier = new PageApplier(store, peers, store.tables.grid_prices);
    const rows = Array.from({ length: 4_000 }, (_, i) => row(`P${i}`, 1, 1 + i, i + 1));
    const applying = applier.apply(peerId, 'PT002', 0, page(rows), 1);
    // Local writes on the main connection while the worker writes the page.
    for (let i = 0; i < 40; i++) {
      store.write(() => store.tables.ticks.upsertLocal([[`L${i}`, i, i, 'ws', null, null]], store.nodeId, i + 1));
      await new Promise((r) => setImmediate(r));
    }
    await applying;
    const seqs = store.db.prepare('SELECT seq FROM grid_prices UNION ALL SELECT seq FROM ticks ORDER BY seq').pluck(true).all() as number[];
    expect(seqs.length).toBe(4_040);
    expect(new Set(seqs).size).toBe(4_040);
    expect(store.seq.value).toBe(seqs.at(-1));
    // Reopened, the sequence continues after the last one either connection wrote.
    store.close();
    store = Store.open(dir);
    expect(store.seq.value).toBe(seqs.at(-1));
  });

  it('a page whose last slice fails keeps the cursor where it was; pulled again, it completes', async () => {
    const applier = new PageApplier(store, peers, store.tables.grid_prices);
    const rows = Array.from({ length: 3_000 }, (_, i) => row(`C${i}`, 1, 10 + i, i + 1));
    // A real SQLite failure in the worker's last transaction (a trigger is visible to every connection).
    store.db.exec(`CREATE TRIGGER fail_last BEFORE INSERT ON grid_prices WHEN NEW.coin = 'C2999' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    await expect(applier.apply(peerId, 'PT002', 0, page(rows), 1)).rejects.toThrow(/boom/);
    expect(peers.cursor(peerId, 'PT002')).toBe(0);
    expect(store.tables.grid_prices.count()).toBeLessThan(3_000);
    store.db.exec('DROP TRIGGER fail_last');
    const r = await applier.apply(peerId, 'PT002', 0, page(rows), 2);
    expect(r.inserted + r.updated).toBeLessThanOrEqual(3_000);
    expect(store.tables.grid_prices.count()).toBe(3_000);
    expect(peers.cursor(peerId, 'PT002')).toBe(3_000);
  });
});
