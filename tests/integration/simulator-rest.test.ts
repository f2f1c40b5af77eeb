// The simulator's REST semantics over real HTTP: paging cursors, reach of /market/candles, limits, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barOpenAt } from '../../main/node/okx/bars.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';

const MIN = 60_000;
const BAR30 = 30 * MIN;
const NOW = Date.UTC(2026, 10, 20, 5, 17, 23, 456);
let sim: Simulator;
let rest: string;

beforeAll(async () => {
  sim = createSimulator({ seed: 'rest', now: () => NOW, rateLimits: false, listTimes: { TAO: NOW - 10 * 86_400_000 + 123_456 } });
  rest = (await sim.start(0)).rest;
});
afterAll(() => sim.stop());

async function get(path: string) {
  const res = await fetch(rest + path);
  return { status: res.status, body: (await res.json()) as { code: string; msg: string; data: string[][] } };
}
const tsOf = (rows: string[][]) => rows.map((r) => Number(r[0]));

describe('simulator REST', () => {
  it('walks a range with after (history-candles) exactly once, newest first, bounds exclusive', async () => {
    const latest = barOpenAt('30m', NOW);
    const from = latest - 2000 * BAR30; // beyond the 1,440-bar reach of /candles
    const seen: number[] = [];
    let after: number | undefined;
    for (let page = 0; page < 20; page++) {
      const q = `/api/v5/market/history-candles?instId=ETH-USDT-SWAP&bar=30m&limit=300&before=${from - 1}${after ? `&after=${after}` : ''}`;
      const rows = tsOf((await get(q)).body.data);
      if (rows.length === 0) break;
      seen.push(...rows);
      after = rows[rows.length - 1];
    }
    const expected = Array.from({ length: 2001 }, (_, i) => latest - i * BAR30);
    expect(seen).toEqual(expected);
  });

  it('before alone returns the latest page; both cursors give a window; before=T-1 includes T', async () => {
    const latest = barOpenAt('30m', NOW);
    const t = latest - 500 * BAR30;
    expect(tsOf((await get(`/api/v5/market/candles?instId=BTC-USDT-SWAP&bar=30m&before=${t}&limit=3`)).body.data)).toEqual([
      latest,
      latest - BAR30,
      latest - 2 * BAR30,
    ]);
    expect(tsOf((await get(`/api/v5/market/candles?instId=BTC-USDT-SWAP&bar=30m&before=${t}&after=${t + 3 * BAR30}`)).body.data)).toEqual([
      t + 2 * BAR30,
      t + BAR30,
    ]);
    expect(
      tsOf((await get(`/api/v5/market/candles?instId=BTC-USDT-SWAP&bar=30m&before=${t - 1}&after=${t + 2 * BAR30}`)).body.data),
    ).toEqual([t + BAR30, t]);
  });

  it('/market/candles reaches only the latest 1,440 bars; history-candles goes further', async () => {
    const latest = barOpenAt('1H', NOW);
    const all: number[] = [];
    let after: number | undefined;
    for (;;) {
      const rows = tsOf(
        (await get(`/api/v5/market/candles?instId=SOL-USDT-SWAP&bar=1H&limit=300${after ? `&after=${after}` : ''}`)).body.data,
      );
      if (rows.length === 0) break;
      all.push(...rows);
      after = rows[rows.length - 1];
    }
    expect(all).toHaveLength(1440);
    expect(all[1439]).toBe(latest - 1439 * 3_600_000);
    const older = tsOf((await get(`/api/v5/market/history-candles?instId=SOL-USDT-SWAP&bar=1H&limit=2&after=${all[1439]}`)).body.data);
    expect(older).toEqual([latest - 1440 * 3_600_000, latest - 1441 * 3_600_000]);
  });

  it('limit defaults to 100 and is capped at 300', async () => {
    expect((await get('/api/v5/market/candles?instId=BTC-USDT-SWAP')).body.data).toHaveLength(100);
    expect((await get('/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=5m&limit=1000')).body.data).toHaveLength(300);
  });

  it('serves the 30m open equal to the path minute open at the bar start', async () => {
    const rows = (await get('/api/v5/market/history-candles?instId=LDO-USDT-SWAP&bar=30m&limit=48')).body.data;
    for (const r of rows) expect(Number(r[1])).toBe(sim.path.minuteOpen('LDO', Number(r[0])));
  });

  it('has no candles before the listing and no ticker row for an unlisted coin', async () => {
    const first = sim.path.listedFrom('TAO');
    const rows = tsOf((await get(`/api/v5/market/history-candles?instId=TAO-USDT-SWAP&bar=1D&limit=300`)).body.data);
    expect(rows).toHaveLength(11); // 10 days and a bit, in UTC+8 days
    expect(rows[rows.length - 1]).toBe(barOpenAt('1D', first));
    const late = createSimulator({ now: () => NOW, listTimes: { TAO: NOW + 86_400_000 } });
    const u = await late.start(0);
    try {
      const t = await (await fetch(`${u.rest}/api/v5/market/ticker?instId=TAO-USDT-SWAP`)).json();
      expect(t).toMatchObject({ code: '51001', data: [] });
      const all = (await (await fetch(`${u.rest}/api/v5/market/tickers?instType=SWAP`)).json()) as { data: { instId: string }[] };
      expect(all.data.some((r) => r.instId === 'TAO-USDT-SWAP')).toBe(false);
    } finally {
      await late.stop();
    }
  });

  it('answers bad input with OKX codes: 51001 on HTTP 200, 50014/51000 on 400', async () => {
    expect(await get('/api/v5/market/candles?instId=NOPE-USDT-SWAP')).toMatchObject({ status: 200, body: { code: '51001', data: [] } });
    expect(await get('/api/v5/market/candles')).toMatchObject({ status: 400, body: { code: '50014' } });
    expect(await get('/api/v5/market/candles?instId=BTC-USDT-SWAP&bar=7m')).toMatchObject({
      status: 400,
      body: { code: '51000', msg: 'Parameter bar error' },
    });
    expect(await get('/api/v5/market/candles?instId=BTC-USDT-SWAP&after=yesterday')).toMatchObject({
      status: 400,
      body: { code: '51000' },
    });
    expect(await get('/api/v5/market/tickers')).toMatchObject({ status: 400, body: { code: '50014' } });
    expect(await get('/api/v5/market/tickers?instType=SPOT')).toMatchObject({ status: 200, body: { code: '0', data: [] } });
  });

  it('enforces OKX per-endpoint limits per 2 s and counts the 429s it serves', async () => {
    const limited = createSimulator({ now: () => NOW });
    const u = await limited.start(0);
    try {
      const statuses = await Promise.all(
        Array.from({ length: 45 }, () =>
          fetch(`${u.rest}/api/v5/market/candles?instId=BTC-USDT-SWAP&limit=1`).then(async (r) => ({ s: r.status, b: await r.json() })),
        ),
      );
      expect(statuses.filter((x) => x.s === 200)).toHaveLength(40);
      const rejected = statuses.filter((x) => x.s === 429);
      expect(rejected).toHaveLength(5);
      for (const r of rejected) expect(r.b).toEqual({ msg: 'Too Many Requests', code: '50011' });
      // Endpoints have separate budgets: history-candles is still open.
      expect((await fetch(`${u.rest}/api/v5/market/history-candles?instId=BTC-USDT-SWAP&limit=1`)).status).toBe(200);
      expect(limited.stats().rest.served429).toBe(5);
      expect(limited.stats().rest.requests.candles).toBe(45);
    } finally {
      await limited.stop();
    }
  });

  it('injects REST faults: 429, 500, truncated, malformed, latency', async () => {
    sim.faults.failNextRest(1, '429', { endpoint: 'time' });
    sim.faults.failNextRest(1, '500');
    sim.faults.failNextRest(1, 'truncated');
    sim.faults.failNextRest(1, 'malformed');
    const a = await fetch(`${rest}/api/v5/public/time`);
    expect([a.status, await a.json()]).toEqual([429, { msg: 'Too Many Requests', code: '50011' }]);
    expect((await fetch(`${rest}/api/v5/public/time`)).status).toBe(500);
    const t = await (await fetch(`${rest}/api/v5/public/time`)).text();
    expect(() => JSON.parse(t)).toThrow();
    expect(await (await fetch(`${rest}/api/v5/public/time`)).json()).toEqual({ code: '0', msg: '', data: [{ unexpected: 'shape' }] });
    sim.faults.setLatency(300);
    const started = Date.now();
    expect((await fetch(`${rest}/api/v5/public/time`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    sim.faults.reset();
  });
});
