import type { Db } from '../store/db.js';
import type { SumSeries } from '../../../preload/contract/market.js';
import { builtinDatasets } from './builtin.js';
import { DatasetRegistry } from './registry.js';
import type { ViewQuery } from './types.js';

export { DatasetRegistry } from './registry.js';
export { pageChecksum } from './checksum.js';
export * from './types.js';

/**
 * The node's registry with the built-in datasets. `skipped` lists syncable datasets whose table
 * this build does not declare yet (they appear once the table is added to store/tables.ts).
 */
export function createDatasetRegistry(deps: {
  db: Db;
  coins: () => readonly string[];
  now?: () => number;
  /** CS001 comes from the market's read side (`market.queries.sumSeries`). */
  sumSeries: (from: number, to: number) => SumSeries;
  /** BF001 comes from the backfill's coverage (reasons it alone knows: no_candle, queued). */
  missing: ViewQuery;
}): {
  registry: DatasetRegistry;
  skipped: string[];
} {
  const registry = new DatasetRegistry(deps.db, { db: deps.db, coins: deps.coins, now: deps.now ?? Date.now });
  const skipped = registry.registerAll(
    builtinDatasets({
      // Every grid point in [from, to) up to now; sum_pct null where no coin has a value yet.
      sumSeries: ({ from, to }) => deps.sumSeries(from, to).points.map((p) => [p.ts, p.sum, p.covered, p.total]),
      missing: deps.missing,
    }),
  );
  return { registry, skipped };
}
