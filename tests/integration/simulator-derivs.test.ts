// The simulator's derivatives REST endpoints and WS channels over real sockets, read with the
// node's own schemas: envelopes, values from the model, per-instId rate limits, acks, caps.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  OkxBookSchema,
  OkxFundingHistorySchema,
  OkxFundingRateSchema,
  OkxLiquidationSchema,
  OkxMarkPriceSchema,
  OkxOpenInterestSchema,
} from '../../main/node/okx/deriv-schemas.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { DerivsModel, FUNDING_INTERVAL_MS } from '../../main/node/simulator/derivs-model.js';
import { until as waitUntil } from '../helpers/until.js';

const until = <T>(fn: () => T | undefined | false, ms: number) => waitUntil('the condition', fn, ms, 20);

const sims: Simulator[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const s of sims.splice(0)) await s.stop();
});

// A frozen clock: every answer is a pure function of this instant.
const NOW = Date.UTC(2026, 5, 1, 3, 17, 42, 123);
async function start(opts: Parameters<typeof createSimulator>[0] = {}) {
  const sim = createSimulator({ seed: 'derivs', now: () => NOW, ...opts });
  sims.push(sim);
  return { sim, urls: await sim.start(0), model: new DerivsModel(sim.path) };
}
const get = async (base: string, path: string) => {
  const r = await fetch(`${base}${path}`);
  return { status: r.status, body: (await r.json()) as { code: string; msg: string; data: unknown[] } };
};

describe('simulator derivatives REST', () => {
  it('serves mark price, funding, funding history, open interest and books in OKX envelopes', async () => {
    const { sim, urls, model } = await start();
    const btc = sim.path.instrument('BTC')!;

    const mp = await get(urls.rest, '/api/v5/public/mark-price?instType=SWAP');
    expect(mp.body.code).toBe('0');
    const marks = mp.body.data.map((r) => OkxMarkPriceSchema.parse(r));
    expect(marks.length).toBe(sim.path.instruments().length);
    expect(marks.find((m) => m.instId === 'BTC-USDT-SWAP')!.markPx).toBe(Number(model.markPx(btc, NOW)));
    const one = await get(urls.rest, '/api/v5/public/mark-price?instType=SWAP&instId=ETH-USDT-SWAP');
    expect(one.body.data).toHaveLength(1);

    const fr = OkxFundingRateSchema.parse((await get(urls.rest, '/api/v5/public/funding-rate?instId=BTC-USDT-SWAP')).body.data[0]);
    expect(fr.fundingTime).toBe(Date.UTC(2026, 5, 1, 8));
    expect(fr.nextFundingTime).toBe(fr.fundingTime + FUNDING_INTERVAL_MS);
    expect(fr.fundingRate).toBeCloseTo(model.forecastRate(btc, fr.fundingTime, NOW), 12);
    const any = await get(urls.rest, '/api/v5/public/funding-rate?instId=ANY');
    expect(any.body.data.length).toBe(sim.path.instruments().length);

    const hist = (await get(urls.rest, '/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&limit=5')).body.data.map((r) =>
      OkxFundingHistorySchema.parse(r),
    );
    expect(hist.map((h) => h.fundingTime)).toEqual([0, 1, 2, 3, 4].map((i) => Date.UTC(2026, 5, 1, 0) - i * FUNDING_INTERVAL_MS));
    expect(hist[0]!.realizedRate).toBeCloseTo(model.realizedRate(btc, hist[0]!.fundingTime), 12);
    const older = (await get(urls.rest, `/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&after=${hist[4]!.fundingTime}&limit=2`))
      .body.data;
    expect(older.map((r) => OkxFundingHistorySchema.parse(r).fundingTime)).toEqual(
      [1, 2].map((i) => hist[4]!.fundingTime - i * FUNDING_INTERVAL_MS),
    );

    const oi = (await get(urls.rest, '/api/v5/public/open-interest?instType=SWAP')).body.data.map((r) => OkxOpenInterestSchema.parse(r));
    expect(oi.find((o) => o.instId === 'BTC-USDT-SWAP')!.oi).toBeCloseTo(model.oi(btc, NOW).oi, 6);

    const book = OkxBookSchema.parse((await get(urls.rest, '/api/v5/market/books?instId=BTC-USDT-SWAP&sz=5')).body.data[0]);
    expect(book.asks).toHaveLength(5);
    expect(book.bids[0]!.px).toBeLessThan(book.asks[0]!.px);
    expect(book.asks.map((a) => a.px)).toEqual([...book.asks.map((a) => a.px)].sort((x, y) => x - y));

    // Errors as OKX sends them.
    expect((await get(urls.rest, '/api/v5/public/funding-rate')).body).toMatchObject({ code: '50014' });
    expect((await get(urls.rest, '/api/v5/public/funding-rate?instId=NOPE-USDT-SWAP')).body).toMatchObject({ code: '51001' });
    expect((await get(urls.rest, '/api/v5/public/mark-price')).status).toBe(400);
  });

  it('counts the funding-rate limit per IP and instId: 10 per 2 s', async () => {
    const { urls } = await start();
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push((await get(urls.rest, '/api/v5/public/funding-rate?instId=BTC-USDT-SWAP')).body.code);
    expect(codes.slice(0, 10).every((c) => c === '0')).toBe(true);
    expect(codes[10]).toBe('50011');
    // Another instrument has its own budget.
    expect((await get(urls.rest, '/api/v5/public/funding-rate?instId=ETH-USDT-SWAP')).body.code).toBe('0');
  });
});

function open(url: string) {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frames: Record<string, unknown>[] = [];
  let closeCode: number | undefined;
  ws.on('message', (d) => {
    const t = d.toString();
    if (t !== 'pong') frames.push(JSON.parse(t) as Record<string, unknown>);
  });
  ws.on('close', (c) => (closeCode = c));
  return { ws, frames, closed: () => closeCode, ready: new Promise((r) => ws.once('open', r)) };
}
const pushesOf = (frames: Record<string, unknown>[], channel: string) =>
  frames.filter((f) => !f.event && (f.arg as { channel: string }).channel === channel).flatMap((f) => f.data as unknown[]);

describe('simulator derivatives WS', () => {
  it('pushes mark-price, funding-rate, open-interest, books5 and liquidation-orders that the schemas accept', async () => {
    const { urls, model, sim } = await start({ now: () => Date.now() });
    const c = open(urls.wsPublic);
    await c.ready;
    const args = ['mark-price', 'funding-rate', 'open-interest', 'books5'].map((channel) => ({ channel, instId: 'BTC-USDT-SWAP' }));
    c.ws.send(JSON.stringify({ op: 'subscribe', args: [...args, { channel: 'liquidation-orders', instType: 'SWAP' }] }));
    await until(() => ['mark-price', 'funding-rate', 'open-interest', 'books5'].every((ch) => pushesOf(c.frames, ch).length > 0), 5_000);
    const acks = c.frames.filter((f) => f.event === 'subscribe').map((f) => f.arg);
    expect(acks).toContainEqual({ channel: 'liquidation-orders', instType: 'SWAP' });
    const mark = OkxMarkPriceSchema.parse(pushesOf(c.frames, 'mark-price')[0]);
    expect(mark.markPx).toBe(Number(model.markPx(sim.path.instrument('BTC')!, mark.ts)));
    OkxFundingRateSchema.parse(pushesOf(c.frames, 'funding-rate')[0]);
    OkxOpenInterestSchema.parse(pushesOf(c.frames, 'open-interest')[0]);
    expect(OkxBookSchema.parse(pushesOf(c.frames, 'books5')[0]).bids).toHaveLength(5);
    // Liquidations come at about one per instrument per 90 s: with 31 instruments ~5 in 15 s, yet a CI
    // run once saw none in 15 s (about 1 in 150 by chance); 60 s leaves no realistic miss.
    await until(() => pushesOf(c.frames, 'liquidation-orders').length > 0, 60_000);
    const liq = OkxLiquidationSchema.parse(pushesOf(c.frames, 'liquidation-orders')[0]);
    const d = liq.details[0]!;
    const expected = model.liquidations(sim.path.instrument(liq.instId)!, d.ts - 1000, d.ts + 1);
    expect(expected.some((e) => e.ts === d.ts && Number(e.bkPx) === d.bkPx && e.side === d.side)).toBe(true);
  }, 90_000);

  it('refuses derivatives channels on /business, unknown instruments, and closes a connection over its cap with 4009', async () => {
    const { urls } = await start({ maxSubsPerConnection: 3 });
    const b = open(urls.wsBusiness);
    await b.ready;
    b.ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'mark-price', instId: 'BTC-USDT-SWAP' }] }));
    await until(() => b.frames.some((f) => f.event === 'error' && f.code === '64002'), 3_000);
    const p = open(urls.wsPublic);
    await p.ready;
    p.ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books5', instId: 'NOPE-USDT-SWAP' }] }));
    await until(() => p.frames.some((f) => f.event === 'error' && f.code === '60018'), 3_000);
    const four = ['BTC', 'ETH', 'SOL', 'XRP'].map((c) => ({ channel: 'mark-price', instId: `${c}-USDT-SWAP` }));
    p.ws.send(JSON.stringify({ op: 'subscribe', args: four }));
    await until(() => p.closed() === 4009, 3_000);
    expect(p.frames.filter((f) => f.event === 'subscribe')).toHaveLength(3);
  });
});
