import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_COINS } from '../../preload/contract.js';
import { GridWriter, type GridPointInput } from '../../main/node/market/grid-writer.js';
import { MarketQueries } from '../../main/node/market/queries.js';
import { HALF_HOUR, JAN16, openTempStore, pricePath } from './market-fixture.js';

const DAY = 86_400_000;
const WRITTEN = ['BTC', 'ETH', 'SOL', 'XRP'];

describe('MarketQueries', () => {
  let t: ReturnType<typeof openTempStore>;
  let coins: string[];
  let now: number;
  let q: MarketQueries;
  /** Which cells the test writes: all coins on JAN16 except ETH after 12:00 and SOL at 05:00. */
  const present = (coin: string, i: number) => !(coin === 'ETH' && i >= 24) && !(coin === 'SOL' && i === 10);

  beforeEach(() => {
    t = openTempStore();
    coins = ['BTC', 'ETH', 'SOL'];
    now = JAN16 + 2 * DAY;
    q = new MarketQueries({ db: t.store.db, coins: () => coins, now: () => now });
    const pts: GridPointInput[] = [];
    for (const c of WRITTEN) {
      for (let i = 0; i < 48; i++)
        if (present(c, i)) pts.push({ coin: c, ts: JAN16 + i * HALF_HOUR, price: pricePath(c, JAN16 + i * HALF_HOUR), source: 'backfill' });
    }
    new GridWriter(t.store).writeGridPrices(pts);
  });
  afterEach(() => t.cleanup());

  /** The sum at point i, computed here from the price path rather than from stored rows. */
  const expectedSum = (i: number, cs = coins) => {
    let s = 0;
    let n = 0;
    for (const c of cs) {
      if (!present(c, i)) continue;
      const b = pricePath(c, JAN16);
      s += ((pricePath(c, JAN16 + i * HALF_HOUR) - b) / b) * 100;
      n += 1;
    }
    return { s, n };
  };

  it('sumSeries gives every grid point with its sum, coverage and complete flag', () => {
    const res = q.sumSeries(JAN16 - 2 * HALF_HOUR, JAN16 + DAY);
    expect(res.coins).toEqual(coins);
    expect(res.points).toHaveLength(50);
    expect(res.points.slice(0, 2)).toEqual([
      { ts: JAN16 - 2 * HALF_HOUR, sum: null, covered: 0, total: 3, complete: false },
      { ts: JAN16 - HALF_HOUR, sum: null, covered: 0, total: 3, complete: false },
    ]);
    res.points.slice(2).forEach((p, i) => {
      const e = expectedSum(i);
      expect(p.ts).toBe(JAN16 + i * HALF_HOUR);
      expect(p.covered).toBe(e.n);
      expect(p.total).toBe(3);
      expect(p.complete).toBe(e.n === 3);
      expect(p.sum).toBeCloseTo(e.s, 9);
    });
    expect(res.points.filter((p) => p.complete)).toHaveLength(23); // 0..23 minus SOL at 10
    // XRP has rows but is not selected: it counts once selected.
    coins = ['BTC', 'XRP'];
    const two = q.sumSeries(JAN16, JAN16 + HALF_HOUR).points[0]!;
    expect(two).toMatchObject({ covered: 2, total: 2, complete: true });
  });

  it('sumSeries stops at the current grid point', () => {
    now = JAN16 + 5 * HALF_HOUR + 10;
    const pts = q.sumSeries(JAN16, JAN16 + DAY).points;
    expect(pts.map((p) => p.ts)).toEqual([0, 1, 2, 3, 4, 5].map((i) => JAN16 + i * HALF_HOUR));
  });

  it('day() is 48 rows × selected coins, with missing reasons, sums and baselines', () => {
    coins = [...DEFAULT_COINS];
    now = JAN16 + 40 * HALF_HOUR;
    t.store.db
      .prepare("INSERT INTO coins (symbol, inst_id, list_time, updated_at) VALUES ('TAO', 'TAO-USDT-SWAP', ?, 0)")
      .run(JAN16 + 20 * HALF_HOUR);
    const d = q.day('2026-01-16');
    expect(d.coins).toEqual(coins);
    expect(d.rows).toHaveLength(48);
    for (const r of d.rows) {
      expect(r.prices).toHaveLength(27);
      expect(r.changes).toHaveLength(27);
      expect(r.missing).toHaveLength(27);
    }
    const ci = (c: string) => coins.indexOf(c);
    const r10 = d.rows[10]!;
    expect(r10.time).toBe('05:00');
    expect(r10.prices[ci('BTC')]).toBe(pricePath('BTC', JAN16 + 10 * HALF_HOUR));
    expect(r10.missing[ci('BTC')]).toBeNull();
    expect(r10.missing[ci('SOL')]).toBe('not_collected');
    expect(r10.missing[ci('TAO')]).toBe('not_listed');
    expect(d.rows[30]!.missing[ci('TAO')]).toBe('not_collected');
    expect(d.rows[41]!.missing[ci('DOGE')]).toBe('future');
    expect(r10.covered).toBe(expectedSum(10, WRITTEN).n);
    expect(r10.sum).toBeCloseTo(expectedSum(10, WRITTEN).s, 9);
    expect(r10.total).toBe(27);
    expect(r10.complete).toBe(false);
    expect(d.baselines[ci('BTC')]).toBe(pricePath('BTC', JAN16));
    expect(d.baselines[ci('DOGE')]).toBeNull();
    expect(d.rows[47]!.time).toBe('23:30');
    // The same sum as the series (one definition, two read paths).
    const series = q.sumSeries(JAN16, JAN16 + DAY).points;
    series.forEach((p, i) => {
      expect(p.covered).toBe(d.rows[i]!.covered);
      if (p.sum === null) expect(d.rows[i]!.sum).toBeNull();
      else expect(d.rows[i]!.sum).toBeCloseTo(p.sum, 9);
    });
  });

  it('gridRows orders by time then by the selected coins', () => {
    coins = ['SOL', 'BTC'];
    const rows = q.gridRows(JAN16, JAN16 + 2 * HALF_HOUR);
    expect(rows.map((r) => `${r.coin}@${(r.ts - JAN16) / HALF_HOUR}`)).toEqual(['SOL@0', 'BTC@0', 'SOL@1', 'BTC@1']);
    expect(q.lastGridTs('BTC')).toBe(JAN16 + 47 * HALF_HOUR);
    expect(q.lastGridTs('DOGE')).toBeNull();
  });
});
