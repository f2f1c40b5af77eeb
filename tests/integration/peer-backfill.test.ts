import { describe, expect, it } from 'vitest';
import { DEFAULT_COINS } from '../../preload/contract.js';
import { DAY_MS } from '../../main/node/market/grid-time.js';
import { backfill, candleRequests, pair, usePeerNodes, valuesOf } from '../helpers/peer-nodes.js';

const { node, alphaBravo } = usePeerNodes();

describe('backfill from LAN peers before the exchange', () => {
  it('A holds 14 d × 27, B is empty: B fills the range from A with 0 exchange requests and ends equal to A', async () => {
    const { s, a, b, from, to } = await alphaBravo(14);
    expect((await backfill(a, { from, to })).failed).toBe(0);
    await pair(b, a);

    const before = candleRequests(s);
    const f = await backfill(b, { from, to });
    expect(f).toMatchObject({ rows: 27 * 672, coins: 27, failed: 0 });
    expect(candleRequests(s) - before).toBe(0);
    expect(valuesOf(b, from, to)).toEqual(valuesOf(a, from, to));

    const st = await b.call('backfill.status', {});
    // One range pull per coin (672 bars ≤ 1,000) instead of three exchange requests.
    expect(st.progress).toMatchObject({ state: 'done', requests: 0, savedRequests: 27 * 3, pagesDone: 27 });
    expect(st.sources).toEqual([{ servedBy: 'alpha', peer: true, pages: 27, bars: 27 * 672, saved: 81 }]);
    expect(st.recentPages.every((p) => p.servedBy === 'alpha' && p.peer)).toBe(true);
    expect(st.log.some((l) => /27 of 27 pages planned from 1 peer/.test(l.message))).toBe(true);
  }, 120_000);

  it('A holding only the first 7 days: B gets those 7 from A and the other 7 from the exchange', async () => {
    const { s, a, b, from, to } = await alphaBravo(14);
    const mid = from + 7 * DAY_MS;
    await backfill(a, { from, to: mid });
    await pair(b, a);

    const before = candleRequests(s);
    const before429 = s.stats().rest.served429;
    const f = await backfill(b, { from, to });
    expect(f).toMatchObject({ rows: 27 * 672, failed: 0 });
    // 336 bars a coin from the exchange: two requests each (plus any the exchange refused with 429 and the job asked again).
    expect(candleRequests(s) - before - (s.stats().rest.served429 - before429)).toBe(27 * 2);
    const st = await b.call('backfill.status', {});
    const host = new URL(s.urls!.rest).host;
    expect(st.sources).toEqual(
      expect.arrayContaining([
        { servedBy: 'alpha', peer: true, pages: 27, bars: 27 * 336, saved: 54 },
        { servedBy: host, peer: false, pages: 54, bars: 27 * 336, saved: 0 },
      ]),
    );
    expect(st.progress).toMatchObject({ savedRequests: 54 });
    // Every cell of the first week came from A, every cell of the second from the exchange.
    const src = b.node.store.db.prepare(
      `SELECT MIN(start_ts) AS a, MAX(end_ts) AS b FROM backfill_pages WHERE job_id = ? AND served_by = ?`,
    );
    expect(src.get(st.job!.id, 'alpha')).toEqual({ a: from, b: mid });
    expect(src.get(st.job!.id, host)).toEqual({ a: mid, b: to });
    const full = valuesOf(b, from, to);
    expect(full.grid).toHaveLength(27 * 672);
    expect(valuesOf(b, from, mid)).toEqual(valuesOf(a, from, mid));
    // The exchange's half equals what the exchange serves: a third node filled from the simulator alone agrees.
    const c = await node('charlie', s.urls!);
    await backfill(c, { from: mid, to, coins: [...DEFAULT_COINS] });
    expect(valuesOf(b, mid, to)).toEqual(valuesOf(c, mid, to));
  }, 120_000);
});
