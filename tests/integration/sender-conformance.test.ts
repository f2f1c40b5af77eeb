import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPage } from '../../main/node/datasets/types.js';
import { gridRows, startSenderNode, streamSocket, type SenderNode } from './sender-harness.js';

/** The wire format as the sender documents it. */
type Page = SyncPage;

/** The documented canonical form: sha256 hex of JSON.stringify([columns, rows]). */
const checksumOf = (p: { columns: unknown; rows: unknown }) =>
  createHash('sha256')
    .update(JSON.stringify([p.columns, p.rows]))
    .digest('hex');

const T0 = Date.UTC(2025, 0, 1, 16); // 00:00 UTC+8, a grid point

let s: SenderNode;

beforeAll(async () => {
  s = await startSenderNode();
});
afterAll(async () => {
  await s?.close();
});

function write(rows: (string | number | null)[][]) {
  s.node.store.write(() => s.node.store.tables.grid_prices.upsertLocal(rows, s.node.store.nodeId, Date.now()));
}

async function walk(since: number, limit: number): Promise<{ rows: Page['rows']; pages: Page[]; cursor: number }> {
  const rows: Page['rows'] = [];
  const pages: Page[] = [];
  let cursor = since;
  for (;;) {
    const r = await s.get(`/api/data-sync/sender/data/PT002?since=${cursor}&limit=${limit}`);
    expect(r.status).toBe(200);
    const p = r.json as Page;
    expect(p.checksum).toBe(checksumOf(p));
    pages.push(p);
    rows.push(...p.rows);
    cursor = p.nextSince;
    if (!p.hasMore) return { rows, pages, cursor };
  }
}

describe('sender conformance over real HTTP', () => {
  it('lists every dataset of the catalog with its shape and counts', async () => {
    write(gridRows('BTC', T0, 10));
    const r = await s.get('/api/data-sync/sender/catalog');
    expect(r.status).toBe(200);
    const cat = r.json as {
      protocol: number;
      datasets: { code: string; kind: string; columns: string[]; rows: number | null; path: string }[];
    };
    expect(cat.protocol).toBe(1);
    const codes = cat.datasets.map((d) => d.code);
    for (const c of ['PT001', 'PT002', 'PB001', 'CS001', 'BF001']) expect(codes).toContain(c);
    const pt2 = cat.datasets.find((d) => d.code === 'PT002')!;
    expect(pt2.kind).toBe('syncable');
    expect(pt2.columns).toEqual(['coin', 'ts', 'price', 'baseline', 'change_pct', 'source', 'seq', 'origin', 'updated_at']);
    expect(pt2.rows).toBe(10);
    expect(pt2.path).toBe('/api/data-sync/sender/data/PT002');
    expect(cat.datasets.find((d) => d.code === 'CS001')!.kind).toBe('view');
  });

  it('walking with since returns every row exactly once in seq order, and late old rows after the cursor', async () => {
    for (const coin of ['ETH', 'SOL', 'XRP']) write(gridRows(coin, T0, 700));
    // Change 50 existing rows: they move to new seqs and must appear once, at their new place.
    write(gridRows('ETH', T0, 50, 999));
    write(gridRows('SOL', T0, 50)); // identical: no new seq, no duplicates
    const { rows, pages, cursor } = await walk(0, 333);
    const seqIdx = pages[0]!.columns.indexOf('seq');
    const seqs = rows.map((r) => r[seqIdx] as number);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    const keys = rows.map((r) => `${r[0]}|${r[1]}`);
    expect(new Set(keys).size).toBe(keys.length);
    const total = (s.node.store.db.prepare('SELECT COUNT(*) AS n FROM grid_prices').get() as { n: number }).n;
    expect(rows.length).toBe(total);
    expect(cursor).toBe(pages.at(-1)!.maxSeq);
    const eth0 = rows.find((r) => r[0] === 'ETH' && r[1] === T0)!;
    expect(eth0[2]).toBe(999);

    // A backfilled row with an old timestamp lands after the cursor.
    const old = Date.UTC(2020, 5, 1);
    write([['BTC', old, 1, 1, 0, 'backfill']]);
    const next = await walk(cursor, 333);
    expect(next.rows).toHaveLength(1);
    expect(next.rows[0]!.slice(0, 2)).toEqual(['BTC', old]);
    // Nothing new: an empty, final page at the same cursor.
    const again = (await s.get(`/api/data-sync/sender/data/PT002?since=${next.cursor}`)).json as Page;
    expect(again).toMatchObject({ rows: [], hasMore: false, nextSince: next.cursor, count: 0 });
    expect(again.checksum).toBe(checksumOf(again));
  });

  it('announces a commit on the stream within 100 ms', async () => {
    const ws = streamSocket(s.url, s.token);
    const messages: { type: string; code?: string; maxSeq?: number; at: number }[] = [];
    ws.on('message', (m) => messages.push({ ...(JSON.parse(String(m)) as { type: string }), at: performance.now() }));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(messages[0]?.type).toBe('hello');
    const t = performance.now();
    write(gridRows('DOGE', T0, 3));
    const deadline = Date.now() + 1_000;
    while (!messages.some((m) => m.code === 'PT002') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const hit = messages.find((m) => m.code === 'PT002');
    expect(hit).toBeDefined();
    expect(hit!.at - t).toBeLessThan(100);
    expect(hit!.maxSeq).toBe(s.node.store.seq.value);
    // The view derived from the same table is announced in the same burst (its frame may land a tick later over TLS).
    while (!messages.some((m) => m.code === 'CS001') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    expect(messages.some((m) => m.code === 'CS001')).toBe(true);
    ws.close();

    const bad = streamSocket(s.url, 'wrong');
    const status = await new Promise<number>((resolve) => bad.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('refuses a missing or wrong token with 401 JSON', async () => {
    for (const token of [null, 'nope', `${s.token}x`]) {
      const r = await s.get('/api/data-sync/sender/catalog', { token });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('answers bad dataset requests with 400/404 JSON errors', async () => {
    const cases: [string, number][] = [
      ['/api/data-sync/sender/data/ZZ999', 404],
      ['/api/data-sync/sender/data/PT002?since=-1', 400],
      ['/api/data-sync/sender/data/PT002?since=abc', 400],
      ['/api/data-sync/sender/data/PT002?limit=0', 400],
      ['/api/data-sync/sender/data/PT002?limit=5001', 400],
      ['/api/data-sync/sender/data/PT002?since=1&since=2', 400],
      ['/api/data-sync/sender/data/PT002?from=1&to=2', 400],
      ['/api/data-sync/sender/data/CS001?from=5&to=1', 400],
      ['/api/data-sync/sender/data/CS001?since=0', 400],
      ['/api/data-sync/sender/data/CS001', 400],
      ['/api/data-sync/sender/data/..%2F..%2Fetc%2Fpasswd', 404],
      ['/api/data-sync/sender/../../etc/passwd', 404],
      ['/api/data-sync/sender/data/PT002%00', 404],
      ['/api/data-sync/sender/data/%E0%A4%A', 400],
    ];
    for (const [path, status] of cases) {
      const r = await s.get(path);
      expect({ path, status: r.status }).toEqual({ path, status });
      expect((r.json as { error: { code: string; message: string } }).error.message.length).toBeGreaterThan(5);
    }
  });

  it('computes the views for a time range', async () => {
    const from = T0;
    const to = T0 + 4 * 1_800_000;
    const cs = (await s.get(`/api/data-sync/sender/data/CS001?from=${from}&to=${to}`)).json as Page;
    expect(cs.columns).toEqual(['ts', 'sum_pct', 'coins', 'total']);
    expect(cs.checksum).toBe(checksumOf(cs));
    const expected = s.node.store.db
      .prepare('SELECT ts, SUM(change_pct) AS s, COUNT(*) AS n FROM grid_prices WHERE ts >= ? AND ts < ? GROUP BY ts ORDER BY ts')
      .all(from, to) as { ts: number; s: number; n: number }[];
    expect(cs.rows.map((r) => [r[0], r[2]])).toEqual(expected.map((e) => [e.ts, e.n]));
    cs.rows.forEach((r, i) => expect(r[1] as number).toBeCloseTo(expected[i]!.s, 9));

    const bf = (await s.get(`/api/data-sync/sender/data/BF001?from=${from}&to=${to}`)).json as Page;
    const coins = s.node.settings.get().coins;
    const present = new Set(
      (
        s.node.store.db.prepare('SELECT coin, ts FROM grid_prices WHERE ts >= ? AND ts < ?').all(from, to) as { coin: string; ts: number }[]
      ).map((r) => `${r.coin}|${r.ts}`),
    );
    const missing: [number, string, string][] = [];
    for (let ts = from; ts < to; ts += 1_800_000)
      for (const c of coins) if (!present.has(`${c}|${ts}`)) missing.push([ts, c, 'not_collected']);
    expect(missing.length).toBeGreaterThan(0);
    expect(bf.rows).toEqual(missing);
    expect(bf.checksum).toBe(checksumOf(bf));
  });

  it('answers a batch with per-item results and per-item errors', async () => {
    const body = JSON.stringify({
      requests: [
        { code: 'PT002', since: 0, limit: 5 },
        { code: 'CS001', from: T0, to: T0 + 1_800_000 },
        { code: 'NOPE1', since: 0 },
        { code: 'PT002', since: -4 },
        { code: 'PT002', limit: 99999 },
        'garbage',
      ],
    });
    const r = await s.get('/api/data-sync/sender/batch', { method: 'POST', body });
    expect(r.status).toBe(200);
    const res = (r.json as { results: (Page & { error?: { code: string } })[] }).results;
    expect(res).toHaveLength(6);
    expect(res[0]!.rows).toHaveLength(5);
    expect(res[0]!.checksum).toBe(checksumOf(res[0]!));
    expect(res[1]!.kind).toBe('view');
    expect(res[2]!.error).toMatchObject({ code: 'not_found' });
    expect(res[3]!.error).toMatchObject({ code: 'bad_input' });
    expect(res[4]!.error).toMatchObject({ code: 'bad_input' });
    expect(res[5]!.error).toMatchObject({ code: 'bad_input' });

    const tooMany = JSON.stringify({ requests: Array.from({ length: 21 }, () => ({ code: 'PT001' })) });
    expect((await s.get('/api/data-sync/sender/batch', { method: 'POST', body: tooMany })).status).toBe(400);
    expect((await s.get('/api/data-sync/sender/batch', { method: 'POST', body: '{"requests":[' })).status).toBe(400);
    const huge = await s.get('/api/data-sync/sender/batch', { method: 'POST', body: JSON.stringify({ requests: ['x'.repeat(70_000)] }) });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: { code: 'too_large' } });
  });

  it('gzips when the client accepts it', async () => {
    const r = await s.get('/api/data-sync/sender/data/PT002?limit=1000', { headers: { 'accept-encoding': 'gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    const page = JSON.parse(gunzipSync(r.body).toString('utf8')) as Page;
    expect(page.rows.length).toBe(1000);
    expect(page.checksum).toBe(checksumOf(page));
  });

  it('counts requests in status, the log and the stats handler', async () => {
    const st = (await s.get('/api/data-sync/sender/status')).json as {
      enabled: boolean;
      totals: { requests: number; ok: number; failed: number; bytes: number };
      datasets: Record<string, { requests: number }>;
      lastRequest: { path: string } | null;
    };
    expect(st.enabled).toBe(true);
    expect(st.totals.requests).toBeGreaterThan(20);
    expect(st.totals.failed).toBeGreaterThan(5);
    expect(st.totals.bytes).toBeGreaterThan(10_000);
    expect(st.datasets.PT002!.requests).toBeGreaterThan(5);
    const log = await s.call('sender.log', { limit: 5, outcome: 'failed' });
    expect(log.entries.length).toBe(5);
    expect(log.entries.every((e) => e.status >= 400)).toBe(true);
    const stats = await s.call('sender.stats', {});
    expect(stats.totals.requests).toBeGreaterThanOrEqual(st.totals.requests);
  });
});
