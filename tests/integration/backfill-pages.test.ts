import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../preload/contract.js';
import { call } from '../helpers/api.js';
import { fetchWindow } from '../../main/node/okx/candle-pages.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, GRID_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { OkxRestClient } from '../../main/node/okx/index.js';
import { tempDataDir } from '../helpers/headless.js';

/**
 * An exchange that misbehaves on purpose, as a real HTTP server: every candles answer repeats a
 * row, adds rows outside the asked window and leaves one bar out. Values are a pure function of
 * the bar time, so "wrong" is checkable.
 */
const price = (ts: number) => 100 + ((ts / GRID_MS) % 50);
const row = (ts: number, p = price(ts)) => [String(ts), String(p), String(p + 1), String(p - 1), String(p + 0.5), '10', '1', '100', '1'];
const HOLE = dayStartOf(Date.now()) - 3 * DAY_MS + 17 * GRID_MS; // a bar the exchange "does not have"

let server: http.Server | undefined;
let node: SyncNode | undefined;
let dir: string | undefined;
let conflict = false;
afterEach(async () => {
  await node?.stop();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  server = node = dir = undefined;
  conflict = false;
});

async function misbehavingExchange(): Promise<string> {
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    let data: unknown[] = [];
    if (u.pathname === '/api/v5/public/instruments') {
      data = [{ instId: 'BTC-USDT-SWAP', instType: 'SWAP', state: 'live', listTime: '1573557408000' }];
    } else if (u.pathname.startsWith('/api/v5/market/')) {
      const after = Number(u.searchParams.get('after'));
      const before = Number(u.searchParams.get('before'));
      const rows: string[][] = [row(after), row(after + GRID_MS)]; // outside the window (newer)
      for (let t = after - GRID_MS; t > before; t -= GRID_MS) {
        if (t === HOLE) continue;
        rows.push(row(t));
        if ((t / GRID_MS) % 7 === 0) rows.push(conflict ? row(t, price(t) + 3) : row(t)); // a repeated row
      }
      rows.push(row(before - GRID_MS + 1)); // off the grid and outside
      data = rows;
    }
    const body = JSON.stringify({ code: '0', msg: '', data });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('page validation against a misbehaving exchange', () => {
  it('keeps only unique in-window rows; a conflicting repeat is an error worth a retry', async () => {
    const url = await misbehavingExchange();
    const rest = new OkxRestClient({ baseUrl: url });
    try {
      const start = dayStartOf(Date.now()) - 2 * DAY_MS;
      const a = await fetchWindow(rest, { coin: 'BTC', bar: '30m', start, end: start + DAY_MS }, 'candles');
      expect(a.candles.map((c) => c.ts)).toEqual(Array.from({ length: 48 }, (_, i) => start + i * GRID_MS));
      expect(a.candles.every((c) => c.open === price(c.ts))).toBe(true);
      expect(a.outside).toBe(3);
      expect(a.duplicates).toBeGreaterThan(0);
      conflict = true;
      await expect(fetchWindow(rest, { coin: 'BTC', bar: '30m', start, end: start + DAY_MS }, 'candles')).rejects.toMatchObject({
        kind: 'malformed',
      });
    } finally {
      rest.close();
    }
  });

  it('asks again about a hole, then records it as "no candle at the exchange" with no duplicate or wrong row', async () => {
    const url = await misbehavingExchange();
    dir = tempDataDir('csn-bf-pages-');
    node = createNode({
      dataDir: dir,
      mode: 'headless',
      version: 'test',
      exchange: { rest: url },
      collect: false,
      backfillRetry: { gapConfirmMs: 20 },
    });
    await node.start();
    const from = dayStartOf(Date.now()) - 5 * DAY_MS;
    const to = from + 4 * DAY_MS;
    const done = new Promise<EventMap['backfill.finished']>((r) => node!.bus.on('backfill.finished', r));
    const r = await node.call('backfill.start', { from, to, coins: ['BTC'] });
    expect(r.ok).toBe(true);
    const f = await done;
    expect(f).toMatchObject({ failed: 0, rows: 4 * 48 - 1 });
    const rows = node.store.db.prepare('SELECT ts, price FROM grid_prices WHERE coin = ? ORDER BY ts').all('BTC') as {
      ts: number;
      price: number;
    }[];
    expect(rows).toHaveLength(4 * 48 - 1);
    expect(rows.every((x) => x.price === price(x.ts) && x.ts >= from && x.ts < to && x.ts !== HOLE)).toBe(true);
    const miss = await call(node, 'backfill.missing', { from, to, coins: ['BTC'] });
    expect(miss.rows).toEqual([{ ts: HOLE, coin: 'BTC', reason: 'no_candle' }]);
    // The page with the hole was asked twice (to confirm), the others once.
    const attempts = node.store.db.prepare('SELECT attempts, no_candle FROM backfill_pages ORDER BY start_ts').all() as {
      attempts: number;
      no_candle: number;
    }[];
    expect(attempts).toEqual([{ attempts: 2, no_candle: 1 }]);
    const st = await call(node, 'backfill.status', {});
    expect(st.log.some((l) => /asking again to confirm/.test(l.message))).toBe(true);
  });
});
