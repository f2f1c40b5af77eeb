import { describe, expect, it } from 'vitest';
import type { BackfillProgress, EventMap } from '../../preload/contract.js';
import { DEFAULT_COINS } from '../../preload/contract.js';
import type { SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, GRID_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import type { Simulator, SimulatorOptions } from '../../main/node/simulator/index.js';
import { call, useSimulatedNode } from '../helpers/sim-node.js';

const startNode = useSimulatedNode('csn-bf-');

/** A node (no live collector: only backfill talks to the exchange) and an in-process simulator enforcing OKX's limits. */
const start = (simOpts: SimulatorOptions = {}) =>
  startNode(simOpts, { collect: false, backfillRetry: { baseMs: 100, maxMs: 1_000, gapConfirmMs: 50 } });

function finished(n: SyncNode, timeoutMs = 60_000): Promise<EventMap['backfill.finished']> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('backfill did not finish in time')), timeoutMs);
    const off = n.bus.on('backfill.finished', (p) => {
      clearTimeout(t);
      off();
      resolve(p);
    });
  });
}

/** Every stored grid price of [from, to) equals the simulator's open of the 30m bar at T. */
function expectGridEqualsPath(
  n: SyncNode,
  s: Simulator,
  coins: readonly string[],
  from: number,
  to: number,
  listed: Record<string, number> = {},
) {
  const q = n.store.db.prepare('SELECT ts, price FROM grid_prices WHERE coin = ? AND ts >= ? AND ts < ? ORDER BY ts');
  let checked = 0;
  for (const coin of coins) {
    const rows = q.all(coin, from, to) as { ts: number; price: number }[];
    const first = Math.max(from, listed[coin] !== undefined ? Math.floor(listed[coin]! / GRID_MS) * GRID_MS : from);
    expect(rows.length, `${coin} grid points`).toBe((to - first) / GRID_MS);
    for (const r of rows) {
      // The listing bar opens at the first trade, after T: its open is the bar's, not T's minute.
      const want = r.ts < (listed[coin] ?? 0) ? s.path.bar(coin, '30m', r.ts)!.open : s.path.minuteOpen(coin, r.ts);
      expect(r.price, `${coin} at ${r.ts}`).toBe(want);
      checked += 1;
    }
  }
  return checked;
}

const range14 = () => {
  const to = dayStartOf(Date.now());
  return { from: to - 14 * DAY_MS, to };
};

describe('backfill against the simulator', () => {
  it('fills 14 days × 27 coins; every grid value equals the path, with zero 429s', async () => {
    const { sim, node } = await start();
    const { from, to } = range14();
    const done = finished(node);
    const events: BackfillProgress[] = [];
    node.bus.on('backfill.progress', (p) => events.push(p));
    const st = await call(node, 'backfill.start', { from, to });
    expect(st.job?.coins).toEqual([...DEFAULT_COINS]);
    expect(st.progress?.pagesTotal).toBe(27 * 3);
    const f = await done;
    expect(f).toMatchObject({ rows: 27 * 672, coins: 27, failed: 0 });
    expect(expectGridEqualsPath(node, sim, DEFAULT_COINS, from, to)).toBe(27 * 672);
    expect(sim.stats().rest.served429).toBe(0);
    // Progress events: pages only go up, the rate is measured against candles' 20 req/s, the last says done.
    const running = events.filter((e) => e.state === 'running');
    expect(running.length).toBeGreaterThan(2);
    expect(running.every((e, i) => i === 0 || e.pagesDone >= running[i - 1]!.pagesDone)).toBe(true);
    expect(running.some((e) => e.current?.includes('(candles)') && e.etaMs !== null)).toBe(true);
    expect(running.every((e) => e.limitPerSec === 20 && e.requestsPerSec <= 40)).toBe(true);
    expect(events.at(-1)).toMatchObject({ state: 'done', pagesDone: 81, percent: 100, etaMs: null });
    // Baselines of every day, and change % recomputed against them.
    const bad = node.store.db
      .prepare('SELECT COUNT(*) FROM grid_prices WHERE ts >= ? AND ts < ? AND (baseline IS NULL OR change_pct IS NULL)')
      .pluck()
      .get(from, to);
    expect(bad).toBe(0);
    expect(node.store.db.prepare('SELECT COUNT(*) FROM baselines').pluck().get()).toBe(27 * 14);
    const cov = await call(node, 'backfill.coverage', { from, to });
    expect(cov.days).toHaveLength(14);
    expect(cov.totals).toMatchObject({ expected: 27 * 672, present: 27 * 672, notCollected: 0 });
    const status = await call(node, 'backfill.status', {});
    expect(status.progress).toMatchObject({ state: 'done', pagesDone: 81, percent: 100 });
    expect(status.log.some((l) => l.message.includes('finished'))).toBe(true);
    // Running it again changes nothing: same values, no new seq.
    const seq = node.store.seq.value;
    const again = finished(node);
    await call(node, 'backfill.start', { from, to });
    expect((await again).failed).toBe(0);
    expect(node.store.seq.value).toBe(seq);
  }, 60_000);

  it('refuses bad input with sentences, and a second job while one runs as busy', async () => {
    const { node } = await start();
    const now = Date.now();
    const err = async (input: unknown) => {
      const r = await node.dispatch('backfill.start', input);
      expect(r.ok).toBe(false);
      return r.ok ? null : r.error;
    };
    expect((await err({ from: now, to: now - DAY_MS }))?.message).toMatch(/to: must be later than from/);
    expect((await err({ from: now + DAY_MS, to: now + 2 * DAY_MS }))?.message).toMatch(/in the future/);
    expect((await err({ from: now - DAY_MS, to: now, bar: '7m' }))?.message).toMatch(/bar: must be one of 1m, 3m/);
    expect((await err({ from: now - DAY_MS, to: now, coins: ['NOPE'] }))?.message).toMatch(/NOPE is not listed on the exchange/);
    expect((await err({ from: now - DAY_MS, to: now, coins: ['btc'] }))?.code).toBe('bad_input');
    // A long job (history-candles at 20/2 s), then a second start.
    await call(node, 'backfill.start', { from: now - 200 * DAY_MS, to: now - 100 * DAY_MS, coins: ['BTC', 'ETH'] });
    const busy = await err({ from: now - DAY_MS, to: now });
    expect(busy?.code).toBe('busy');
    expect(busy?.message).toMatch(/already running.*not queued/);
    const stopped = await call(node, 'backfill.stop', {});
    expect(stopped.job?.state).toBe('stopped');
    expect((await node.call('backfill.stop', {})).ok).toBe(false);
  }, 30_000);

  it('survives injected 429, 5xx and truncated answers: retried, complete and equal to the path', async () => {
    const { sim, node } = await start();
    const { from, to } = range14();
    const coins = ['BTC', 'ETH', 'SOL', 'DOGE'];
    sim.faults.failNextRest(3, '429', { endpoint: 'candles' });
    sim.faults.failNextRest(3, '500', { endpoint: 'candles' });
    sim.faults.failNextRest(3, 'truncated', { endpoint: 'candles' });
    const done = finished(node);
    await call(node, 'backfill.start', { from, to, coins });
    const f = await done;
    expect(f.failed).toBe(0);
    expect(sim.stats().rest.injectedFaults).toBe(9);
    expectGridEqualsPath(node, sim, coins, from, to);
    const st = await call(node, 'backfill.status', {});
    expect(st.retryQueue).toEqual([]);
    expect(st.log.filter((l) => l.level === 'warn' && /attempt \d failed/.test(l.message)).length).toBeGreaterThanOrEqual(9);
    const pages = node.store.db.prepare('SELECT SUM(attempts) FROM backfill_pages').pluck().get() as number;
    expect(pages).toBe(12 + 9);
  }, 60_000);

  it('keeps a page that keeps failing in the retry queue with its reason, and "retry now" completes it', async () => {
    const { sim, node } = await start();
    const { to } = range14();
    sim.faults.failNextRest(1_000, '500', { endpoint: 'candles' });
    const done = finished(node);
    await call(node, 'backfill.start', { from: to - DAY_MS, to, coins: ['BTC'] });
    const f = await done;
    expect(f.failed).toBe(1);
    const st = await call(node, 'backfill.status', {});
    expect(st.retryQueue).toHaveLength(1);
    expect(st.retryQueue[0]).toMatchObject({ coin: 'BTC', nextTryAt: null, attempts: 8 });
    expect(st.retryQueue[0]!.lastError).toMatch(/server: .*HTTP 500/);
    const miss = await call(node, 'backfill.missing', { from: to - DAY_MS, to, coins: ['BTC'] });
    expect(miss.total).toBe(48);
    expect(new Set(miss.rows.map((r) => r.reason))).toEqual(new Set(['queued']));
    sim.faults.reset();
    const again = finished(node);
    await call(node, 'backfill.retryNow', {});
    expect((await again).failed).toBe(0);
    expectGridEqualsPath(node, sim, ['BTC'], to - DAY_MS, to);
    expect((await call(node, 'backfill.status', {})).retryQueue).toEqual([]);
  }, 60_000);

  it('reports a coin listed mid-range as "not listed" cells, not failures, in coverage, missing list and CSV', async () => {
    const { from, to } = range14();
    const listTime = from + 5 * DAY_MS + 7 * GRID_MS + 60_000;
    const { sim, node } = await start({ listTimes: { TAO: listTime } });
    const done = finished(node);
    const st = await call(node, 'backfill.start', { from, to, coins: ['BTC', 'TAO'] });
    expect(st.job?.lateListed).toEqual([{ coin: 'TAO', listTime }]);
    expect((await done).failed).toBe(0);
    expectGridEqualsPath(node, sim, ['BTC', 'TAO'], from, to, { TAO: listTime });
    const miss = await call(node, 'backfill.missing', { from, to, coins: ['BTC', 'TAO'] });
    const notListed = 5 * 48 + 7; // grid points before the listing, less the bar that contains it
    expect(miss.total).toBe(notListed);
    expect(miss.rows.every((r) => r.coin === 'TAO' && r.reason === 'not_listed' && r.ts < listTime)).toBe(true);
    const cov = await call(node, 'backfill.coverage', { from, to, coins: ['BTC', 'TAO'] });
    expect(cov.cells[0]![1]).toMatchObject({ expected: 48, present: 0, notListed: 48 });
    expect(cov.cells[5]![1]).toMatchObject({ expected: 48, present: 41, notListed: 7 });
    expect(cov.cells[13]![1]).toMatchObject({ expected: 48, present: 48 });
    await node.settings.update({ coins: ['BTC', 'TAO'] });
    const csv = await call(node, 'export.csv', { kind: 'missing', from, to, lang: 'zh-CN' });
    expect(csv.content.startsWith('\uFEFF日期,时间,币种,原因\r\n')).toBe(true);
    expect(csv.rows).toBe(notListed);
    expect(csv.content.split('\r\n')[1]).toMatch(/^\d{4}-\d{2}-\d{2},00:00,TAO,尚未上市$/);
    const en = await call(node, 'export.csv', { kind: 'missing', from, to });
    expect(en.content.startsWith('\uFEFFdate,time,coin,reason\r\n')).toBe(true);
    expect(en.content).toContain(',TAO,not listed yet');
  }, 60_000);

  it('answers cells nobody asked for as "not collected", in time-then-coin order, truncated at the limit', async () => {
    const { node } = await start();
    const { to } = range14();
    const miss = await call(node, 'backfill.missing', { from: to - DAY_MS, to, coins: ['BTC', 'ETH'], limit: 10 });
    expect(miss).toMatchObject({ total: 96, truncated: true });
    expect(miss.rows).toHaveLength(10);
    expect(miss.rows[0]).toEqual({ ts: to - DAY_MS, coin: 'BTC', reason: 'not_collected' });
    expect(miss.rows[1]).toEqual({ ts: to - DAY_MS, coin: 'ETH', reason: 'not_collected' });
  });
});
