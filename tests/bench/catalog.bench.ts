import fs from 'node:fs';
import { createDatasetRegistry } from '../../main/node/datasets/index.js';
import { Store } from '../../main/node/store/store.js';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { tempDataDir } from '../helpers/headless.js';
import { median, type BenchResult } from './types.js';

const DAYS = 365;
const HALF = 1_800_000;
const START = Date.UTC(2025, 0, 1, 16);
const SAMPLES = 25;

/**
 * The sender's catalog (what every peer reads at the start of each sync run) over one year of
 * grid prices for 27 coins. CS001's row count is COUNT(DISTINCT ts) over grid_prices, a scan of
 * its ts index (store-query-plans.test.ts allows it only because it is cached): the registry
 * now recounts only when grid_prices' max seq moved. Baseline in the same run: the catalog right
 * after a grid write, which recounts as every catalog did before the cache.
 */
export default async function bench(): Promise<BenchResult> {
  const dir = tempDataDir('csn-bench-catalog-');
  const store = Store.open(dir);
  try {
    const coins = [...DEFAULT_COINS];
    const points = (DAYS * 86_400_000) / HALF;
    for (const coin of coins) {
      const rows = Array.from({ length: points }, (_, i) => [coin, START + i * HALF, 100 + (i % 977) / 7, 100, (i % 977) / 7, 'ws']);
      store.write(() => store.tables.grid_prices.upsertLocal(rows, store.nodeId, 1));
    }
    const { registry } = createDatasetRegistry({
      db: store.db,
      coins: () => coins,
      sumSeries: () => ({ from: 0, to: 0, coins, points: [] }),
      missing: () => [],
    });
    const time = (fn: () => void) => {
      const t = performance.now();
      fn();
      return performance.now() - t;
    };
    const changed: number[] = [];
    const unchanged: number[] = [];
    let n = 0;
    for (let i = 0; i < SAMPLES; i++) {
      // One real change to the grid (a new price for the last point), outside the timed part.
      store.write(() => store.tables.grid_prices.upsertLocal([['BTC', START, 200 + ++n, 100, 1, 'ws']], store.nodeId, 2 + n));
      changed.push(time(() => registry.catalog()));
      unchanged.push(time(() => registry.catalog()));
    }
    const cs001 = registry.info('CS001').rows;
    if (cs001 !== points) throw new Error(`CS001 counts ${cs001} grid points, not ${points}`);
    const after = median(unchanged);
    const before = median(changed);
    return {
      name: 'sender catalog',
      figures: [
        {
          metric: `catalog, 1 year × 27 coins (${(points * coins.length).toLocaleString('en-US')} grid rows), grid unchanged since the last catalog`,
          value: after,
          unit: 'ms',
          baseline: before,
          ratio: before / after,
          goal: '≥ 10× faster than recounting',
          pass: before / after >= 10,
        },
        { metric: 'catalog right after a grid change (recounts CS001: the cost of every catalog before)', value: before, unit: 'ms' },
      ],
      notes: [`median of ${SAMPLES} pairs; the live grid changes once per 30 minutes, a peer reads the catalog once per sync run`],
    };
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
