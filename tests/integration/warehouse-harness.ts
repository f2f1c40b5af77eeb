import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import type { CandleInput } from '../../main/node/market/grid-writer.js';
import type { Db } from '../../main/node/store/db.js';
import type { WarehouseMirror } from '../../main/node/warehouse/mirror.js';

export const HALF = 1_800_000;
export const DAY = 86_400_000;
/** 00:00 UTC+8 on 2026-01-01. */
export const T0 = Date.UTC(2025, 11, 31, 16, 0);

export interface TestNode {
  node: SyncNode;
  dir: string;
  close(): Promise<void>;
}

/** An in-process node with no live collection, mirroring to `url` (when given) with short timings. */
export async function startNode(url: string | undefined, opts: { dir?: string; pageRows?: number } = {}): Promise<TestNode> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'csn-wh-'));
  const node = createNode({
    dataDir: dir,
    mode: 'headless',
    version: 'test',
    collect: false,
    // Port 0: a free port, so a node elsewhere on the machine holding the default cannot fail the tray's state.
    senderPort: 0,
    warehouseUrl: url,
    warehouse: { pageRows: opts.pageRows ?? 5_000, backoff: { baseMs: 100, maxMs: 1_000 }, pollMs: 200 },
  });
  await node.start();
  return { node, dir, close: () => node.stop() };
}

/** `days` of 30-minute candles for the 27 default coins (also writes grid prices and baselines, as a backfill does). */
export function seedCandles(node: SyncNode, days: number, from = T0, bump = 0): number {
  const coins = [...DEFAULT_COINS];
  let n = 0;
  for (let d = 0; d < days; d++) {
    const candles: CandleInput[] = [];
    for (const [ci, coin] of coins.entries()) {
      for (let i = 0; i < 48; i++) {
        const ts = from + d * DAY + i * HALF;
        const p = 100 + ci + Math.sin((d * 48 + i) / 7) * 3 + bump;
        candles.push({
          coin,
          bar: '30m',
          ts,
          open: p,
          high: p + 1,
          low: p - 1,
          close: p + 0.25,
          vol: 10 + i,
          volCcy: null,
          volCcyQuote: 1e3 + i,
          confirm: true,
        });
      }
    }
    node.market.grid.writeCandles(candles, { gridSource: 'backfill' });
    n += candles.length;
  }
  return n;
}

const asCell = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

/** What bothSides reads: a node, or a mirror built by hand over a store. */
export interface MirrorSides {
  warehouse: Pick<WarehouseMirror, 'mirrorTables'>;
  store: { db: Db };
}

/** Every mirrored table in SQLite and in PostgreSQL, as sorted JSON lines per dataset code. */
export async function bothSides(node: MirrorSides, client: pg.Client): Promise<Map<string, { sqlite: string[]; pg: string[] }>> {
  const out = new Map<string, { sqlite: string[]; pg: string[] }>();
  for (const { source, where, whereArgs, table } of node.warehouse.mirrorTables()) {
    const order = table.key.join(', ');
    const sqlite = (
      node.store.db
        .prepare(`SELECT ${table.columns.join(', ')} FROM ${source} WHERE ${where}1 ORDER BY ${order}`)
        .raw(true)
        .all(...whereArgs) as unknown[][]
    ).map((r) => JSON.stringify(r.map(asCell)));
    const sel = table.columns.map((c, i) =>
      table.types[i] === 'timestamptz'
        ? `(extract(epoch from ${c}) * 1000)::float8 AS ${c}`
        : table.types[i] === 'bigint'
          ? `${c}::float8 AS ${c}`
          : c,
    );
    const res = await client.query({ text: `SELECT ${sel.join(', ')} FROM ${table.qualified} ORDER BY ${order}`, rowMode: 'array' });
    out.set(table.code, { sqlite, pg: (res.rows as unknown[][]).map((r) => JSON.stringify(r)) });
  }
  return out;
}

export async function pgClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** Waits until `check` holds, polling every 100 ms. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The mirror is idle and has nothing left to write. */
export const caughtUp = (node: SyncNode): boolean => {
  const s = node.warehouse.mirrorStatus();
  return s.state === 'ok' && s.datasets.every((d) => d.lagRows === 0 && d.mirroredSeq === d.nodeSeq);
};
