import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';
import { gridRows } from '../integration/receiver-harness.js';
import { until } from '../helpers/until.js';

describe('WAL checkpoints in a worker thread', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('the main connection never checkpoints; the worker copies the WAL into the database file', async () => {
    const dir = tempDataDir('csn-ckpt-');
    store = Store.open(dir, { checkpointInWorker: true });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = fs.statSync(store.path).size;
    const rows = gridRows('W', 200, 100);
    store.write(() => store!.tables.grid_prices.upsertLocal(rows, store!.nodeId, Date.now()));
    // Only a checkpoint writes pages into the database file itself (WAL mode).
    const grown = await until('the worker to checkpoint', () => fs.statSync(store!.path).size > before, 5_000, 50);
    expect(grown).toBe(true);
    expect(store.tables.grid_prices.count()).toBe(20_000);
  });

  it('a store without the worker keeps SQLite’s automatic checkpoints', () => {
    const plain = Store.open(tempDataDir('csn-ckpt-plain-'));
    expect(plain.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    plain.close();
  });
});
