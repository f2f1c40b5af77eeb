import type { Db } from '../store/db.js';
import type { SumSeries } from '../../../preload/contract/market.js';
import { builtinDatasets } from './builtin.js';
import { DatasetRegistry } from './registry.js';
import { sumSeriesViewFrom } from './views.js';

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
  /** The market's CS001 query; without it CS001 is computed from grid_prices directly. */
  sumSeries?: (from: number, to: number) => SumSeries;
}): {
  registry: DatasetRegistry;
  skipped: string[];
} {
  const registry = new DatasetRegistry(deps.db, { db: deps.db, coins: deps.coins, now: deps.now ?? Date.now });
  const sumSeries = deps.sumSeries;
  const defs = builtinDatasets.map((d) =>
    d.code === 'CS001' && d.kind === 'view' && sumSeries ? { ...d, query: sumSeriesViewFrom(sumSeries) } : d,
  );
  const skipped = registry.registerAll(defs);
  return { registry, skipped };
}
