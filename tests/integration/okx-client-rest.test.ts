// OKX REST client against the simulator over real HTTP: parsing, error kinds, pacing under the limits.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barOpenAt } from '../../main/node/okx/bars.js';
import { OkxError } from '../../main/node/okx/errors.js';
import { OkxRestClient } from '../../main/node/okx/rest-client.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';

const NOW = Date.UTC(2026, 10, 20, 5, 17, 23, 456);
let sim: Simulator;
let rest: string;
beforeAll(async () => {
  sim = createSimulator({ seed: 'client', now: () => NOW });
  rest = (await sim.start(0)).rest;
});
afterAll(() => sim.stop());

async function failure(p: Promise<unknown>): Promise<OkxError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OkxError);
    return e as OkxError;
  }
  throw new Error('expected the call to fail');
}

describe('OkxRestClient', () => {
  it('reads every endpoint into numbers that match the simulator path', async () => {
    const c = new OkxRestClient({ baseUrl: rest });
    const tickers = await c.tickers();
    const btc = tickers.find((t) => t.instId === 'BTC-USDT-SWAP')!;
    expect(btc.last).toBe(sim.path.priceAt('BTC', NOW));
    expect(btc.sodUtc8).toBe(sim.path.minuteOpen('BTC', barOpenAt('1D', NOW)));
    expect((await c.ticker('ETH-USDT-SWAP')).ts).toBe(NOW);
    const candles = await c.candles({ instId: 'XRP-USDT-SWAP', bar: '30m', limit: 5 });
    expect(candles.map((k) => k.ts)).toEqual([0, 1, 2, 3, 4].map((i) => barOpenAt('30m', NOW) - i * 1_800_000));
    for (const k of candles) expect(k.open).toBe(sim.path.minuteOpen('XRP', k.ts));
    expect(candles[0]!.confirm).toBe(0);
    expect(candles[1]!.confirm).toBe(1);
    const hist = await c.historyCandles({ instId: 'XRP-USDT-SWAP', bar: '30m', after: candles[4]!.ts, limit: 2 });
    expect(hist.map((k) => k.ts)).toEqual([candles[4]!.ts - 1_800_000, candles[4]!.ts - 3_600_000]);
    const inst = await c.instruments();
    expect(inst.find((i) => i.instId === 'BTC-USDT-SWAP')).toMatchObject({ ctVal: 0.01, tickSz: 0.1, state: 'live' });
    expect(await c.time()).toBe(NOW);
    const s = c.stats();
    expect(s.candles).toMatchObject({ requests: 1, ok: 1, rateLimited: 0 });
    expect(s.tickers.ok).toBe(1);
  });

  it('classifies failures: server, malformed (truncated and wrong shape), rate_limited, bad_request', async () => {
    const c = new OkxRestClient({ baseUrl: rest, rateLimitPauseMs: 300 });
    sim.faults.failNextRest(1, '500', { endpoint: 'ticker' });
    expect((await failure(c.ticker('BTC-USDT-SWAP'))).kind).toBe('server');
    sim.faults.failNextRest(1, 'truncated', { endpoint: 'ticker' });
    expect((await failure(c.ticker('BTC-USDT-SWAP'))).kind).toBe('malformed');
    sim.faults.failNextRest(1, 'malformed', { endpoint: 'candles' });
    expect((await failure(c.candles({ instId: 'BTC-USDT-SWAP' }))).kind).toBe('malformed');
    sim.faults.failNextRest(1, 'malformed', { endpoint: 'tickers' });
    expect((await failure(c.tickers())).kind).toBe('malformed');
    const bad = await failure(c.candles({ instId: 'NOPE-USDT-SWAP' }));
    expect([bad.kind, bad.details.code, bad.details.httpStatus]).toEqual(['bad_request', '51001', 200]);
    expect((await failure(c.candles({ instId: 'BTC-USDT-SWAP', limit: 301 }))).kind).toBe('bad_request');

    sim.faults.failNextRest(1, '429', { endpoint: 'time' });
    const rl = await failure(c.time());
    expect([rl.kind, rl.details.code, rl.details.httpStatus, rl.retryable]).toEqual(['rate_limited', '50011', 429, true]);
    expect(c.stats().time.paused).toBe(true);
    const t0 = Date.now();
    expect(await c.time()).toBe(NOW); // waits out the pause, then succeeds
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);

    const s = c.stats();
    expect(s.ticker.errors).toMatchObject({ server: 1, malformed: 1 });
    expect(s.candles.errors).toMatchObject({ malformed: 1, bad_request: 1 });
    expect(s.time).toMatchObject({ rateLimited: 1, ok: 1 });
  });

  it('classifies the 404 body as bad_request and unreachable / slow hosts as network', async () => {
    const wrongPath = new OkxRestClient({ baseUrl: `${rest}/somewhere` });
    const nf = await failure(wrongPath.time());
    expect([nf.kind, nf.details.httpStatus, nf.details.code]).toEqual(['bad_request', 404, '404']);

    const dead = createSimulator();
    const deadUrl = (await dead.start(0)).rest;
    await dead.stop();
    const net = await failure(new OkxRestClient({ baseUrl: deadUrl }).time());
    expect(net.kind).toBe('network');

    sim.faults.setLatency(600);
    try {
      const slow = await failure(new OkxRestClient({ baseUrl: rest, timeoutMs: 150 }).time());
      expect([slow.kind, slow.message]).toEqual(['network', '/api/v5/public/time: no answer within 150 ms']);
    } finally {
      sim.faults.setLatency(0);
    }
  });

  it('keeps valid rows of a multi-row answer and counts the bad ones', async () => {
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          code: '0',
          msg: '',
          data: [
            { instType: 'SWAP', instId: 'XMR-USDT-SWAP', last: '196.11', ts: '1626995753264', sodUtc8: '199.56' },
            { instType: 'SWAP', instId: 'BAD-USDT-SWAP', last: 'n/a', ts: '1626995753264' },
          ],
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const reasons: string[] = [];
      const c = new OkxRestClient({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        onMalformedRow: (_e, why) => reasons.push(why),
      });
      const rows = await c.tickers();
      expect(rows.map((r) => [r.instId, r.last, r.sodUtc8])).toEqual([['XMR-USDT-SWAP', 196.11, 199.56]]);
      expect(reasons).toEqual(['last: must be a number in a string']);
      expect(c.stats().tickers.malformedRows).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('paces each endpoint under the limit: full speed without a single 429 (baseline: unpaced gets 429s)', async () => {
    const n = 60;
    const fire = async (c: OkxRestClient) => {
      const results = await Promise.allSettled(Array.from({ length: n }, () => c.candles({ instId: 'BTC-USDT-SWAP', limit: 1 })));
      return results.filter((r) => r.status === 'fulfilled').length;
    };
    const paced = createSimulator({ now: () => NOW });
    const pacedUrl = (await paced.start(0)).rest;
    const unpaced = createSimulator({ now: () => NOW });
    const unpacedUrl = (await unpaced.start(0)).rest;
    try {
      const t0 = Date.now();
      const okPaced = await fire(new OkxRestClient({ baseUrl: pacedUrl }));
      const pacedMs = Date.now() - t0;
      expect(okPaced).toBe(n);
      expect(paced.stats().rest.served429).toBe(0);
      expect(pacedMs).toBeGreaterThanOrEqual(1_900); // 36 per 2 s, then the rest
      const okUnpaced = await fire(new OkxRestClient({ baseUrl: unpacedUrl, limits: { candles: 10_000 }, rateLimitPauseMs: 1 }));
      expect(unpaced.stats().rest.served429).toBeGreaterThan(0);
      expect(okUnpaced).toBeLessThan(n);
    } finally {
      await paced.stop();
      await unpaced.stop();
    }
  });
});

describe('OkxRestClient.close', () => {
  it('rejects queued and in-flight requests as network errors and refuses new ones', async () => {
    const local = createSimulator({ now: () => NOW });
    const u = await local.start(0);
    local.faults.setLatency(2_000);
    const c = new OkxRestClient({ baseUrl: u.rest, limits: { time: 2 }, limitFraction: 1 });
    try {
      const calls = [c.time(), c.time(), c.time()]; // two start, the third waits for the window
      await new Promise((r) => setTimeout(r, 100));
      expect(c.stats().time).toMatchObject({ inFlight: 2, queued: 1 });
      c.close();
      const kinds = (await Promise.allSettled(calls)).map((r) => (r.status === 'rejected' ? (r.reason as OkxError).kind : 'ok'));
      expect(kinds).toEqual(['network', 'network', 'network']);
      expect((await failure(c.time())).message).toBe('the OKX client is closed');
    } finally {
      await local.stop();
    }
  });
});
