import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageHasher, pageChecksum } from '../../main/node/datasets/checksum.js';
import { PageApplier } from '../../main/node/receiver/page-apply.js';
import type { PeerPage } from '../../main/node/receiver/peer-client.js';
import { PeerStore } from '../../main/node/receiver/peer-store.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';

const COLS = ['coin', 'ts', 'price', 'baseline', 'change_pct', 'source', 'seq', 'origin', 'updated_at'];
const row = (i: number, updatedAt = 1_000): unknown[] => [`C${i}`, 1, 10 + i / 7, null, -0.5, 'ws "q" \u2028', i + 1, 'peer-a', updatedAt];

function page(rows: unknown[][]): PeerPage {
  const last = rows.length ? (rows[rows.length - 1]![6] as number) : 0;
  return {
    protocol: 1,
    code: 'PT002',
    kind: 'syncable',
    since: 0,
    nextSince: last,
    hasMore: false,
    maxSeq: last,
    count: rows.length,
    checksum: pageChecksum(COLS, rows),
    columns: COLS,
    rows,
  };
}

describe('PageHasher', () => {
  it('gives the page checksum for any split of the rows, including none', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(i));
    for (const step of [1, 7, 50, 64]) {
      const h = new PageHasher(COLS);
      for (let i = 0; i < rows.length; i += step) h.add(rows.slice(i, i + step)).add([]);
      expect(h.digest()).toBe(pageChecksum(COLS, rows));
    }
    expect(new PageHasher(COLS).digest()).toBe(pageChecksum(COLS, []));
  });
});

describe('page verification and merge', () => {
  let dir: string;
  let store: Store;
  let peers: PeerStore;
  let peerId: string;
  beforeEach(() => {
    dir = tempDataDir('csn-verify-unit-');
    store = Store.open(dir);
    peers = new PeerStore(store.db);
    peerId = peers.add({
      name: 'a',
      url: 'http://127.0.0.1:1',
      token: 't',
      intervalSec: 60,
      priority: 5,
      enabled: true,
      datasets: null,
    }).id;
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets the event loop run before a page is verified and before its first slice is written', async () => {
    const applier = new PageApplier(store, peers, store.tables.grid_prices);
    const order: string[] = [];
    const off = store.onCommit(() => order.push('commit'));
    setImmediate(() => order.push('immediate'));
    await applier.apply(peerId, 'PT002', 0, page([row(0), row(1)]), 1);
    off();
    expect(order).toEqual(['immediate', 'commit']);
  });

  it('counts inserts and updates without a separate existence query, and skips older or equal rows', async () => {
    const applier = new PageApplier(store, peers, store.tables.grid_prices);
    const first = await applier.apply(peerId, 'PT002', 0, page([row(0), row(1), row(2)]), 1);
    expect(first).toMatchObject({ inserted: 3, updated: 0 });
    const seqAfterFirst = store.seq.value;
    // Same keys: one newer and different (updated), one identical (kept), one older (kept); plus a new key.
    const second = [row(0, 2_000), row(1), row(2, 500), row(3)].map((r, i) => {
      r[6] = 10 + i;
      if (i !== 1) r[2] = 999;
      return r;
    });
    const r = await applier.apply(peerId, 'PT002', 3, { ...page(second), since: 3 }, 2);
    expect(r).toMatchObject({ rowsIn: 4, inserted: 1, updated: 1, cursor: 13 });
    // Only the two rows that changed took new seqs.
    expect(store.seq.value).toBe(seqAfterFirst + 2);
    expect(store.tables.grid_prices.count()).toBe(4);
  });
});
