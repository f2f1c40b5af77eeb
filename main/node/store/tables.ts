import type { SyncTableDef } from './sync-table.js';

/**
 * Every syncable table of the node. Adding one here (plus its migration) gives it seq semantics,
 * change events and, through the dataset registry, a place on the sender.
 */
export const syncTableDefs = {
  ticks: { name: 'ticks', key: ['coin'], values: ['price', 'ts', 'source', 'baseline', 'change_pct'] },
  grid_prices: {
    name: 'grid_prices',
    key: ['coin', 'ts'],
    values: ['price', 'baseline', 'change_pct', 'source'],
  },
  baselines: { name: 'baselines', key: ['coin', 'day'], values: ['price', 'high', 'low'] },
  price_speed: { name: 'price_speed', key: ['coin'], values: ['price', 'chg_1m', 'chg_5m', 'chg_15m', 'ts'] },
  candles: {
    name: 'candles',
    key: ['coin', 'bar', 'ts'],
    values: ['open', 'high', 'low', 'close', 'vol', 'vol_ccy', 'vol_ccy_quote', 'confirm'],
  },
} as const satisfies Record<string, SyncTableDef>;

export type SyncTableName = keyof typeof syncTableDefs;
