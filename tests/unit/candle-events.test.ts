import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Candle, EventMap } from '../../preload/contract.js';
import { createNode } from '../../main/node/create-node.js';
import { EventBus } from '../../main/node/events/bus.js';
import { CandleEvents, MAX_WATCH_CLIENTS, WATCH_TTL_MS } from '../../main/node/market/candles/candle-events.js';
import { tempDataDir } from '../helpers/headless.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const candle = (ts: number, c: number, confirm = false): Candle => ({ ts, o: 1, h: 2, l: 0.5, c, vol: 1, confirm });

function setup(now = { t: 1_000_000 }) {
  const bus = new EventBus();
  const got: EventMap['market.candle'][] = [];
  bus.on('market.candle', (p) => got.push(p));
  const ev = new CandleEvents(bus, { tickMs: 40, now: () => now.t });
  return { ev, got, now };
}

describe("'market.candle' events: watched keys only, coalesced per key", () => {
  it('sends nothing for a key no UI watches', async () => {
    const { ev, got } = setup();
    for (let i = 0; i < 20; i++) ev.publish('BTC', '1m', candle(60_000, i));
    await sleep(80);
    expect(got).toEqual([]);
    expect(ev.stats).toEqual({ observed: 20, emitted: 0 });
  });

  it('sends one event per key per tick with the latest state, and the older bar at once when a newer one comes', async () => {
    const { ev, got } = setup();
    expect(ev.watch('ui1', [{ coin: 'BTC', bar: '1m' }])).toEqual({ ttlMs: WATCH_TTL_MS, watching: 1 });
    for (let i = 0; i < 10; i++) ev.publish('BTC', '1m', candle(60_000, i));
    ev.publish('ETH', '1m', candle(60_000, 5));
    await sleep(80);
    expect(got).toEqual([{ coin: 'BTC', bar: '1m', candle: candle(60_000, 9) }]);
    // The closing push of a bar and the next bar's first push in one tick: both reach the UI, in order.
    ev.publish('BTC', '1m', candle(60_000, 11, true));
    ev.publish('BTC', '1m', candle(120_000, 12));
    await sleep(80);
    expect(got.slice(1).map((p) => p.candle)).toEqual([candle(60_000, 11, true), candle(120_000, 12)]);
    ev.stop();
  });

  it('a lease ends when the UI says so or stops renewing; the stalest client gives way past the bound', async () => {
    const { ev, got, now } = setup();
    ev.watch('a', [{ coin: 'BTC', bar: '5m' }]);
    ev.watch('b', [{ coin: 'SOL', bar: '1H' }]);
    ev.watch('a', []);
    ev.publish('BTC', '5m', candle(0, 1));
    ev.publish('SOL', '1H', candle(0, 2));
    await sleep(80);
    expect(got.map((p) => p.coin)).toEqual(['SOL']);
    now.t += WATCH_TTL_MS;
    ev.publish('SOL', '1H', candle(0, 3));
    await sleep(80);
    expect(got.length).toBe(1);
    for (let i = 0; i < MAX_WATCH_CLIENTS + 1; i++) {
      now.t += 1;
      ev.watch(`c${i}`, [{ coin: `C${i}`, bar: '1m' }]);
    }
    // c0 (the stalest) was evicted for c32; the others still watch.
    expect(ev.watch('probe', [])).toEqual({ ttlMs: WATCH_TTL_MS, watching: MAX_WATCH_CLIENTS });
    ev.publish('C0', '1m', candle(0, 1));
    ev.publish('C1', '1m', candle(0, 1));
    await sleep(80);
    expect(got.slice(1).map((p) => p.coin)).toEqual(['C1']);
    ev.stop();
  });
});

describe('market.watchCandles input', () => {
  const dir = tempDataDir('csn-watch-');
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'test', collect: false });
  afterAll(async () => {
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [{ client: 'x y', watch: [] }, /client: must be 1–64 letters/],
    [{ client: 'ui', watch: [{ coin: 'BTC', bar: '2m' }] }, /watch\.0\.bar/],
    [{ client: 'ui', watch: Array.from({ length: 5 }, () => ({ coin: 'BTC', bar: '1m' })) }, /watch/],
    [{ client: 'ui', watch: [], extra: 1 }, /extra|unrecognized/i],
  ])('refuses %j with a sentence naming the field', async (input, msg) => {
    const r = await node.dispatch('market.watchCandles', input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad_input');
      expect(r.error.message).toMatch(msg);
    }
  });

  it('answers a good lease with its ttl and the watched key count', async () => {
    const r = await node.call('market.watchCandles', { client: 'ui-1', watch: [{ coin: 'BTC', bar: '1m' }] });
    expect(r).toEqual({ ok: true, value: { ttlMs: WATCH_TTL_MS, watching: 1 } });
  });
  it('fuzz: 3,000 random inputs are answered ok or bad_input, and the leases stay bounded', async () => {
    let a = 7;
    const r = () => (a = (Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const junk = [null, 1, -1, 1e308, '', 'x'.repeat(65), 'BTC', '1m', '币', {}, [], true, '__proto__'];
    const value = (): unknown =>
      r() < 0.5
        ? {
            client: r() < 0.7 ? `c${Math.floor(r() * 200)}` : pick(junk),
            watch: Array.from({ length: Math.floor(r() * 6) }, () =>
              r() < 0.8 ? { coin: pick(['BTC', 'ETH', 'btc', 'NOPE', 1]), bar: pick(['1m', '5m', '1D', '2m', null]) } : pick(junk),
            ),
          }
        : pick(junk);
    for (let i = 0; i < 3_000; i++) {
      const res = await node.dispatch('market.watchCandles', value());
      if (!res.ok) expect(res.error.code).toBe('bad_input');
      else expect((res.value as { watching: number }).watching).toBeLessThanOrEqual(MAX_WATCH_CLIENTS * 4);
    }
  });
});
