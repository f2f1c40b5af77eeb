// The derivatives streams against the simulator over real sockets: what the node stores and
// answers equals the simulator's REST answers; bad pushes are counted and dropped; a 429 on one
// endpoint backs off that stream alone.
import { describe, expect, it } from 'vitest';
import type { StreamStatus } from '../../preload/contract.js';
import type { SyncNode } from '../../main/node/create-node.js';
import {
  OkxBookSchema,
  OkxFundingHistorySchema,
  OkxFundingRateSchema,
  OkxMarkPriceSchema,
  OkxOpenInterestSchema,
} from '../../main/node/okx/deriv-schemas.js';
import { OkxTickerSchema } from '../../main/node/okx/schemas.js';
import type { Simulator } from '../../main/node/simulator/index.js';
import { call, useSimulatedNode } from '../helpers/sim-node.js';
import { until as waitUntil } from '../helpers/until.js';

const startNode = useSimulatedNode('csn-derivs-');
const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000) =>
  waitUntil(what, fn, timeoutMs, 100);

// A frozen clock for both: every answer the simulator gives, by push or REST, is the same value.
const NOW = Date.UTC(2026, 4, 20, 5, 41, 17, 250);
const now = () => NOW;

async function rest(sim: Simulator, path: string): Promise<unknown[]> {
  const r = await fetch(`${sim.urls!.rest}${path}`);
  const body = (await r.json()) as { code: string; data: unknown[] };
  if (body.code !== '0') throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.data;
}
const streams = async (n: SyncNode) => {
  const list = (await call(n, 'market.status', {})).streams;
  return Object.fromEntries(list.map((s) => [s.name, s])) as Record<string, StreamStatus>;
};
const FUNDING_MS = 8 * 3_600_000;
const DERIVS = ['markPrice', 'fundingRate', 'openInterest', 'books5', 'liquidations', 'swapTickers'];

describe('derivatives collector against the simulator', () => {
  it('mark price, funding, open interest, book and every swap ticker equal the simulator REST answers', { timeout: 60_000 }, async () => {
    const { sim, node } = await startNode({ now, fundingIntervalMs: [500, 1000] }, { now, derivs: { fundingHistoryMs: 600_000 } });
    await until('every derivatives stream on ws', async () => {
      const s = await streams(node);
      return DERIVS.every((n) => s[n]?.mode === 'ws');
    });
    const coins = node.settings.get().coins;
    const marks = (await rest(sim, '/api/v5/public/mark-price?instType=SWAP')).map((r) => OkxMarkPriceSchema.parse(r));
    const funding = (await rest(sim, '/api/v5/public/funding-rate?instId=ANY')).map((r) => OkxFundingRateSchema.parse(r));
    const oi = (await rest(sim, '/api/v5/public/open-interest?instType=SWAP')).map((r) => OkxOpenInterestSchema.parse(r));
    const tickers = (await rest(sim, '/api/v5/market/tickers?instType=SWAP')).map((r) => OkxTickerSchema.parse(r));
    // Every field reaches the database within a few write beats.
    await until('all 27 coins complete', async () => {
      for (const coin of coins) {
        const c = await call(node, 'market.coin', { coin });
        if (c.markPx.value === null || c.fundingRate.value === null || c.openInterest.value === null || c.book.bids.length < 5)
          return false;
        if (c.vol24h.value === null) return false;
      }
      return true;
    });
    for (const coin of coins) {
      const instId = `${coin}-USDT-SWAP`;
      const c = await call(node, 'market.coin', { coin });
      expect(c.markPx.value, coin).toBe(marks.find((m) => m.instId === instId)!.markPx);
      const f = funding.find((x) => x.instId === instId)!;
      expect(c.fundingRate.value, coin).toBe(f.fundingRate);
      expect(c.nextFundingTime.value, coin).toBe(f.fundingTime);
      expect(c.openInterest.value, coin).toBe(oi.find((x) => x.instId === instId)!.oi);
      const t = tickers.find((x) => x.instId === instId)!;
      expect([c.vol24h.value, c.high24h.value, c.low24h.value, c.open24h.value]).toEqual([t.vol24h, t.high24h, t.low24h, t.open24h]);
      expect(c.markPx.updatedAt).not.toBeNull();
    }
    const book = OkxBookSchema.parse((await rest(sim, '/api/v5/market/books?instId=BTC-USDT-SWAP&sz=5'))[0]);
    const btc = await call(node, 'market.coin', { coin: 'BTC' });
    expect(btc.book.bids).toEqual(book.bids);
    expect(btc.book.asks).toEqual(book.asks);

    // OKX001: every USDT swap the simulator lists (not only our 27), last as REST says.
    const board = await until('OKX001 complete', async () => {
      const b = await call(node, 'market.tickers', {});
      return b.rows.length === tickers.filter((t) => t.instId.endsWith('-USDT-SWAP')).length ? b : false;
    });
    for (const r of board.rows) expect(r.last, r.instId).toBe(tickers.find((t) => t.instId === r.instId)!.last);
    expect(board.rows.some((r) => !coins.includes(r.instId.replace('-USDT-SWAP', '')))).toBe(true);

    // FR001: the settled history as /public/funding-rate-history serves it.
    const hist = (await rest(sim, '/api/v5/public/funding-rate-history?instId=ETH-USDT-SWAP&limit=400')).map((r) =>
      OkxFundingHistorySchema.parse(r),
    );
    const stored = await until('ETH funding history stored', () => {
      const rows = node.store.db
        .prepare(
          'SELECT funding_time, realized_rate FROM funding_rates WHERE coin = ? AND realized_rate IS NOT NULL ORDER BY funding_time DESC',
        )
        .all('ETH') as { funding_time: number; realized_rate: number }[];
      return rows.length === hist.length ? rows : false;
    });
    expect(stored.map((r) => [r.funding_time, r.realized_rate])).toEqual(hist.map((h) => [h.fundingTime, h.realizedRate]));

    // Bad input names its field.
    const bad = await node.call('market.coin', { coin: 'NOPE' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/^coin: NOPE/);
  });

  it('counts a malformed or partial push on its stream and drops it; the values stay right', { timeout: 60_000 }, async () => {
    const { sim, node } = await startNode({ now }, { now });
    await until('mark price and books on ws', async () => {
      const s = await streams(node);
      return (
        s.markPrice?.mode === 'ws' && s.books5?.mode === 'ws' && (await call(node, 'market.coin', { coin: 'BTC' })).markPx.value !== null
      );
    });
    const before = await streams(node);
    sim.faults.sendRaw(
      JSON.stringify({
        arg: { channel: 'mark-price', instId: 'BTC-USDT-SWAP' },
        data: [{ instId: 'BTC-USDT-SWAP', markPx: 'oops', ts: '1' }],
      }),
      'public',
    );
    sim.faults.sendRaw(
      JSON.stringify({ arg: { channel: 'books5', instId: 'BTC-USDT-SWAP' }, data: [{ bids: [['1', '1', '0', '1']], ts: '1' }] }),
      'public',
    );
    sim.faults.sendRaw(JSON.stringify({ arg: { channel: 'open-interest', instId: 'BTC-USDT-SWAP' }, data: [] }), 'public');
    sim.faults.sendRaw('{"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{"fundingRate":', 'public');
    const after = await until('four malformed counted', async () => {
      const s = await streams(node);
      return ['markPrice', 'books5', 'openInterest', 'fundingRate'].every((n) => s[n]!.counters.malformed > before[n]!.counters.malformed)
        ? s
        : false;
    });
    expect(after.markPrice!.lastError).toMatch(/malformed/);
    // Nothing of the bad pushes was stored: BTC's values are still the simulator's.
    await new Promise((r) => setTimeout(r, 3_500));
    const btc = await call(node, 'market.coin', { coin: 'BTC' });
    const mark = OkxMarkPriceSchema.parse((await rest(sim, '/api/v5/public/mark-price?instType=SWAP&instId=BTC-USDT-SWAP'))[0]);
    expect(btc.markPx.value).toBe(mark.markPx);
    expect(btc.book.asks).toHaveLength(5);
    expect((await streams(node)).markPrice!.mode).toBe('ws');
  });

  it('a 429 on the mark-price endpoint backs off that stream only; the others keep polling REST', { timeout: 60_000 }, async () => {
    const { sim, node } = await startNode({ now }, { now });
    await until('mark price on ws', async () => (await streams(node)).markPrice?.mode === 'ws');
    // Sockets gone for the rest of the test: every stream with a REST source polls it.
    sim.faults.refuseConnections(120_000);
    sim.faults.dropConnections();
    sim.faults.failNextRest(10_000, '429', { endpoint: 'markPrice' });
    const s = await until('markPrice rate-limited while the others poll', async () => {
      const st = await streams(node);
      const others = ['fundingRate', 'openInterest', 'books5', 'swapTickers'];
      // Funding and OI poll every 60 s / 30 s, books every 3 s: one call each, several for books.
      const polled = others.every((n) => st[n]!.mode === 'rest' && st[n]!.counters.restCalls >= 1) && st.books5!.counters.restCalls >= 3;
      return st.markPrice!.counters.rateLimited >= 2 && polled ? st : false;
    });
    expect(s.markPrice!.mode).toBe('rest');
    expect(s.markPrice!.lastError).toMatch(/50011|429/);
    for (const n of ['fundingRate', 'openInterest', 'books5', 'swapTickers']) expect(s[n]!.lastError, n).toBeNull();
    expect(s.liquidations!.mode).toBe('down');
    // The stream backs off: far fewer mark-price requests than a 3 s poll would make without it.
    const served = sim.stats().rest.requests.markPrice;
    await new Promise((r) => setTimeout(r, 4_000));
    expect(sim.stats().rest.requests.markPrice - served).toBeLessThanOrEqual(2);
    // OI from REST still equals the simulator.
    const oi = (await rest(sim, '/api/v5/public/open-interest?instType=SWAP&instId=SOL-USDT-SWAP')).map((r) =>
      OkxOpenInterestSchema.parse(r),
    );
    expect((await call(node, 'market.coin', { coin: 'SOL' })).openInterest.value).toBe(oi[0]!.oi);
  });
  it('fetches the realised rate of a settlement soon after it passes, not an hour later', { timeout: 60_000 }, async () => {
    // Both clocks 6 s before a settlement (every 8 h from 00:00 UTC).
    const settle = (Math.floor(Date.now() / FUNDING_MS) + 1) * FUNDING_MS;
    const offset = settle - 6_000 - Date.now();
    const clock = () => Date.now() + offset;
    const { sim, node } = await startNode({ now: clock, fundingIntervalMs: [300, 600] }, { now: clock, derivs: { settleDelayMs: 1_000 } });
    const realized = () =>
      node.store.db
        .prepare('SELECT realized_rate FROM funding_rates WHERE coin = ? AND funding_time = ?')
        .pluck(true)
        .get('BTC', settle) as number | null | undefined;
    await until('the forecast for the coming settlement', () => realized() === null);
    const value = await until('its realised rate', () => realized() ?? false, 30_000);
    const hist = (await rest(sim, `/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&limit=1`)).map((r) =>
      OkxFundingHistorySchema.parse(r),
    );
    expect(hist[0]!.fundingTime).toBe(settle);
    expect(value).toBe(hist[0]!.realizedRate);
  });
});
