import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/headless.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { bothSides, caughtUp, DAY, pgClient, seedCandles, startNode, T0, until, type TestNode } from './warehouse-harness.js';

describe('warehouse mirror into a real PostgreSQL', () => {
  let pgs: TestPostgres;
  let dbs = 0;
  const open: TestNode[] = [];
  /** A fresh database owned by the application role. */
  const freshDb = () => {
    dbs += 1;
    pgs.psql(`CREATE DATABASE wh${dbs} OWNER csn`);
    return pgs.url(`wh${dbs}`);
  };
  const node = async (url: string | undefined, opts: Parameters<typeof startNode>[1] = {}) => {
    const n = await startNode(url, opts);
    open.push(n);
    return n;
  };

  beforeAll(async () => {
    pgs = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const n of open) await n.close().catch(() => {});
    pgs?.remove();
  });

  it('3 days × 27 backfilled: every table equals the node row for row, sum27 equals market.sumSeries', async () => {
    const url = freshDb();
    const { node: n } = await node(url);
    seedCandles(n, 3);
    await until(() => caughtUp(n), 30_000, 'mirror caught up');
    // The node's mirror reads its pages in the worker (its own read-only connection).
    expect(n.warehouse.readsOffThread).toBe(true);
    const c = await pgClient(url);
    try {
      const sides = await bothSides(n, c);
      expect([...sides.keys()].sort()).toEqual([
        'FR001',
        'KL001',
        'KL005',
        'KL015',
        'KL030',
        'KL060',
        'KL240',
        'KLD01',
        'LQ001',
        'MP001',
        'OB005',
        'OI001',
        'OKX001',
        'PB001',
        'PS001',
        'PT001',
        'PT002',
      ]);
      for (const [code, s] of sides) {
        expect(s.pg.length, code).toBe(s.sqlite.length);
        expect(s.pg, code).toEqual(s.sqlite);
      }
      expect(sides.get('KL030')!.pg.length).toBe(3 * 48 * 27);
      expect(sides.get('PT002')!.pg.length).toBe(3 * 48 * 27);
      const series = await n.call('market.sumSeries', { from: T0, to: T0 + 3 * DAY });
      if (!series.ok) throw new Error(series.error.message);
      const sum = await c.query<{ ts: number; sum: number; coins: number }>(
        `SELECT (extract(epoch from ts) * 1000)::float8 AS ts, sum, coins FROM coin_sync.sum27 ORDER BY ts`,
      );
      const node27 = series.value.points.filter((p) => p.sum !== null);
      expect(sum.rows.map((r) => r.ts)).toEqual(node27.map((p) => p.ts));
      sum.rows.forEach((r, i) => {
        expect(r.sum).toBeCloseTo(node27[i]!.sum!, 9);
        expect(r.coins).toBe(node27[i]!.covered);
      });
      const views = await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM coin_sync.candles');
      expect(Number(views.rows[0]!.n)).toBe(3 * 48 * 27);
      const grid = await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM coin_sync.grid_30m');
      expect(Number(grid.rows[0]!.n)).toBe(3 * 48 * 27);
      const version = await c.query<{ v: number }>('SELECT max(version) AS v FROM coin_sync.schema_version');
      expect(version.rows[0]!.v).toBe(2);
      const brin = await c.query("SELECT 1 FROM pg_indexes WHERE schemaname = 'coin_sync' AND indexdef ILIKE '%brin%'");
      expect(brin.rowCount).toBeGreaterThanOrEqual(2);
    } finally {
      await c.end();
    }
  }, 60_000);

  it('the connection dies mid-mirror again and again: after reconnects the tables are equal, once per key, cursor at the node seq', async () => {
    const url = freshDb();
    const t = await node(undefined, { pageRows: 500 });
    seedCandles(t.node, 30);
    await t.close();
    open.pop();
    const { node: n } = await node(url, { dir: t.dir, pageRows: 500 });
    const c = await pgClient(pgs.url());
    let kills = 0;
    try {
      // Terminate the mirror's backend while pages are being written (COPY, merge or cursor).
      while (!caughtUp(n) && kills < 8) {
        await new Promise((r) => setTimeout(r, 150));
        const r = await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'coin-sync-node'");
        kills += r.rowCount ?? 0;
      }
    } finally {
      await c.end();
    }
    expect(kills).toBeGreaterThan(0);
    await until(() => caughtUp(n), 60_000, 'mirror caught up after kills');
    const w = await pgClient(url);
    try {
      for (const [code, s] of await bothSides(n, w)) expect(s.pg, code).toEqual(s.sqlite);
      const cur = await w.query<{ dataset: string; seq: string }>('SELECT dataset, seq FROM coin_sync.cursors WHERE node_id = $1', [
        n.store.nodeId,
      ]);
      for (const r of cur.rows)
        expect(Number(r.seq), r.dataset).toBe(n.warehouse.mirrorStatus().datasets.find((d) => d.code === r.dataset)!.nodeSeq);
      const dup = await w.query('SELECT coin, bar, ts FROM coin_sync.kl030 GROUP BY coin, bar, ts HAVING COUNT(*) > 1');
      expect(dup.rowCount).toBe(0);
    } finally {
      await w.end();
    }
  }, 120_000);

  it('SIGKILL of the node during a 30-day mirror, then restart: tables equal, no duplicate keys, cursor at the node seq', async () => {
    const url = freshDb();
    const seeded = await node(undefined);
    seedCandles(seeded.node, 30);
    await seeded.close();
    open.pop();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'tests/integration/warehouse-crash-child.ts'), seeded.dir, url],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child mirrored nothing')), 30_000);
      readline.createInterface({ input: child.stdout! }).on('line', (l) => {
        const m = /^mirrored (\d+)$/.exec(l);
        if (m && Number(m[1]) > 3_000) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await exited;
    const { node: n } = await node(url, { dir: seeded.dir });
    const before = n.warehouse.mirrorStatus().datasets.find((d) => d.code === 'KL030')!;
    expect(before.nodeSeq).toBeGreaterThan(30_000);
    await until(() => caughtUp(n), 60_000, 'caught up after the crash');
    const c = await pgClient(url);
    try {
      for (const [code, s] of await bothSides(n, c)) expect(s.pg, code).toEqual(s.sqlite);
      const dup = await c.query('SELECT coin, bar, ts FROM coin_sync.kl030 GROUP BY coin, bar, ts HAVING COUNT(*) > 1');
      expect(dup.rowCount).toBe(0);
      const cur = await c.query<{ seq: string }>("SELECT seq FROM coin_sync.cursors WHERE node_id = $1 AND dataset = 'KL030'", [
        n.store.nodeId,
      ]);
      expect(Number(cur.rows[0]!.seq)).toBe(n.warehouse.mirrorStatus().datasets.find((d) => d.code === 'KL030')!.nodeSeq);
    } finally {
      await c.end();
    }
  }, 120_000);

  it('PostgreSQL stopped during writes: the node keeps working, the mirror shows the error and catches up', async () => {
    const url = freshDb();
    const { node: n } = await node(url);
    seedCandles(n, 1);
    await until(() => caughtUp(n), 30_000, 'first catch-up');
    pgs.stop();
    try {
      seedCandles(n, 2, T0 + DAY);
      await until(() => /No PostgreSQL server answers/.test(n.warehouse.mirrorStatus().lastError ?? ''), 20_000, 'the refused error');
      const s = n.warehouse.mirrorStatus();
      expect(s.lastError).toMatch(/No PostgreSQL server answers at 127\.0\.0\.1:\d+/);
      expect(s.lastError).not.toContain(pgs.password);
      expect(s.datasets.find((d) => d.code === 'KL030')!.lagRows).toBe(2 * 48 * 27);
      // The node still answers while the warehouse is down.
      const day = await n.call('market.sumSeries', { from: T0, to: T0 + 3 * DAY });
      expect(day.ok).toBe(true);
    } finally {
      pgs.start();
    }
    await until(() => caughtUp(n), 30_000, 'catch-up after restart');
    const c = await pgClient(url);
    try {
      for (const [code, s] of await bothSides(n, c)) expect(s.pg, code).toEqual(s.sqlite);
    } finally {
      await c.end();
    }
  }, 90_000);

  it('two nodes with the same synced rows mirror into one database: one row per key, a cursor each', async () => {
    const url = freshDb();
    const a = await node(url);
    seedCandles(a.node, 2);
    // B holds A's rows as a receiver would merge them (same origin and updated_at).
    const b = await node(undefined);
    for (const name of ['grid_prices', 'candles', 'baselines'] as const) {
      const cols = [...a.node.store.tables[name].columns];
      const rows = a.node.store.db
        .prepare(`SELECT ${cols.join(', ')}, origin, updated_at FROM ${name}`)
        .raw(true)
        .all() as (string | number | null)[][];
      b.node.store.write(() =>
        b.node.store.tables[name].upsertMerged(
          rows.map((r) => ({ cells: r.slice(0, cols.length), origin: String(r[cols.length]), updatedAt: Number(r[cols.length + 1]) })),
        ),
      );
    }
    await b.close();
    open.pop();
    const b2 = await node(url, { dir: b.dir });
    await until(() => caughtUp(a.node) && caughtUp(b2.node), 30_000, 'both caught up');
    const c = await pgClient(url);
    try {
      const cur = await c.query<{ n: string }>("SELECT COUNT(DISTINCT node_id) AS n FROM coin_sync.cursors WHERE dataset = 'KL030'");
      expect(Number(cur.rows[0]!.n)).toBe(2);
      for (const [code, s] of await bothSides(b2.node, c)) expect(s.pg, code).toEqual(s.sqlite);
      for (const [code, s] of await bothSides(a.node, c)) expect(s.pg, code).toEqual(s.sqlite);
    } finally {
      await c.end();
    }
  }, 90_000);

  it('a table altered by hand stops that dataset with a sentence naming table and column; the others go on', async () => {
    const url = freshDb();
    const { node: n } = await node(url);
    seedCandles(n, 1);
    await until(() => caughtUp(n), 30_000, 'first catch-up');
    pgs.psql('ALTER TABLE coin_sync.kl030 ALTER COLUMN vol_ccy_quote TYPE boolean USING vol_ccy_quote > 0', `wh${dbs}`);
    seedCandles(n, 1, T0 + DAY);
    await until(() => n.warehouse.mirrorStatus().datasets.some((d) => d.code === 'KL030' && d.error !== null), 20_000, 'KL030 stopped');
    await until(() => n.warehouse.mirrorStatus().datasets.every((d) => d.code === 'KL030' || d.lagRows === 0), 20_000, 'others on');
    const kl = n.warehouse.mirrorStatus().datasets.find((d) => d.code === 'KL030')!;
    expect(kl.error).toContain('coin_sync.kl030');
    expect(kl.error).toContain('vol_ccy_quote');
    expect(kl.lagRows).toBe(48 * 27);
  }, 60_000);
});
