import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GridWriter, type GridPointInput } from '../../main/node/market/grid-writer.js';
import { MarketQueries } from '../../main/node/market/queries.js';
import { SumSeriesCache } from '../../main/node/market/sum-cache.js';
import { HALF_HOUR, JAN16, openTempStore, pricePath } from './market-fixture.js';

const DAY = 86_400_000;
const DAYS = 12;

describe('SumSeriesCache', () => {
  let t: ReturnType<typeof openTempStore>;
  let coins: string[];
  let now: number;
  let q: MarketQueries;
  let cache: SumSeriesCache;
  let writer: GridWriter;

  const write = (coin: string, from: number, to: number, scale = 1) => {
    const pts: GridPointInput[] = [];
    for (let ts = from; ts < to; ts += HALF_HOUR) pts.push({ coin, ts, price: pricePath(coin, ts) * scale, source: 'backfill' });
    writer.writeGridPrices(pts);
  };

  beforeEach(() => {
    t = openTempStore();
    coins = ['BTC', 'ETH'];
    // Noon of the last day: the days before it are closed, the last one is still filling.
    now = JAN16 + (DAYS - 1) * DAY + DAY / 2 + 60_000;
    q = new MarketQueries({ db: t.store.db, coins: () => coins, now: () => now });
    cache = new SumSeriesCache({ db: t.store.db, queries: q, now: () => now });
    writer = new GridWriter(t.store, () => now);
    for (const c of ['BTC', 'ETH', 'SOL']) write(c, JAN16, now);
  });
  afterEach(() => t.cleanup());

  const direct = (from: number, to: number) => q.sumSeries(from, to).points;

  it('answers what the query answers, for whole days, partial days and the day still filling', async () => {
    const from = JAN16 + 5 * HALF_HOUR;
    const to = JAN16 + DAYS * DAY;
    expect((await cache.series(from, to)).points).toEqual(direct(from, to));
    // Twice: the second answer comes from the kept days and is the same.
    expect((await cache.series(from, to)).points).toEqual(direct(from, to));
    expect((await cache.series(JAN16, JAN16 + 3 * DAY)).points).toEqual(direct(JAN16, JAN16 + 3 * DAY));
  });

  it('drops a kept day when its rows change (a backfill or a peer rewrites it)', async () => {
    const range = [JAN16, JAN16 + DAYS * DAY] as const;
    const before = (await cache.series(...range)).points;
    // ETH on day 3 rewritten 2 % higher: the stored change % moves, so the sum must too.
    write('ETH', JAN16 + 3 * DAY + 10 * HALF_HOUR, JAN16 + 3 * DAY + 20 * HALF_HOUR, 1.02);
    const after = (await cache.series(...range)).points;
    expect(after).toEqual(direct(...range));
    expect(after).not.toEqual(before);
    // A point filled into an empty day appears too.
    const empty = JAN16 - 2 * DAY;
    expect((await cache.series(empty, empty + DAY)).points.every((p) => p.sum === null)).toBe(true);
    write('BTC', empty, empty + HALF_HOUR);
    expect((await cache.series(empty, empty + DAY)).points[0]!.covered).toBe(1);
  });

  it('follows the coin selection', async () => {
    const range = [JAN16, JAN16 + 4 * DAY] as const;
    await cache.series(...range);
    coins = ['BTC', 'ETH', 'SOL'];
    const three = (await cache.series(...range)).points;
    expect(three).toEqual(direct(...range));
    expect(three[0]!.total).toBe(3);
  });

  it('thins to maxPoints and counts every slot', async () => {
    const res = await cache.series(JAN16, JAN16 + DAYS * DAY, 200);
    const all = direct(JAN16, JAN16 + DAYS * DAY);
    expect(res.points.length).toBeLessThanOrEqual(200);
    expect(res.sampled).toEqual({ slots: all.length, withSum: all.filter((p) => p.sum !== null).length, incomplete: 0, thinned: true });
    const small = await cache.series(JAN16, JAN16 + DAY, 200);
    expect(small.points).toEqual(direct(JAN16, JAN16 + DAY));
    expect(small.sampled?.thinned).toBe(false);
  });
});
