import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GridWriter, type CandleInput, type GridPointInput } from '../../main/node/market/grid-writer.js';
import type { Store } from '../../main/node/store/store.js';
import { HALF_HOUR, JAN16, openTempStore, pricePath } from './market-fixture.js';

const COINS = ['BTC', 'ETH', 'SOL'];
const DAY = 24 * 3_600_000;

interface GridDbRow {
  coin: string;
  ts: number;
  price: number;
  baseline: number | null;
  change_pct: number | null;
  source: string;
  seq: number;
}

function dayPointsFor(coin: string, start = JAN16, source: GridPointInput['source'] = 'backfill'): GridPointInput[] {
  return Array.from({ length: 48 }, (_, i) => ({ coin, ts: start + i * HALF_HOUR, price: pricePath(coin, start + i * HALF_HOUR), source }));
}

describe('GridWriter', () => {
  let t: ReturnType<typeof openTempStore>;
  let store: Store;
  let writer: GridWriter;
  const rows = (coin: string): GridDbRow[] =>
    store.db.prepare('SELECT * FROM grid_prices WHERE coin = ? ORDER BY ts').all(coin) as GridDbRow[];

  beforeEach(() => {
    t = openTempStore();
    store = t.store;
    writer = new GridWriter(store, () => 1_800_000_000_000);
  });
  afterEach(() => t.cleanup());

  it('stores price, baseline and change % exactly as defined, and the day high/low', () => {
    const res = writer.writeGridPrices(COINS.flatMap((c) => dayPointsFor(c)));
    expect(res).toMatchObject({ changed: 144, unchanged: 0, rejected: [], range: { from: JAN16, to: JAN16 + DAY } });
    for (const coin of COINS) {
      const base = pricePath(coin, JAN16);
      const got = rows(coin);
      expect(got).toHaveLength(48);
      got.forEach((r, i) => {
        const price = pricePath(coin, JAN16 + i * HALF_HOUR);
        expect(r.ts).toBe(JAN16 + i * HALF_HOUR);
        expect(r.price).toBe(price);
        expect(r.baseline).toBe(base);
        expect(r.change_pct).toBeCloseTo(((price - base) / base) * 100, 12);
        expect(r.source).toBe('backfill');
        expect(r.change_pct === 0).toBe(i === 0);
      });
      const prices = got.map((r) => r.price);
      const b = store.db.prepare('SELECT * FROM baselines WHERE coin = ?').get(coin) as {
        day: string;
        price: number;
        high: number;
        low: number;
      };
      expect(b).toMatchObject({ day: '2026-01-16', price: base, high: Math.max(...prices), low: Math.min(...prices) });
    }
  });

  it('keeps the seq of an identical rewrite and gives a changed price a new seq', () => {
    writer.writeGridPrices(dayPointsFor('BTC'));
    const before = rows('BTC');
    const maxSeq = store.seq.value;
    const again = writer.writeGridPrices(dayPointsFor('BTC', JAN16, 'backfill'));
    expect(again).toMatchObject({ changed: 0, unchanged: 48, recomputed: 0, baselinesChanged: 0 });
    expect(rows('BTC')).toEqual(before);
    expect(store.seq.value).toBe(maxSeq);

    const p = before[10]!;
    const res = writer.writeGridPrices([{ coin: 'BTC', ts: p.ts, price: p.price * 1.01, source: 'ws' }]);
    expect(res.changed).toBe(1);
    const after = rows('BTC');
    expect(after[10]!.seq).toBeGreaterThan(maxSeq);
    expect(after[10]!.change_pct).toBeCloseTo(((p.price * 1.01 - p.baseline!) / p.baseline!) * 100, 12);
    expect(after.filter((r, i) => r.seq !== before[i]!.seq).map((r) => r.ts)).toEqual([p.ts]);
  });

  it('recomputes the day when its baseline arrives late, and tells listeners', () => {
    const heard: [string, string, number][] = [];
    writer.onBaseline((c, d, p) => heard.push([c, d, p]));
    const pts = dayPointsFor('ETH');
    const first = writer.writeGridPrices(pts.slice(1));
    expect(first.changed).toBe(47);
    expect(rows('ETH').every((r) => r.baseline === null && r.change_pct === null)).toBe(true);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM baselines WHERE coin = 'ETH'").get()).toEqual({ n: 0 });

    const writes: { from: number; to: number; changed: number }[] = [];
    writer.onWrite((r) => writes.push({ ...r.range!, changed: r.changed }));
    const late = writer.writeGridPrices([pts[0]!]);
    expect(late).toMatchObject({ changed: 48, recomputed: 47, baselinesChanged: 1 });
    // The write covers one point, but listeners hear the whole recomputed day.
    expect(writes).toEqual([{ from: JAN16, to: JAN16 + DAY, changed: 48 }]);
    writer.writeGridPrices([pts[0]!]);
    expect(writes).toHaveLength(1); // nothing changed, nothing announced
    const base = pricePath('ETH', JAN16);
    rows('ETH').forEach((r) => expect(r.change_pct).toBeCloseTo(((r.price - base) / base) * 100, 12));
    expect(heard).toEqual([['ETH', '2026-01-16', base]]);

    // A moved baseline (a correction) re-derives the day again; other days are untouched.
    writer.writeGridPrices(dayPointsFor('ETH', JAN16 + DAY));
    const nextDaySeqs = rows('ETH')
      .slice(48)
      .map((r) => r.seq);
    const moved = writer.writeGridPrices([{ ...pts[0]!, price: base * 2 }]);
    expect(moved.recomputed).toBe(47);
    rows('ETH')
      .slice(1, 48)
      .forEach((r) => expect(r.change_pct).toBeCloseTo(((r.price - base * 2) / (base * 2)) * 100, 12));
    expect(
      rows('ETH')
        .slice(48)
        .map((r) => r.seq),
    ).toEqual(nextDaySeqs);
  });

  it('refuses malformed points with a reason and writes the rest', () => {
    const res = writer.writeGridPrices([
      { coin: 'BTC', ts: JAN16 + 1, price: 1, source: 'ws' },
      { coin: 'btc', ts: JAN16, price: 1, source: 'ws' },
      { coin: 'BTC', ts: JAN16, price: Number.NaN, source: 'ws' },
      { coin: 'BTC', ts: JAN16, price: -3, source: 'ws' },
      { coin: 'BTC', ts: JAN16, price: 42, source: 'ws' },
    ]);
    expect(res.changed).toBe(1);
    expect(res.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/not on the 30-minute grid/),
      expect.stringMatching(/not a coin symbol/),
      expect.stringMatching(/not a positive number/),
      expect.stringMatching(/not a positive number/),
    ]);
  });

  it('writes candles, derives grid points from 30m opens and widens high/low from candles', () => {
    const candles: CandleInput[] = [0, 1].map((i) => {
      const open = pricePath('SOL', JAN16 + i * HALF_HOUR);
      return {
        coin: 'SOL',
        bar: '30m',
        ts: JAN16 + i * HALF_HOUR,
        open,
        high: open * 1.02,
        low: open * 0.97,
        close: open * 1.001,
        vol: 10 + i,
        volCcy: 1 + i,
        volCcyQuote: 100 + i,
        confirm: i === 0,
      };
    });
    const res = writer.writeCandles(candles, { gridSource: 'ws' });
    expect(res).toMatchObject({ changed: 2, rejected: [] });
    expect(res.grid).toMatchObject({ changed: 2 });
    const k = store.db.prepare('SELECT * FROM candles ORDER BY ts').all() as Record<string, unknown>[];
    expect(k.map((r) => [r.open, r.high, r.low, r.close, r.vol, r.vol_ccy, r.vol_ccy_quote, r.confirm])).toEqual(
      candles.map((c) => [c.open, c.high, c.low, c.close, c.vol, c.volCcy, c.volCcyQuote, c.confirm ? 1 : 0]),
    );
    expect(rows('SOL').map((r) => r.price)).toEqual(candles.map((c) => c.open));
    const b = store.db.prepare("SELECT price, high, low FROM baselines WHERE coin = 'SOL'").get();
    expect(b).toEqual({
      price: candles[0]!.open,
      high: Math.max(...candles.map((c) => c.high)),
      low: Math.min(...candles.map((c) => c.low)),
    });
    expect(writer.writeCandles(candles).changed).toBe(0);
    const bad = writer.writeCandles([{ ...candles[0]!, high: candles[0]!.open * 0.5 }]);
    expect(bad.rejected[0]?.reason).toMatch(/high\/low/);
  });
});
