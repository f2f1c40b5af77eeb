import { describe, expect, it } from 'vitest';
import type { EventMap } from '../../preload/contract.js';
import { barOpenAt, OKX_BARS } from '../../main/node/okx/bars.js';
import { candleRow } from '../../main/node/simulator/payloads.js';
import { call, useSimulatedNode } from '../helpers/sim-node.js';

const startNode = useSimulatedNode('csn-klbf-');
const DAY = 86_400_000;

describe('backfill in any candle timeframe', () => {
  it.each(['1m', '1H', '4H', '1D'] as const)(
    'a %s job writes that timeframe’s candles, equal to the simulator’s, into its dataset',
    async (bar) => {
      const { sim, node } = await startNode({}, { collect: false });
      const size = OKX_BARS[bar].ms;
      const to = barOpenAt(bar, sim.now() - DAY);
      const from = to - Math.min(600, bar === '1D' ? 20 : 400) * size;
      const done = new Promise<EventMap['backfill.finished']>((r) => node.bus.on('backfill.finished', r));
      await call(node, 'backfill.start', { from, to, bar, coins: ['BTC', 'ETH'] });
      await done;
      for (const coin of ['BTC', 'ETH']) {
        const s = await call(node, 'market.candles', { coin, bar, from, to });
        expect(s.rows.map((r) => r.ts)).toEqual(Array.from({ length: (to - from) / size }, (_, i) => from + i * size));
        const inst = sim.path.instrument(`${coin}-USDT-SWAP`)!;
        for (const r of s.rows) {
          const want = candleRow(inst, sim.path.bar(inst.instId, bar, r.ts, sim.now())!).map(Number);
          expect([r.ts, r.o, r.h, r.l, r.c, r.vol]).toEqual(want.slice(0, 6));
        }
      }
      const catalog = await call(node, 'sender.catalog', {});
      const code = { '1m': 'KL001', '1H': 'KL060', '4H': 'KL240', '1D': 'KLD01' }[bar];
      expect(catalog.datasets.find((d) => d.code === code)?.rows).toBe((2 * (to - from)) / size);
      expect(catalog.datasets.find((d) => d.code === 'KL030')?.rows).toBe(0);
    },
    90_000,
  );
});
