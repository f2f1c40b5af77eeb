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
  // Derivatives data (migration 008).
  mark_prices: { name: 'mark_prices', key: ['coin', 'ts'], values: ['mark_px', 'px_ts'] },
  funding_rates: { name: 'funding_rates', key: ['coin', 'funding_time'], values: ['funding_rate', 'realized_rate'] },
  open_interest: { name: 'open_interest', key: ['coin', 'ts'], values: ['oi', 'oi_ccy', 'oi_usd'] },
  order_books: { name: 'order_books', key: ['coin'], values: ['ts', 'bids', 'asks'] },
  liquidations: { name: 'liquidations', key: ['coin', 'ts', 'side', 'px', 'sz'], values: ['pos_side', 'bk_loss'] },
  swap_tickers: {
    name: 'swap_tickers',
    key: ['inst_id'],
    values: ['last', 'open24h', 'high24h', 'low24h', 'vol24h', 'vol_ccy24h', 'sod_utc0', 'sod_utc8', 'ts'],
  },
} as const satisfies Record<string, SyncTableDef>;

export type SyncTableName = keyof typeof syncTableDefs;
