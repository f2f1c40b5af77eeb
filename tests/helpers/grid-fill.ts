/** A pre-filled database for benches and E2E: a year of 30-minute grid points for 27 coins, through today. */
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { DAY_MS, GRID_MS, dayOf, dayStart, gridFloor } from '../../preload/contract/grid-time.js';
import { GridWriter, type GridPointInput } from '../../main/node/market/grid-writer.js';
import { Store } from '../../main/node/store/store.js';

/**
 * Every coin at every grid point of [from, to) but the day starting at `skipDay`, a seeded random
 * walk written through the real GridWriter, one day per transaction, so baselines and change % are
 * the node's own. Returns the grid points written (per coin).
 */
export function writeGrid(dataDir: string, o: { from: number; to: number; seed: number; skipDay?: number }): number {
  const store = Store.open(dataDir);
  let points = 0;
  try {
    const writer = new GridWriter(store);
    let seed = o.seed;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const prices = DEFAULT_COINS.map((_, i) => 10 + i * 37.5);
    for (let day = o.from; day < o.to; day += DAY_MS) {
      if (day === o.skipDay) continue;
      const batch: GridPointInput[] = [];
      for (let ts = day; ts < Math.min(day + DAY_MS, o.to); ts += GRID_MS) {
        points += 1;
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
  return points;
}

/**
 * `days` UTC+8 days ending today, every coin at every grid point up to the last closed one, except
 * one whole day (`missingDay`, a week ago) so the charts draw a real gap.
 */
export function writeGridThroughToday(dataDir: string, days: number): { from: number; to: number; points: number; missingDay: string } {
  const todayStart = dayStart(dayOf(Date.now()));
  const from = todayStart - (days - 1) * DAY_MS;
  const to = gridFloor(Date.now());
  const missing = todayStart - 7 * DAY_MS;
  const points = writeGrid(dataDir, { from, to, seed: 7, skipDay: missing });
  return { from, to, points, missingDay: dayOf(missing) };
}
