import { describe, expect, it } from 'vitest';
import { DEFAULT_COINS } from '../../preload/contract.js';
import type { SyncNode } from '../../main/node/create-node.js';
import { dayStart, DAY_MS, GRID_MS, gridFloor } from '../../main/node/market/grid-time.js';
import { call, useSimulatedNode } from '../helpers/sim-node.js';
import { until as waitUntil } from '../helpers/until.js';

const startNode = useSimulatedNode('csn-coll-');

/** A node collecting from an in-process simulator, both on a clock `offsetMs` from real time. */
async function start(offsetMs = 0) {
  const now = () => Date.now() + offsetMs;
  return { ...(await startNode({ now }, { now })), now };
}

const until = <T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000) =>
  waitUntil(what, fn, timeoutMs, 200);

// The tickers and 30m grid feeds (the other candle timeframes, 'candles:<bar>', are tested in candle-collector.test.ts;
// the derivatives streams in derivs-collector.test.ts).
const modes = async (n: SyncNode) =>
  (await call(n, 'market.status', {})).streams
    .filter((s) => s.name === 'tickers' || s.name === 'candles')
    .map((s) => s.mode)
    .join(',');

describe('collector against the simulator', () => {
  it('brings live ticks of all 27 coins to market.live over WebSocket', async () => {
    const { node } = await start();
    const live = await until('27 live rows', async () => {
      const l = await call(node, 'market.live', {});
      return l.rows.filter((r) => r.price !== null).length === 27 ? l : undefined;
    });
    expect(live.rows.map((r) => r.coin).sort()).toEqual([...DEFAULT_COINS].sort());
    expect(live.rows.every((r) => r.source === 'ws')).toBe(true);
    expect(live.sum.covered).toBe(27);
    await until('both streams on ws', async () => ((await modes(node)) === 'ws,ws' ? true : undefined));
  });

  it('writes a whole simulated day whose grid and 27-sum equal the values computed from the price path', async () => {
    // Run the node at 23:59:30 UTC+8 of a past day: the start-up repair fetches all 48 points.
    const day = '2026-03-04';
    const target = dayStart(day) + DAY_MS - 30_000;
    const { sim, node } = await start(target - Date.now());
    const table = await until(
      '48 complete points',
      async () => {
        const t = await call(node, 'market.day', { date: day });
        return t.rows.filter((r) => r.covered === 27).length === 48 ? t : undefined;
      },
      20_000,
    );
    const coins = table.coins;
    const base = coins.map((c) => sim.path.minuteOpen(c, dayStart(day)));
    table.rows.forEach((row, i) => {
      const ts = dayStart(day) + i * GRID_MS;
      expect(row.ts).toBe(ts);
      let sum = 0;
      coins.forEach((c, j) => {
        const price = sim.path.minuteOpen(c, ts);
        const pct = ((price - base[j]!) / base[j]!) * 100;
        sum += pct;
        expect(row.prices[j]).toBe(price);
        expect(row.changes[j]).toBeCloseTo(pct, 9);
      });
      expect(row.sum).toBeCloseTo(sum, 8);
    });
  });

  it('falls back to REST within 10 s when the sockets drop, loses no grid point, and returns to WebSocket', async () => {
    // Start 14 s before a grid boundary so the boundary passes while the sockets are refused.
    const boundary = gridFloor(Date.now()) + GRID_MS;
    const { sim, node } = await start(boundary - 14_000 - Date.now());
    await until('both streams on ws', async () => ((await modes(node)) === 'ws,ws' ? true : undefined));
    sim.faults.refuseConnections(20_000);
    sim.faults.dropConnections();
    const dropped = Date.now();
    await until('tickers on REST', async () => ((await modes(node)).startsWith('rest') ? true : undefined), 10_000);
    expect(Date.now() - dropped).toBeLessThan(10_000);
    const live = await call(node, 'market.live', {});
    await until('REST ticks', async () => ((await call(node, 'market.live', {})).rows.some((r) => r.source === 'rest') ? true : undefined));
    expect(live.rows.length).toBe(27);
    await until('back on ws', async () => ((await modes(node)) === 'ws,ws' ? true : undefined), 45_000);
    const rows = node.store.db.prepare('SELECT coin, price FROM grid_prices WHERE ts = ?').all(boundary) as {
      coin: string;
      price: number;
    }[];
    expect(rows).toHaveLength(27);
    for (const r of rows) expect(r.price).toBe(sim.path.minuteOpen(r.coin, boundary));
  }, 90_000);

  it('repairs the grid after a time jump (machine sleep) without waiting for a restart', async () => {
    // Both clocks share one offset; moving it forward is what a laptop waking from sleep sees.
    let offset = 0;
    const now = () => Date.now() + offset;
    const { sim, node: n } = await startNode({ now }, { now });
    await until('both streams on ws', async () => ((await modes(n)) === 'ws,ws' ? true : undefined));
    const before = gridFloor(now());
    offset += 3 * 3_600_000; // three hours asleep
    const after = gridFloor(now());
    const expected = (after - before) / GRID_MS + 1;
    const rows = await until(
      'the slept-through points',
      () => {
        const r = n.store.db.prepare('SELECT coin, ts, price FROM grid_prices WHERE ts >= ? AND ts <= ?').all(before, after) as {
          coin: string;
          ts: number;
          price: number;
        }[];
        return r.length >= expected * 27 ? r : undefined;
      },
      20_000,
    );
    expect(rows).toHaveLength(expected * 27);
    for (const r of rows) expect(r.price).toBe(sim.path.minuteOpen(r.coin, r.ts));
    expect(n.log.tail({ limit: 200, source: 'collector' }).some((l) => l.message.includes('clock jumped'))).toBe(true);
  }, 60_000);

  it('survives a 429 storm and malformed pushes, and completes the grid afterwards', async () => {
    const now = () => Date.now();
    const { sim, node: n } = await startNode({ now }, {}, (s) => s.faults.failNextRest(60, '429'));
    sim.faults.corruptNextPushes(30);
    const status = await until('malformed counted', async () => {
      const s = await call(n, 'market.status', {});
      return s.streams.some((x) => x.counters.malformed > 0) ? s : undefined;
    });
    expect(status.state).toBe('running');
    const expected = (gridFloor(now()) - dayStart(new Date(now() + 8 * 3_600_000).toISOString().slice(0, 10))) / GRID_MS + 1;
    await until(
      'today complete after the storm',
      () => {
        const c = (n.store.db.prepare('SELECT COUNT(*) AS c FROM grid_prices').get() as { c: number }).c;
        return c >= expected * 27 ? true : undefined;
      },
      50_000,
    ).catch((e: Error) => {
      throw new Error(
        `${e.message}\n${n.log
          .tail({ limit: 40 })
          .map((l) => `${l.source}: ${l.message}`)
          .join('\n')}`,
      );
    });
    expect(sim.stats().rest).toBeDefined();
    const live = await call(n, 'market.live', {});
    expect(live.rows.filter((r) => r.price !== null).length).toBe(27);
  }, 80_000);
});
