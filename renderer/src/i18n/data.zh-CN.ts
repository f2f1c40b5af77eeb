import type { dataEn } from './data.en';

/** K线周期与数据保留：组件状态、目录说明、错误提示中的字段名。 */
export const dataZhCN: Record<keyof typeof dataEn, string> = {
  'field.retention.KL001': 'KL001（1 分钟 K线）保留天数',
  'field.retention.KL005': 'KL005（5 分钟 K线）保留天数',
  'field.retention.KL015': 'KL015（15 分钟 K线）保留天数',
  'field.retention.KL030': 'KL030（30 分钟 K线）保留天数',
  'field.retention.KL060': 'KL060（1 小时 K线）保留天数',
  'field.retention.KL240': 'KL240（4 小时 K线）保留天数',
  'field.retention.KLD01': 'KLD01（日 K线）保留天数',
  'field.streams.candles': 'K线周期',
  'cat.desc.KL001': '来自 OKX 的每个币种 1 分钟 OHLC K线（成交量：张、币、计价币）。',
  'cat.desc.KL005': '来自 OKX 的每个币种 5 分钟 OHLC K线（成交量：张、币、计价币）。',
  'cat.desc.KL015': '来自 OKX 的每个币种 15 分钟 OHLC K线（成交量：张、币、计价币）。',
  'cat.desc.KL060': '来自 OKX 的每个币种 1 小时 OHLC K线（成交量：张、币、计价币）。',
  'cat.desc.KL240': '来自 OKX 的每个币种 4 小时 OHLC K线（成交量：张、币、计价币）。',
  'cat.desc.KLD01': '来自 OKX 的每个币种日 K线，按 UTC+8 零点分日（成交量：张、币、计价币）。',
  'comp.name.candles': 'K线',
  'comp.name.retention': '数据保留',
  'comp.candles.modes': '{total} 个周期中 {ws} 个走 WS',
  'comp.candles.none': '未启用任何周期',
  'comp.retention.none': '尚未清理',
  'comp.retention.last': '上次清理删除 {rows} 行',
};
