import type { barsEn } from './bars.en';

/** 简体中文：K线周期名称。不带 UTC 的周期按 UTC+8 对齐，带（UTC）的按 UTC 零点对齐。 */
export const barsZhCN: Record<keyof typeof barsEn, string> = {
  'bar.1m': '1分钟',
  'bar.3m': '3分钟',
  'bar.5m': '5分钟',
  'bar.15m': '15分钟',
  'bar.30m': '30分钟',
  'bar.1H': '1小时',
  'bar.2H': '2小时',
  'bar.4H': '4小时',
  'bar.6H': '6小时',
  'bar.12H': '12小时',
  'bar.1D': '日线',
  'bar.6Hutc': '6小时（UTC）',
  'bar.12Hutc': '12小时（UTC）',
  'bar.1Dutc': '日线（UTC）',
};
