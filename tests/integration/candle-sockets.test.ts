import { afterEach, describe, expect, it } from 'vitest';
import { CandleSockets } from '../../main/node/market/candles/candle-sockets.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { until } from '../helpers/until.js';

let sim: Simulator | undefined;
let sockets: CandleSockets | undefined;
afterEach(async () => {
  await sockets?.stop();
  await sim?.stop();
  sim = sockets = undefined;
});

const COINS = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE', 'LTC', 'TRX', 'TON', 'ETC'];
const BARS = ['1m', '5m', '15m', '1H', '4H', '1D'];

describe('candle socket pool against the simulator', () => {
  it('splits the args over connections of at most perConnection, opened apart, and every arg pushes', async () => {
    sim = createSimulator();
    const urls = await sim.start(0);
    const seen = new Set<string>();
    let reopens = 0;
    sockets = new CandleSockets({
      url: () => urls.wsBusiness,
      perConnection: 20,
      onPush: (p) => seen.add(`${p.arg.channel}|${p.arg.instId}`),
      onMalformed: () => {},
      onServerError: (code, msg) => {
        throw new Error(`${code} ${msg}`);
      },
      onReopen: () => (reopens += 1),
    });
    const args = BARS.flatMap((b) => COINS.map((c) => ({ channel: `candle${b}`, instId: `${c}-USDT-SWAP` })));
    sockets.set(args);
    expect(sockets.connections).toBe(Math.ceil(args.length / 20)); // 54 args → 3 connections
    const t0 = Date.now();
    sockets.start();
    await until('a push for every arg', () => seen.size === args.length || undefined, 15_000, 100);
    expect(sim.stats().ws.connections).toBe(3);
    // At most 3 connections a second: the third opens 2 × 350 ms after the first, so its args push no sooner.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);

    // Changing the set: removed args are unsubscribed, added ones go where there is room (no new connection).
    seen.clear();
    const fewer = args.filter((a) => !a.channel.endsWith('1D'));
    sockets.set([...fewer, { channel: 'candle1D', instId: 'BTC-USDT-SWAP' }]);
    expect(sockets.connections).toBe(3);
    await new Promise((r) => setTimeout(r, 2_500));
    seen.clear();
    await until('pushes of the new set', () => seen.size === fewer.length + 1 || undefined, 10_000, 100);
    await new Promise((r) => setTimeout(r, 1_500));
    expect([...seen].filter((k) => k.startsWith('candle1D|'))).toEqual(['candle1D|BTC-USDT-SWAP']);

    // A cut: every connection comes back and says so (the collector repairs on that).
    sim.faults.dropConnections();
    await until('all three reopened', () => reopens >= 3 || undefined, 15_000, 100);
  }, 60_000);
});
