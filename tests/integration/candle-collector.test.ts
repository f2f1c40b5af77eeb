import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CANDLE_BARS, type CandleBar } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { barOpenAt, OKX_BARS } from '../../main/node/okx/bars.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { candleRow } from '../../main/node/simulator/payloads.js';
import { Store } from '../../main/node/store/store.js';
import { SettingsStore } from '../../main/node/settings/settings-store.js';
import { dayStart, DAY_MS } from '../../main/node/market/grid-time.js';
import { INITIAL_WINDOWS_KEY } from '../../main/node/market/candles/candle-collector.js';
import { tempDataDir } from '../helpers/headless.js';
import { call } from '../helpers/sim-node.js';
import { until } from '../helpers/until.js';

const COINS = ['BTC', 'ETH'];
/** Every timeframe this part collects (30m is the grid collector's, tested in collector.test.ts). */
const BARS = CANDLE_BARS.filter((b) => b !== '30m');

let running: { node: SyncNode; sim: Simulator; dir: string } | undefined;
afterEach(async () => {
  await running?.node.stop();
  await running?.sim.stop();
  if (running) fs.rmSync(running.dir, { recursive: true, force: true });
  running = undefined;
});

/** A node on two coins (settings written before its first start) and a simulator, both on a clock at `at`. */
async function start(at: number) {
  const offset = at - Date.now();
  const now = () => Date.now() + offset;
  const sim = createSimulator({ now });
  const urls = await sim.start(0);
  const dir = tempDataDir('csn-candles-');
  const store = Store.open(dir);
  new SettingsStore(store, () => {}).update({ coins: COINS });
  store.close();
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'test', exchange: urls, now });
  running = { node, sim, dir };
  await node.start();
  return { node, sim, now };
}

/** What the simulator serves for a bar (its REST/WS row, as numbers). */
function expected(sim: Simulator, coin: string, bar: CandleBar, ts: number, now: number) {
  const inst = sim.path.instrument(`${coin}-USDT-SWAP`)!;
  const c = sim.path.bar(inst.instId, bar, ts, now);
  if (!c) return null;
  const r = candleRow(inst, c).map(Number);
  return { ts: r[0], o: r[1], h: r[2], l: r[3], c: r[4], vol: r[5], confirm: true };
}

const stored = (node: SyncNode, coin: string, bar: CandleBar, from: number, to: number) =>
  call(node, 'market.candles', { coin, bar, from, to }).then((s) => s.rows.filter((r) => r.confirm));

describe('candles in every timeframe against the simulator', () => {
  it('stores a whole simulated day of every timeframe equal to the simulator’s path, served ascending by market.candles', async () => {
    const day = '2026-03-04';
    const from = dayStart(day);
    // Ten seconds into the next day: every bar of the day has closed.
    const { node, sim, now } = await start(from + DAY_MS + 10_000);
    for (const bar of BARS) {
      const size = OKX_BARS[bar].ms;
      const first = barOpenAt(bar, from);
      const want = (Math.ceil((from + DAY_MS - first) / size) || 1) as number;
      for (const coin of COINS) {
        const rows = await until(
          `${coin} ${bar}: the day`,
          async () => {
            const r = await stored(node, coin, bar, first, from + DAY_MS);
            return r.length >= want ? r : undefined;
          },
          30_000,
          250,
        );
        expect(rows.map((r) => r.ts)).toEqual(Array.from({ length: want }, (_, i) => first + i * size));
        for (const r of rows) expect(r, `${coin} ${bar} ${r.ts}`).toEqual(expected(sim, coin, bar, r.ts, now()));
      }
    }
    // The initial windows ran once and were remembered; 1H went back its 7 days and 1D its 30.
    expect(node.store.db.prepare('SELECT 1 FROM collector_state WHERE key = ?').get(INITIAL_WINDOWS_KEY)).toBeDefined();
    expect((await stored(node, 'BTC', '1H', from - 6 * DAY_MS, from)).length).toBe(6 * 24);
    expect((await stored(node, 'BTC', '1D', from - 29 * DAY_MS, from)).length).toBe(29);

    // Each timeframe has its own status, on the socket.
    const status = await until(
      'every timeframe on ws',
      async () => {
        const s = await call(node, 'market.status', {});
        const mine = s.streams.filter((x) => x.name.startsWith('candles:'));
        return mine.length === BARS.length && mine.every((x) => x.mode === 'ws') ? mine : undefined;
      },
      20_000,
      250,
    );
    expect(status.map((s) => s.name)).toEqual(BARS.map((b) => `candles:${b}`));
    // The live last candle comes with the stored ones.
    const live = await call(node, 'market.candles', { coin: 'BTC', bar: '1m', from: now() - 600_000, to: now() + 60_000 });
    expect(live.rows.at(-1)).toMatchObject({ ts: barOpenAt('1m', now()), confirm: false });
  }, 90_000);

  it('a WebSocket outage across a day boundary is repaired in every timeframe with no gap', async () => {
    const boundary = dayStart('2026-03-05');
    const { node, sim, now } = await start(boundary - 25_000);
    await until(
      'every timeframe on ws',
      async () => {
        const s = await call(node, 'market.status', {});
        const mine = s.streams.filter((x) => x.name.startsWith('candles:'));
        return mine.length === BARS.length && mine.every((x) => x.mode === 'ws') ? true : undefined;
      },
      20_000,
      250,
    );
    // Every socket cut and refused past the boundary, where every timeframe closes a bar.
    expect(now()).toBeLessThan(boundary - 3_000);
    sim.faults.refuseConnections(Math.max(0, boundary - now()) + 8_000);
    sim.faults.dropConnections();
    for (const bar of BARS) {
      const size = OKX_BARS[bar].ms;
      const closedAtBoundary = barOpenAt(bar, boundary - 1);
      for (const coin of COINS) {
        const span = Math.min(DAY_MS, 30 * size);
        const rows = await until(
          `${coin} ${bar}: the bar that closed in the outage`,
          async () => {
            const r = await stored(node, coin, bar, boundary - span, boundary);
            return r.some((x) => x.ts === closedAtBoundary) ? r : undefined;
          },
          40_000,
          250,
        );
        // No gap: every bar of the span is there, each equal to the path.
        const first = barOpenAt(bar, boundary - span);
        expect(rows.map((r) => r.ts)).toEqual(
          Array.from({ length: Math.round((closedAtBoundary - first) / size) + 1 }, (_, i) => first + i * size),
        );
        for (const r of rows) expect(r, `${coin} ${bar} ${r.ts}`).toEqual(expected(sim, coin, bar, r.ts, now()));
      }
    }
    const s = await call(node, 'market.status', {});
    expect(s.streams.filter((x) => x.name.startsWith('candles:')).every((x) => x.counters.restCalls > 0)).toBe(true);
  }, 120_000);
});
