// The simulator's price path: deterministic, on the tick grid, and every bar aggregated from minutes.
import { describe, expect, it } from 'vitest';
import { barOpenAt, OKX_BARS, type OkxBar } from '../../main/node/okx/bars.js';
import { createPricePath } from '../../main/node/simulator/price-path.js';
import { defaultInstruments } from '../../main/node/simulator/instruments.js';
import { candleRow, tickerValues } from '../../main/node/simulator/payloads.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 20, 5, 17, 23, 456);
const path = createPricePath({ seed: 'unit' });

/** Expected candle computed only from whole minutes, independently of the aggregation code. */
function fromMinutes(coin: string, from: number, to: number) {
  let high = -Infinity,
    low = Infinity,
    vol = 0;
  for (let t = from; t < to; t += MIN) {
    const m = path.bar(coin, '1m', t)!;
    expect(m.open).toBe(path.minuteOpen(coin, t));
    expect(m.close).toBe(path.minuteOpen(coin, t + MIN));
    high = Math.max(high, m.high);
    low = Math.min(low, m.low);
    vol += m.volUnits;
  }
  return { open: path.minuteOpen(coin, from), close: path.minuteOpen(coin, to), high, low, volUnits: vol };
}

describe('simulator price path', () => {
  it('is deterministic per seed and differs between seeds and coins', () => {
    const again = createPricePath({ seed: 'unit' });
    const other = createPricePath({ seed: 'other' });
    const ts = NOW - 12_345 * MIN;
    expect(again.minuteOpen('BTC', ts)).toBe(path.minuteOpen('BTC', ts));
    expect(other.minuteOpen('BTC', ts)).not.toBe(path.minuteOpen('BTC', ts));
    expect(path.minuteOpen('ETH', ts)).not.toBe(path.minuteOpen('BTC', ts));
  });

  it('keeps prices on the tick grid and near realistic levels', () => {
    for (const inst of defaultInstruments()) {
      const tick = Number(inst.tickSz);
      for (let d = 0; d < 400; d += 37) {
        const p = path.minuteOpen(inst.instId, NOW - d * 86_400_000);
        expect(Math.abs(p / tick - Math.round(p / tick))).toBeLessThan(1e-6);
        expect(p).toBeGreaterThan(inst.centerPrice / 5);
        expect(p).toBeLessThan(inst.centerPrice * 5);
      }
    }
  });

  it('moves like a market: 1-minute returns of a few basis points, not flat, not wild', () => {
    let sum = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const r = Math.log(path.minuteOpen('BTC', NOW - i * MIN) / path.minuteOpen('BTC', NOW - (i + 1) * MIN));
      sum += r * r;
    }
    const sd = Math.sqrt(sum / n);
    expect(sd).toBeGreaterThan(0.0002);
    expect(sd).toBeLessThan(0.003);
  });

  it('aggregates every bar size from the 1-minute path', () => {
    const cases: [OkxBar, number][] = [
      ['3m', NOW - 200 * MIN],
      ['5m', NOW - 300 * MIN],
      ['15m', NOW - 900 * MIN],
      ['30m', NOW - 3000 * MIN],
      ['1H', NOW - 5000 * MIN],
      ['4H', NOW - 9000 * MIN],
      ['1D', NOW - 3 * 86_400_000],
      ['1Dutc', NOW - 5 * 86_400_000],
    ];
    for (const [bar, at] of cases) {
      const open = barOpenAt(bar, at);
      const got = path.bar('SOL', bar, open)!;
      const want = fromMinutes('SOL', open, open + OKX_BARS[bar].ms);
      expect({ bar, ...got, vol: undefined, volCcy: undefined, volCcyQuote: undefined, ts: undefined, confirm: undefined }).toEqual({
        bar,
        ...want,
        vol: undefined,
        volCcy: undefined,
        volCcyQuote: undefined,
        ts: undefined,
        confirm: undefined,
      });
      expect(got.ts).toBe(open);
    }
  });

  it('aligns 1D to 00:00 UTC+8 and 1Dutc to 00:00 UTC', () => {
    expect(new Date(barOpenAt('1D', NOW)).toISOString()).toBe('2026-11-19T16:00:00.000Z');
    expect(new Date(barOpenAt('1Dutc', NOW)).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(new Date(barOpenAt('30m', NOW)).toISOString()).toBe('2026-11-20T05:00:00.000Z');
  });

  it('30m open equals the minute open at the bar start (the grid price)', () => {
    for (let i = 1; i < 100; i++) {
      const t = barOpenAt('30m', NOW) - i * 30 * MIN;
      expect(path.bar('XRP', '30m', t)!.open).toBe(path.minuteOpen('XRP', t));
    }
  });

  it('gives the forming bar with confirm 0, cut at now, inside the finished bar', () => {
    const open = barOpenAt('30m', NOW);
    const partial = path.bar('ETH', '30m', open, NOW)!;
    const whole = path.bar('ETH', '30m', open)!;
    expect(partial.confirm).toBe(0);
    expect(whole.confirm).toBe(1);
    expect(partial.open).toBe(whole.open);
    expect(partial.close).toBe(path.priceAt('ETH', NOW));
    expect(partial.high).toBeLessThanOrEqual(whole.high);
    expect(partial.low).toBeGreaterThanOrEqual(whole.low);
    expect(partial.volUnits).toBeLessThan(whole.volUnits);
    expect(path.bar('ETH', '30m', open + 30 * MIN, NOW)).toBeNull();
  });

  it('keeps every intra-minute price inside that minute and starts it at the open', () => {
    const m = Math.floor(NOW / MIN) * MIN - 10 * MIN;
    const bar = path.bar('DOGE', '1m', m)!;
    expect(path.priceAt('DOGE', m)).toBe(bar.open);
    for (let s = 0; s < 60; s++) {
      const p = path.priceAt('DOGE', m + s * 1000);
      expect(p).toBeGreaterThanOrEqual(bar.low);
      expect(p).toBeLessThanOrEqual(bar.high);
    }
  });

  it('has no candles before the listing time', () => {
    const listTime = NOW - 2 * 3_600_000 + 17_000;
    const insts = defaultInstruments().map((i) => (i.coin === 'TAO' ? { ...i, listTime } : i));
    const p = createPricePath({ seed: 'unit', instruments: insts });
    const first = Math.ceil(listTime / MIN) * MIN;
    expect(p.listedFrom('TAO')).toBe(first);
    expect(p.bar('TAO', '1H', listTime - 3 * 3_600_000, NOW)).toBeNull();
    const b = p.bar('TAO', '1D', NOW, NOW)!;
    expect(b.open).toBe(p.minuteOpen('TAO', first));
    expect(b.ts).toBe(barOpenAt('1D', NOW));
  });

  it('formats rows with consistent volumes (vol × ctVal = volCcy, vwap inside high/low)', () => {
    for (const coin of ['BTC', 'DOGE', 'TAO', 'BTC-USD-SWAP']) {
      const inst = path.instrument(coin)!;
      const row = candleRow(inst, path.bar(coin, '30m', NOW - 7 * 3_600_000)!);
      expect(row).toHaveLength(9);
      const [, , h, l, , vol, volCcy, quote] = row.map(Number) as number[];
      if (inst.ctType === 'linear') {
        expect(vol! * Number(inst.ctVal)).toBeCloseTo(volCcy!, 6);
        expect(quote! / volCcy!).toBeGreaterThanOrEqual(l!);
        expect(quote! / volCcy!).toBeLessThanOrEqual(h!);
      } else {
        expect(quote).toBeCloseTo(vol! * Number(inst.ctVal), 6);
      }
    }
  });

  it('makes tickers agree with the path: sodUtc8 is the open at 00:00 UTC+8', () => {
    const t = tickerValues(path, path.instrument('LINK')!, NOW);
    expect(Number(t.sodUtc8)).toBe(path.minuteOpen('LINK', barOpenAt('1D', NOW)));
    expect(Number(t.sodUtc0)).toBe(path.minuteOpen('LINK', barOpenAt('1Dutc', NOW)));
    expect(Number(t.last)).toBe(path.priceAt('LINK', NOW));
    expect(Number(t.last)).toBeGreaterThanOrEqual(Number(t.low24h));
    expect(Number(t.last)).toBeLessThanOrEqual(Number(t.high24h));
    expect(t.ts).toBe(String(NOW));
  });
});
