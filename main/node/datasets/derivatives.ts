import type { SyncableDatasetDef } from './types.js';

/**
 * The derivatives datasets (issue 14, migration 008): what the derivatives streams
 * (market/derivs/) write, served to peers like every other syncable table.
 */
export const derivativeDatasets: SyncableDatasetDef[] = [
  {
    code: 'MP001',
    kind: 'syncable',
    table: 'mark_prices',
    name: 'Mark price',
    nameZh: '标记价格',
    category: 'okx_derivatives',
    description: 'Mark price per coin: a 1-minute series whose newest row is the latest price (rewritten while its minute runs).',
    interval: 3,
  },
  {
    code: 'FR001',
    kind: 'syncable',
    table: 'funding_rates',
    name: 'Funding rate history',
    nameZh: '资金费率历史',
    category: 'okx_derivatives',
    description: 'Funding per coin and settlement time: the forecast rate, and the realised rate once settled.',
    interval: 3_600,
  },
  {
    code: 'OI001',
    kind: 'syncable',
    table: 'open_interest',
    name: 'Open interest',
    nameZh: '持仓量',
    category: 'okx_derivatives',
    description: 'Open interest per coin on a 5-minute grid: contracts, base currency and USD.',
    interval: 300,
  },
  {
    code: 'OB005',
    kind: 'syncable',
    table: 'order_books',
    name: 'Order book top 5',
    nameZh: '订单簿前五档',
    category: 'okx_derivatives',
    description: 'The best 5 bids and asks per coin (price, size in contracts), latest only.',
    interval: 0,
  },
  {
    code: 'LQ001',
    kind: 'syncable',
    table: 'liquidations',
    name: 'Liquidations',
    nameZh: '强平订单',
    category: 'okx_derivatives',
    description: 'Liquidation orders per coin: time, side, bankruptcy price and size in contracts.',
    interval: 0,
  },
  {
    code: 'OKX001',
    kind: 'syncable',
    table: 'swap_tickers',
    name: 'OKX market tickers',
    nameZh: 'OKX市场行情',
    category: 'okx_market',
    description: '24 h ticker of every USDT perpetual swap OKX lists (latest): last, open, high, low, volumes.',
    interval: 5,
  },
];
