import type { DatasetDef, ViewContext, ViewQuery } from './types.js';
import { candleDatasets } from './candle-datasets.js';
import { derivativeDatasets } from './derivatives.js';

const DAY = 86_400_000;

/** The queries behind the two views, supplied by the parts that own that logic. */
export interface BuiltinViewQueries {
  /** CS001: the market's sum series, as [ts, sum_pct, coins, total]. */
  sumSeries: ViewQuery;
  /** BF001: the backfill's missing cells with reasons, as [ts, coin, reason]. */
  missing: ViewQuery;
}

const gridPointCount = (ctx: ViewContext): number =>
  ctx.db.prepare('SELECT COUNT(DISTINCT ts) FROM grid_prices').pluck(true).get() as number;

/**
 * The built-in datasets (the codes in docs/ARCHITECTURE.md). A syncable one names its table (key and columns come from
 * store/tables.ts); one whose table this build lacks yet is skipped by `registerAll` and appears as
 * soon as the table is declared — no other change needed.
 */
export const builtinDatasets = (views: BuiltinViewQueries): DatasetDef[] => [
  {
    code: 'PT001',
    kind: 'syncable',
    table: 'ticks',
    name: 'Latest price per coin',
    nameZh: '最新价格追踪',
    category: 'price_tracker',
    description: 'Latest tick per coin with live change % against the day baseline (upserted in place).',
    interval: 0,
  },
  {
    code: 'PT002',
    kind: 'syncable',
    table: 'grid_prices',
    name: '30-minute grid prices',
    nameZh: '价格追踪历史',
    category: 'price_tracker',
    description: 'Price at each 30-minute grid point (UTC+8) per coin: the open of that candle, baseline, change %.',
    interval: 1_800,
  },
  {
    code: 'PS001',
    kind: 'syncable',
    table: 'price_speed',
    name: 'Price speed',
    nameZh: '最新价格速度',
    category: 'price_speed',
    description: 'Change over the last 1, 5 and 15 minutes per coin (latest value).',
    interval: 60,
  },
  {
    code: 'PB001',
    kind: 'syncable',
    table: 'baselines',
    name: 'Daily baselines',
    nameZh: '价格基准数据',
    category: 'price_baseline',
    description: 'Per coin and day: the 00:00 UTC+8 price, and the day high and low.',
    interval: 600,
  },
  {
    code: 'CS001',
    kind: 'view',
    name: '27-coin sum series',
    nameZh: '27币涨跌幅之和',
    category: 'coin_change',
    description: 'Sum of change % over the configured coins at each 30-minute grid point, with coverage (coins/total).',
    interval: 1_800,
    key: ['ts'],
    columns: ['ts', 'sum_pct', 'coins', 'total'],
    dependsOn: ['grid_prices'],
    maxRangeMs: 366 * DAY,
    query: views.sumSeries,
    count: gridPointCount,
  },
  ...candleDatasets(),
  {
    code: 'BF001',
    kind: 'view',
    name: 'Missing grid cells',
    nameZh: '缺失数据',
    category: 'backfill',
    description: 'Grid cells (time, coin) without a price, with the reason: not_listed, no_candle, queued or not_collected.',
    interval: 1_800,
    key: ['ts', 'coin'],
    columns: ['ts', 'coin', 'reason'],
    dependsOn: ['grid_prices'],
    maxRangeMs: 31 * DAY,
    query: views.missing,
  },
  ...derivativeDatasets,
];
