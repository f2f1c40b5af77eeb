import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../main/node/store/store.js';
import type { SyncTableName } from '../../main/node/store/tables.js';
import { syncTableDefs } from '../../main/node/store/tables.js';
import { derivativeDatasets } from '../../main/node/datasets/derivatives.js';
import type { Cell } from '../../main/node/store/sync-table.js';
import { tempDataDir } from '../helpers/headless.js';
import { addPeer, removeDir, startNode, waitFor, type SyncNodeProc } from './receiver-harness.js';
import { startHeadless } from '../helpers/headless.js';

// Real built headless nodes (npm run build) on loopback: A has rows in every derivatives table,
// B pairs with A and must end up with the same rows, bookkeeping included.
const started: SyncNodeProc[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((n) => n.kill()));
});
afterAll(() => dirs.forEach(removeDir));

const T = Date.UTC(2026, 5, 1, 16, 0);
const COINS = ['BTC', 'ETH', 'SOL', 'DOGE'];

/** Rows the way the derivatives writers shape them, a few hundred per table. */
function rowsOf(table: SyncTableName): Cell[][] {
  const out: Cell[][] = [];
  COINS.forEach((coin, c) => {
    for (let i = 0; i < 120; i++) {
      const ts = T + i * 60_000;
      if (table === 'mark_prices') out.push([coin, ts, 100 + c + i / 7, ts + 59_000]);
      if (table === 'funding_rates') out.push([coin, T + i * 28_800_000, 0.0001 - i / 1e7, i < 119 ? 0.00009 : null]);
      if (table === 'open_interest') out.push([coin, T + i * 300_000, 1_000 + i, 10 + i / 10, i % 2 ? null : 123_456.78]);
      if (table === 'liquidations')
        out.push([coin, ts + c, i % 2 ? 'buy' : 'sell', 99.5 + i / 100, 1 + (i % 5), i % 2 ? 'short' : 'long', 0]);
    }
    if (table === 'order_books') out.push([coin, T + c, JSON.stringify([[100, 1]]), JSON.stringify([[100.1, 2]])]);
  });
  if (table === 'swap_tickers') {
    for (let i = 0; i < 40; i++) out.push([`C${i}-USDT-SWAP`, 1 + i, 1, 2 + i, 0.5, 1_000 * i, 10 * i, 1, null, T + i]);
  }
  return out;
}

function seed(dir: string): void {
  const store = Store.open(dir);
  try {
    for (const d of derivativeDatasets) {
      const t = d.table as SyncTableName;
      store.write(() => store.tables[t].upsertLocal(rowsOf(t), store.nodeId, T + 1));
    }
  } finally {
    store.close();
  }
}

function dump(dir: string, table: SyncTableName): string[] {
  const f = fs.readdirSync(dir).find((n) => n.endsWith('.sqlite') || n.endsWith('.db'))!;
  const db = new Database(path.join(dir, f), { readonly: true, fileMustExist: true });
  try {
    const def = syncTableDefs[table];
    const cols = [...def.key, ...def.values, 'origin', 'updated_at'];
    return (
      db
        .prepare(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY ${def.key.join(', ')}`)
        .raw(true)
        .all() as unknown[][]
    ).map((r) => JSON.stringify(r));
  } finally {
    db.close();
  }
}

describe('derivatives datasets over peer sync', () => {
  it('B pulls every row of MP001, FR001, OI001, OB005, LQ001 and OKX001 from A, row for row', { timeout: 60_000 }, async () => {
    const dirA = tempDataDir('csn-deriv-a-');
    seed(dirA);
    const a = await startNode(dirA);
    const b = await startNode();
    started.push(a, b);
    dirs.push(a.dir, b.dir);

    const catalog = (await a.call('sender.catalog', {})).body.value;
    const codes = JSON.stringify(catalog);
    for (const d of derivativeDatasets) expect(codes).toContain(d.code);

    await addPeer(b, a);
    for (const d of derivativeDatasets) {
      const t = d.table as SyncTableName;
      const want = dump(a.dir, t);
      expect(want.length).toBe(rowsOf(t).length);
      await waitFor(`${d.code} on B`, () => dump(b.dir, t).length === want.length);
      expect(dump(b.dir, t)).toEqual(want);
    }
    const peer = (await b.call('sync.status', {})).body.value.peers[0];
    for (const d of derivativeDatasets) {
      const st = peer.datasetStatus.find((s: { code: string }) => s.code === d.code);
      expect(st, d.code).toMatchObject({ lag: 0, lastError: null });
    }
  });
  it('rows the live derivatives streams wrote on A (simulator) reach B row for row', { timeout: 150_000 }, async () => {
    const dirA = tempDataDir('csn-deriv-live-a-');
    dirs.push(dirA);
    const live = await startHeadless({ dataDir: dirA, args: ['--simulate', '--sender-port', '0'] });
    const view = (await live.call('sender.config.get', {})).body.value;
    const a: SyncNodeProc = {
      ...live,
      dir: dirA,
      senderUrl: view.listening.url,
      senderToken: view.token,
      senderPort: Number(new URL(view.listening.url).port),
    };
    started.push(a);
    const counts = () => derivativeDatasets.map((d) => dump(dirA, d.table as SyncTableName).length);
    // Every stream writes, funding history included (27 REST pages at 10 per 2 s).
    await waitFor('A collected every dataset', () => counts().every((n) => n > 0) && dump(dirA, 'funding_rates').length > 27 * 50, 100_000);
    // Freeze A's derivatives tables: every stream off, then the last write beats pass.
    const off = { markPrice: false, fundingRate: false, openInterest: false, books5: false, liquidations: false, swapTickers: false };
    expect((await a.call('settings.update', { streams: off })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 6_500));
    const want = Object.fromEntries(derivativeDatasets.map((d) => [d.code, dump(dirA, d.table as SyncTableName)]));
    const b = await startNode();
    started.push(b);
    dirs.push(b.dir);
    await addPeer(b, a);
    for (const d of derivativeDatasets) {
      const t = d.table as SyncTableName;
      await waitFor(`${d.code} on B`, () => dump(b.dir, t).length === want[d.code]!.length);
      expect(dump(b.dir, t), d.code).toEqual(want[d.code]);
      expect(dump(dirA, t), `${d.code} did not move on A`).toEqual(want[d.code]);
    }
  });
});
