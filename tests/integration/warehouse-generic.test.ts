import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetRegistry } from '../../main/node/datasets/registry.js';
import { EventBus } from '../../main/node/events/bus.js';
import { Store } from '../../main/node/store/store.js';
import type { Cell } from '../../main/node/store/sync-table.js';
import { syncTableDefs, type SyncTableName } from '../../main/node/store/tables.js';
import { parseWarehouseUrl } from '../../main/node/warehouse/connection.js';
import { WarehouseMirror } from '../../main/node/warehouse/mirror.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { bothSides, pgClient, until } from './warehouse-harness.js';

/** A value of the column's declared SQLite type, different per row `i` and per `bump`. */
function cell(type: string, i: number, bump: number, col: number): Cell {
  const t = type.toUpperCase();
  if (t === 'REAL') return i + 0.25 + bump + col / 8;
  if (t === 'INTEGER') return 1_700_000_000_000 + i * 60_000 + bump;
  return `v${i}-${bump}-${col}`;
}

/**
 * The mirror has no list of tables: every syncable table in store/tables.ts, registered under a
 * code the warehouse code has never seen, is created in PostgreSQL from the SQLite schema,
 * mirrored row for row, and keeps following changes. Tables added by later datasets (candle
 * timeframes, funding, book, …) are covered by this same loop as soon as they are declared.
 */
describe('warehouse mirror: every syncable table, with no code per dataset', () => {
  let pgs: TestPostgres;
  let dir: string;
  beforeAll(async () => {
    pgs = await startPostgres();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-wh-generic-'));
  }, 60_000);
  afterAll(() => {
    pgs?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('each table of syncTableDefs under a new code: created, equal row for row, updates followed', async () => {
    pgs.psql('CREATE DATABASE generic OWNER csn');
    const store = Store.open(dir);
    const registry = new DatasetRegistry(store.db, { db: store.db, coins: () => [], now: Date.now });
    const names = Object.keys(syncTableDefs) as SyncTableName[];
    expect(names.length).toBeGreaterThanOrEqual(2);
    const codes = names.map((name, i) => {
      const code = `WG${String(i + 1).padStart(3, '0')}`;
      registry.register({ code, kind: 'syncable', table: name, name, nameZh: name, category: 'test', description: name, interval: 0 });
      return code;
    });
    const seed = (bump: number, rows: number) => {
      for (const name of names) {
        const def = syncTableDefs[name];
        const info = store.db.prepare(`PRAGMA table_info(${name})`).all() as { name: string; type: string }[];
        const typeOf = (c: string) => info.find((x) => x.name === c)?.type ?? 'TEXT';
        const cols = [...def.key, ...def.values];
        // Key cells depend on the row only (so a bump changes values of the same keys).
        const batch = Array.from({ length: rows }, (_, i) =>
          cols.map((c, ci) => cell(typeOf(c), i, def.key.includes(c as never) ? 0 : bump, ci)),
        );
        store.write(() => store.tables[name].upsertLocal(batch, store.nodeId, 1_700_000_000_000 + bump));
      }
    };
    seed(0, 1_500);

    const { safeUrl, password } = parseWarehouseUrl(pgs.url('generic'));
    const warehouse = new WarehouseMirror({
      db: store.db,
      registry,
      bus: new EventBus(),
      nodeId: store.nodeId,
      log: { info: () => {}, warn: () => {} },
      target: () => ({ url: safeUrl, password, datasets: registry.codes() }),
      pageRows: 1_000,
      pollMs: 100,
    });
    const caughtUp = () => {
      const s = warehouse.mirrorStatus();
      return s.state === 'ok' && s.datasets.every((d) => d.error === null && d.mirroredSeq === d.nodeSeq);
    };
    const c = await pgClient(pgs.url('generic'));
    warehouse.start();
    try {
      await until(caughtUp, 30_000, 'first mirror');
      expect(warehouse.mirrorTables().map((t) => t.table.code)).toEqual(codes);
      const made = await c.query<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'coin_sync' AND table_name LIKE 'wg%' ORDER BY 1",
      );
      expect(made.rows.map((r) => r.t)).toEqual(codes.map((x) => x.toLowerCase()).sort());
      const check = async (rows: number) => {
        const sides = await bothSides({ warehouse, store }, c);
        expect([...sides.keys()]).toEqual(codes);
        for (const [code, s] of sides) {
          expect(s.sqlite.length, code).toBe(rows);
          expect(s.pg, code).toEqual(s.sqlite);
        }
      };
      await check(1_500);
      // Changed values for the same keys plus new keys: merged by key, no duplicates.
      seed(7, 2_000);
      await until(caughtUp, 30_000, 'second mirror');
      await check(2_000);
    } finally {
      await warehouse.stop();
      await c.end();
      store.close();
    }
  }, 90_000);

  it('a page worker that cannot open the database: the mirror reads on the main thread and catches up', async () => {
    pgs.psql('CREATE DATABASE fallback OWNER csn');
    const fbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-wh-fallback-'));
    const store = Store.open(fbDir);
    const registry = new DatasetRegistry(store.db, { db: store.db, coins: () => [], now: Date.now });
    registry.register({
      code: 'WF001',
      kind: 'syncable',
      table: 'ticks',
      name: 't',
      nameZh: 't',
      category: 'test',
      description: 't',
      interval: 0,
    });
    store.write(() => store.tables.ticks.upsertLocal([['BTC', 1, 2, 'live', null, null]], store.nodeId, 1_700_000_000_000));
    const warned: string[] = [];
    const { safeUrl, password } = parseWarehouseUrl(pgs.url('fallback'));
    const warehouse = new WarehouseMirror({
      db: store.db,
      registry,
      bus: new EventBus(),
      nodeId: store.nodeId,
      log: { info: () => {}, warn: (m) => warned.push(m) },
      target: () => ({ url: safeUrl, password, datasets: ['WF001'] }),
      pollMs: 100,
      backoff: { baseMs: 50, maxMs: 200 },
      dbFile: path.join(fbDir, 'missing', 'no.db'),
    });
    warehouse.start();
    try {
      await until(() => warehouse.mirrorStatus().datasets[0]?.mirroredSeq === registry.maxSeq('WF001'), 20_000, 'mirrored anyway');
      expect(warehouse.readsOffThread).toBe(false);
      expect(warned.some((m) => /pages are read on the main thread/.test(m))).toBe(true);
    } finally {
      await warehouse.stop();
      store.close();
      fs.rmSync(fbDir, { recursive: true, force: true });
    }
  }, 60_000);

  it.each([
    ['on the main thread', false],
    ['in the page worker', true],
  ])(
    'binary COPY carries edge values exactly (%s): text with tabs, newlines, backslashes and non-ASCII, extreme doubles, old and far times',
    async (_how, worker) => {
      const db = worker ? 'edges_worker' : 'edges_main';
      pgs.psql(`CREATE DATABASE ${db} OWNER csn`);
      const edgeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-wh-edges-'));
      const store = Store.open(edgeDir);
      const registry = new DatasetRegistry(store.db, { db: store.db, coins: () => [], now: Date.now });
      registry.register({
        code: 'WE001',
        kind: 'syncable',
        table: 'ticks',
        name: 't',
        nameZh: 't',
        category: 'test',
        description: 't',
        interval: 0,
      });
      // ticks: coin, price, ts, source, baseline, change_pct
      const rows: Cell[][] = [
        ['tab\there', 5e-324, -86_400_000 * 365 * 30, 'line\nbreak\r\n', null, -2.5e-8],
        ['back\\slash', 1.7976931348623157e308, 32_503_680_000_000, '\\N', Infinity, -Infinity],
        ['币-é-🚀', 0.1 + 0.2, 1, 'x'.repeat(5_000), 123456.789, 1e-300],
        ['', -123.456, 0, '', 0, null],
      ];
      store.write(() => store.tables.ticks.upsertLocal(rows, store.nodeId, 1_700_000_000_000));
      const { safeUrl, password } = parseWarehouseUrl(pgs.url(db));
      const warehouse = new WarehouseMirror({
        db: store.db,
        registry,
        bus: new EventBus(),
        nodeId: store.nodeId,
        log: { info: () => {}, warn: () => {} },
        target: () => ({ url: safeUrl, password, datasets: ['WE001'] }),
        pollMs: 100,
        ...(worker && { dbFile: store.path }),
      });
      const c = await pgClient(pgs.url(db));
      warehouse.start();
      try {
        expect(warehouse.readsOffThread).toBe(worker);
        await until(() => warehouse.mirrorStatus().datasets[0]?.mirroredSeq === registry.maxSeq('WE001'), 20_000, 'edges mirrored');
        const got = await c.query<{ coin: string; price: string; ts: string; source: string; baseline: string | null; chg: string | null }>(
          `SELECT coin, price::text AS price, (extract(epoch from ts) * 1000)::bigint::text AS ts, source,
                baseline::text AS baseline, change_pct::text AS chg FROM coin_sync.we001`,
        );
        const byCoin = new Map(got.rows.map((r) => [r.coin, r]));
        expect([...byCoin.keys()].sort()).toEqual(rows.map((r) => r[0] as string).sort());
        // float8 text output is the shortest round-trip text, like JavaScript's: Number() gives the double back.
        const num = (v: string | null) => (v === null ? null : Number(v));
        for (const r of rows) {
          const g = byCoin.get(r[0] as string)!;
          expect(num(g.price), String(r[0])).toBe(r[1]);
          expect(g.ts).toBe(String(r[2]));
          expect(g.source).toBe(r[3]);
          expect(num(g.baseline)).toBe(r[4]);
          expect(num(g.chg)).toBe(r[5]);
        }
      } finally {
        await warehouse.stop();
        await c.end();
        store.close();
        fs.rmSync(edgeDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
