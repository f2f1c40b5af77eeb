import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageChecksum } from '../../main/node/datasets/checksum.js';
import { DAY_MS } from '../../main/node/market/grid-time.js';
import { gridRows, request, startSenderNode, type SenderNode } from './sender-harness.js';

// 2025-01-02 00:00 UTC+8: a day start on the grid.
const T0 = Date.UTC(2025, 0, 1, 16);
const RANGE = (from: number, to: number) => `from=${from}&to=${to}`;

let a: SenderNode;
let b: SenderNode;
beforeAll(async () => {
  [a, b] = await Promise.all([startSenderNode(), startSenderNode()]);
  // Two days of BTC and one of ETH on A; B holds the same values from another source, except one price.
  a.node.store.write(() => {
    a.node.store.tables.grid_prices.upsertLocal([...gridRows('BTC', T0, 96), ...gridRows('ETH', T0, 48, 50)], 'a', 1);
  });
  const bRows = [...gridRows('BTC', T0, 96), ...gridRows('ETH', T0, 48, 50)].map((r) => [...r.slice(0, 5), 'backfill']);
  bRows[60]![2] = 999;
  b.node.store.write(() => b.node.store.tables.grid_prices.upsertLocal(bRows, 'b', 2));
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

type Coverage = { code: string; count: number; checksum: string; columns: string[]; rows: [string, string, number, string][] };

describe('sender coverage', () => {
  it('answers per UTC+8 day and coin: a count and a hash of the values, independent of where rows came from', async () => {
    const path = `/api/data-sync/sender/coverage/PT002?${RANGE(T0, T0 + 3 * DAY_MS)}`;
    const ca = await a.get(path);
    const cb = await b.get(path);
    expect(ca.status).toBe(200);
    const ja = ca.json as Coverage;
    const jb = cb.json as Coverage;
    expect(ja.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['2025-01-02', 'BTC', 48],
      ['2025-01-02', 'ETH', 48],
      ['2025-01-03', 'BTC', 48],
    ]);
    expect(ja.checksum).toBe(pageChecksum(ja.columns, ja.rows));
    // Same values from another source → same hash; the one altered price changes only its day.
    expect(jb.rows[0]![3]).toBe(ja.rows[0]![3]);
    expect(jb.rows[1]![3]).toBe(ja.rows[1]![3]);
    expect(jb.rows[2]![3]).not.toBe(ja.rows[2]![3]);
    // A coin filter and a narrower range.
    const one = await a.get(`/api/data-sync/sender/coverage/PT002?${RANGE(T0 + DAY_MS, T0 + 2 * DAY_MS)}&coins=BTC`);
    expect((one.json as Coverage).rows).toEqual([ja.rows[2]]);
    // An empty dataset covers nothing.
    const kl = await a.get(`/api/data-sync/sender/coverage/KL030?${RANGE(T0, T0 + DAY_MS)}`);
    expect(kl.status).toBe(200);
    expect((kl.json as Coverage).rows).toEqual([]);
    // Counts only (hashes=0): the same days, coins and counts, the hash left empty, still checksummed.
    const counts = (await a.get(`${path}&hashes=0`)).json as Coverage;
    expect(counts.rows).toEqual(ja.rows.map((r) => [r[0], r[1], r[2], '']));
    expect(counts.checksum).toBe(pageChecksum(counts.columns, counts.rows));
  });

  it('sends range and coverage pages gzipped to a client that takes gzip, plain to one that does not', async () => {
    for (const path of [
      `/api/data-sync/sender/range/PT002?coin=BTC&${RANGE(T0, T0 + 2 * DAY_MS)}`,
      `/api/data-sync/sender/coverage/PT002?${RANGE(T0, T0 + 3 * DAY_MS)}`,
    ]) {
      const plain = await a.get(path);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const zipped = await a.get(path, { headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
      expect(zipped.status).toBe(200);
      // Under 1 KB (the three coverage lines) is not worth compressing.
      if (plain.body.length < 1_024) {
        expect(zipped.headers['content-encoding']).toBeUndefined();
        continue;
      }
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toMatch(/accept-encoding/i);
      expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.text);
      for (const refused of ['gzip;q=0', 'identity', 'deflate;q=1, gzip;q=0.0']) {
        const r = await a.get(path, { headers: { 'accept-encoding': refused } });
        expect(r.headers['content-encoding'] ?? 'identity', refused).not.toBe('gzip');
      }
    }
  });

  it('serves one coin’s rows in a range with the sync page checksum', async () => {
    const r = await a.get(`/api/data-sync/sender/range/PT002?coin=BTC&${RANGE(T0 + DAY_MS, T0 + DAY_MS + 10 * 1_800_000)}`);
    expect(r.status).toBe(200);
    const j = r.json as { count: number; checksum: string; columns: string[]; rows: (string | number)[][] };
    expect(j.count).toBe(10);
    expect(j.rows.map((row) => row[1])).toEqual(Array.from({ length: 10 }, (_, i) => T0 + DAY_MS + i * 1_800_000));
    expect(j.columns).toEqual(['coin', 'ts', 'price', 'baseline', 'change_pct', 'source', 'seq', 'origin', 'updated_at']);
    expect(j.checksum).toBe(pageChecksum(j.columns, j.rows));
  });

  it('refuses bad input with a sentence naming the field, unknown datasets with 404, strangers with 401', async () => {
    const cases: [string, number, RegExp][] = [
      [`/api/data-sync/sender/coverage/PT002?${RANGE(T0 + DAY_MS, T0)}`, 400, /from .* must be before to/],
      [`/api/data-sync/sender/coverage/PT002?${RANGE(T0, T0 + 400 * DAY_MS)}`, 400, /at most 366 days/],
      [`/api/data-sync/sender/coverage/PT002?from=${T0}`, 400, /^to: /],
      [`/api/data-sync/sender/coverage/PT002?from=abc&to=1`, 400, /^from: /],
      [`/api/data-sync/sender/coverage/PT002?${RANGE(T0, T0 + DAY_MS)}&coins=btc`, 400, /^coins: /],
      [`/api/data-sync/sender/coverage/PT002?${RANGE(T0, T0 + DAY_MS)}&hashes=no`, 400, /^hashes: must be 0 or 1/],
      [`/api/data-sync/sender/coverage/CS001?${RANGE(T0, T0 + DAY_MS)}`, 400, /cannot be asked by time range/],
      [`/api/data-sync/sender/coverage/PT001?${RANGE(T0, T0 + DAY_MS)}`, 400, /cannot be asked by time range/],
      [`/api/data-sync/sender/coverage/ZZ999?${RANGE(T0, T0 + DAY_MS)}`, 404, /no dataset "ZZ999"/],
      [`/api/data-sync/sender/range/PT002?${RANGE(T0, T0 + DAY_MS)}`, 400, /^coin: /],
      [`/api/data-sync/sender/range/PT002?coin=BTC&${RANGE(T0, T0 + 40 * DAY_MS)}`, 400, /at most 31 days/],
      [`/api/data-sync/sender/range/ZZ999?coin=BTC&${RANGE(T0, T0 + DAY_MS)}`, 404, /no dataset/],
    ];
    for (const [path, status, message] of cases) {
      const r = await a.get(path);
      expect({ path, status: r.status }).toEqual({ path, status });
      expect((r.json as { error: { message: string } }).error.message).toMatch(message);
    }
    // The row cap: more rows than the sender's page size → 400.
    await a.call('sender.config.update', { maxPageRows: 10 });
    const big = await a.get(`/api/data-sync/sender/range/PT002?coin=BTC&${RANGE(T0, T0 + 2 * DAY_MS)}`);
    expect(big.status).toBe(400);
    expect((big.json as { error: { message: string } }).error.message).toMatch(/holds 96 rows, more than the 10/);
    await a.call('sender.config.update', { maxPageRows: 5_000 });
    const anon = await request(`${a.url}/api/data-sync/sender/coverage/PT002?${RANGE(T0, T0 + DAY_MS)}`, { token: null });
    expect(anon.status).toBe(401);
  });
});
