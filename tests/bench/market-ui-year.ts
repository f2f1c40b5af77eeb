/** Writes a year of 30-minute grid points for 27 coins into a data folder, before a node opens it. */
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { DAY_MS, GRID_MS, dayOf, dayStart } from '../../preload/contract/grid-time.js';
import { GridWriter, type GridPointInput } from '../../main/node/market/grid-writer.js';
import { Store } from '../../main/node/store/store.js';

/**
 * `days` full UTC+8 days ending yesterday, every coin at every grid point (a seeded random walk),
 * written through the real GridWriter so baselines and change % are the node's own.
 * Returns the [from, to) it covers.
 */
export function writeYearOfGrid(dataDir: string, days: number): { from: number; to: number; points: number } {
  const to = dayStart(dayOf(Date.now()));
  const from = to - days * DAY_MS;
  const store = Store.open(dataDir);
  try {
    const writer = new GridWriter(store);
    let seed = 42;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const prices = DEFAULT_COINS.map((_, i) => 10 + i * 37.5);
    // One day per write: the GridWriter's transaction stays short, as in live use.
    for (let day = from; day < to; day += DAY_MS) {
      const batch: GridPointInput[] = [];
      for (let ts = day; ts < day + DAY_MS; ts += GRID_MS) {
        DEFAULT_COINS.forEach((coin, i) => {
          prices[i] = Math.max(0.0001, prices[i]! * (1 + (rand() - 0.5) * 0.01));
          batch.push({ coin, ts, price: Number(prices[i]!.toPrecision(8)), source: 'backfill' });
        });
      }
      const r = writer.writeGridPrices(batch);
      if (r.rejected.length > 0) throw new Error(`grid points rejected: ${r.rejected[0]!.reason}`);
    }
  } finally {
    store.close();
  }
  return { from, to, points: (to - from) / GRID_MS };
}
