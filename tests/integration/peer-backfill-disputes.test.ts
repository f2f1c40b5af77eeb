import { describe, expect, it } from 'vitest';
import { GRID_MS } from '../../main/node/market/grid-time.js';
import { backfill, candleRequests, pair, usePeerNodes } from '../helpers/peer-nodes.js';

const { alphaBravo } = usePeerNodes();

describe('values cross-checked between sources', () => {
  it('A with a deliberately altered price: the cell is disputed, the exchange decides, A is named', async () => {
    const { s, a, b, from, to } = await alphaBravo(2);
    const coins = ['BTC', 'ETH'];
    await backfill(a, { from, to, coins });
    await backfill(b, { from, to, coins });
    // A's BTC open at one cell is off by 2 %.
    const cell = from + 30 * GRID_MS;
    const openOf = (db: typeof a.node.store.db) =>
      db.prepare("SELECT open FROM candles WHERE coin = 'BTC' AND bar = '30m' AND ts = ?").pluck(true).get(cell) as number;
    const truth = openOf(b.node.store.db);
    a.node.store.db.prepare("UPDATE candles SET open = open * 1.02 WHERE coin = 'BTC' AND bar = '30m' AND ts = ?").run(cell);
    const aId = await pair(b, a);

    // The tie-breaker fails once (the exchange answers 500): the cell stays disputed, and says so.
    s.faults.failNextRest(1, '500', { endpoint: 'candles' });
    const before = candleRequests(s);
    await backfill(b, { from, to, coins });
    expect(candleRequests(s) - before).toBe(1);
    const missing = await b.call('backfill.missing', { from, to, coins });
    expect(missing.rows).toEqual([{ ts: cell, coin: 'BTC', reason: 'disputed' }]);
    const cov = await b.call('backfill.coverage', { from, to, coins });
    expect(cov.totals.disputed).toBe(1);
    expect(openOf(b.node.store.db)).toBe(truth);

    // Next run: the exchange is asked once more and decides for itself; A is named.
    await backfill(b, { from, to, coins });
    expect(candleRequests(s) - before).toBe(2);
    const d = b.node.store.db.prepare('SELECT * FROM backfill_disputes').all();
    expect(d).toEqual([
      expect.objectContaining({
        coin: 'BTC',
        ts: cell,
        a_source: 'stored',
        a_open: truth,
        b_source: aId,
        b_open: truth * 1.02,
        state: 'decided',
        decided_by: new URL(s.urls!.rest).host,
        decided_open: truth,
        wrong_source: aId,
      }),
    ]);
    expect(openOf(b.node.store.db)).toBe(truth);
    expect((await b.call('backfill.missing', { from, to, coins })).rows).toEqual([]);
    const src = (await b.call('sources.status', {})).sources.find((x) => x.id === aId);
    expect(src).toMatchObject({ kind: 'peer', name: 'alpha', disagreements: 1 });
    const st = await b.call('backfill.status', {});
    expect(st.log.some((l) => l.level === 'warn' && /alpha was wrong/.test(l.message))).toBe(true);
  }, 120_000);
});
