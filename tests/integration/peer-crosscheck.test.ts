import { describe, expect, it } from 'vitest';
import { DAY_MS, GRID_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { backfill, candleRequests, pair, usePeerNodes, valuesOf } from '../helpers/peer-nodes.js';

const { sim, node } = usePeerNodes();

describe('peer against peer, at planning time', () => {
  it('A and C cover a cell with the same count but C altered one price: disputed, the exchange decides, C is named, B ends equal to A', async () => {
    const s = await sim();
    const a = await node('alpha', s.urls!);
    const c = await node('charlie', s.urls!);
    const b = await node('bravo', s.urls!);
    const to = dayStartOf(Date.now());
    const from = to - 3 * DAY_MS;
    const coins = ['BTC', 'ETH'];
    await backfill(a, { from, to, coins });
    await backfill(c, { from, to, coins });
    // C's BTC open at one cell is off by 2 %: same count as A's that day, another hash.
    const cell = from + DAY_MS + 17 * GRID_MS;
    const openOf = (n: typeof a, ts = cell) =>
      n.node.store.db.prepare("SELECT open FROM candles WHERE coin = 'BTC' AND bar = '30m' AND ts = ?").pluck(true).get(ts) as
        number | undefined;
    const truth = openOf(a)!;
    c.node.store.db.prepare("UPDATE candles SET open = open * 1.02 WHERE coin = 'BTC' AND bar = '30m' AND ts = ?").run(cell);

    // B pairs with both over TLS (pinned certificates, per-peer tokens) and puts C first.
    const aId = await pair(b, a);
    const cId = await pair(b, c);
    expect((await b.call('peers.list', {})).peers.every((p) => p.url.startsWith('https://'))).toBe(true);
    await b.call('settings.update', {
      sourceOrder: [
        { kind: 'peer', id: cId, enabled: true },
        { kind: 'peer', id: aId, enabled: true },
      ],
    });

    const before = candleRequests(s);
    const done = await backfill(b, { from, to, coins });
    expect(done.failed).toBe(0);
    // One exchange request: the tie-break; everything else came from the peers.
    expect(candleRequests(s) - before).toBe(1);
    expect(openOf(b)).toBe(truth);
    expect(valuesOf(b, from, to)).toEqual(valuesOf(a, from, to));

    const disputes = b.node.store.db.prepare('SELECT * FROM backfill_disputes').all();
    expect(disputes).toEqual([
      expect.objectContaining({
        coin: 'BTC',
        bar: '30m',
        ts: cell,
        a_source: cId,
        a_open: truth * 1.02,
        b_source: aId,
        b_open: truth,
        state: 'decided',
        decided_by: new URL(s.urls!.rest).host,
        decided_open: truth,
        wrong_source: cId,
      }),
    ]);
    expect((await b.call('backfill.missing', { from, to, coins })).rows).toEqual([]);
    const sources = (await b.call('sources.status', {})).sources;
    expect(sources.find((x) => x.id === cId)).toMatchObject({ name: 'charlie', disagreements: 1 });
    expect(sources.find((x) => x.id === aId)).toMatchObject({ name: 'alpha', disagreements: 0 });

    // The disputed day of BTC came from A, not C; C still served what it agreed on.
    const st = await b.call('backfill.status', {});
    const served = new Map(st.sources.map((x) => [x.servedBy, x.pages]));
    expect(served.get('alpha')).toBeGreaterThan(0);
    expect(served.get('charlie')).toBeGreaterThan(0);
    expect(st.log.some((l) => l.level === 'warn' && /charlie was wrong/.test(l.message))).toBe(true);
  }, 120_000);

  it('the exchange cannot decide (500): the day is taken from neither peer, and the exchange page that then writes the cell decides it', async () => {
    const s = await sim();
    const a = await node('alpha', s.urls!);
    const c = await node('charlie', s.urls!);
    const b = await node('bravo', s.urls!);
    const to = dayStartOf(Date.now());
    const from = to - 2 * DAY_MS;
    const coins = ['BTC'];
    await backfill(a, { from, to, coins });
    await backfill(c, { from, to, coins });
    const cell = from + 5 * GRID_MS;
    c.node.store.db.prepare("UPDATE candles SET open = open * 0.97 WHERE coin = 'BTC' AND bar = '30m' AND ts = ?").run(cell);
    const aId = await pair(b, a);
    const cId = await pair(b, c);

    s.faults.failNextRest(1, '500', { endpoint: 'candles' });
    const before = candleRequests(s);
    expect((await backfill(b, { from, to, coins })).failed).toBe(0);
    // The tie-break failed, so the cell went to the exchange's own page: its value decided, C was wrong.
    const d = b.node.store.db.prepare('SELECT state, a_source, b_source, wrong_source, decided_open FROM backfill_disputes').all();
    const exchangeOpen = b.node.store.db
      .prepare("SELECT open FROM candles WHERE coin = 'BTC' AND bar = '30m' AND ts = ?")
      .pluck()
      .get(cell);
    expect(d).toEqual([{ state: 'decided', a_source: aId, b_source: cId, wrong_source: cId, decided_open: exchangeOpen }]);
    // The failed tie-break, then the first day from the exchange's own page; the second day from A.
    expect(candleRequests(s) - before).toBe(2);
    const st = await b.call('backfill.status', {});
    const served = new Map(st.sources.map((x) => [x.servedBy, x.pages]));
    expect(served.get('charlie')).toBeUndefined();
    expect(served.get('alpha')).toBe(1);
    expect(valuesOf(b, from, to)).toEqual(valuesOf(a, from, to));
    const sources = (await b.call('sources.status', {})).sources;
    const peers = sources.filter((x) => x.kind === 'peer');
    expect(new Map(peers.map((x) => [x.name, x.disagreements]))).toEqual(
      new Map([
        ['alpha', 0],
        ['charlie', 1],
      ]),
    );
  }, 120_000);
});
