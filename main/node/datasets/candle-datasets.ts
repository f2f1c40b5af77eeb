import { CANDLE_BARS, CANDLE_DATASET, type CandleBar } from '../../../preload/contract/candle-bars.js';
import { OKX_BARS } from '../okx/bars.js';
import type { SyncableDatasetDef } from './types.js';

const NAMES: Record<CandleBar, { en: string; zh: string }> = {
  '1m': { en: '1-minute candles', zh: '1分钟K线' },
  '5m': { en: '5-minute candles', zh: '5分钟K线' },
  '15m': { en: '15-minute candles', zh: '15分钟K线' },
  '30m': { en: '30-minute candles', zh: '30分钟K线' },
  '1H': { en: '1-hour candles', zh: '1小时K线' },
  '4H': { en: '4-hour candles', zh: '4小时K线' },
  '1D': { en: 'Daily candles (UTC+8)', zh: '日K线（UTC+8）' },
};

/**
 * KL001…KLD01: one dataset per candle timeframe, each the rows of one `bar` of the shared `candles`
 * table (key coin, bar, ts). KL030 keeps its code and columns, so existing peers go on pulling it;
 * it now carries only 30-minute bars (the other bars have their own codes).
 */
export const candleDatasets = (): SyncableDatasetDef[] =>
  CANDLE_BARS.map((bar) => ({
    code: CANDLE_DATASET[bar],
    kind: 'syncable',
    table: 'candles',
    rowFilter: { bar },
    name: NAMES[bar].en,
    nameZh: NAMES[bar].zh,
    category: 'okx_candles',
    description: `${NAMES[bar].en} per coin from OKX (OHLC, volume in contracts, base and quote currency; confirm = closed).`,
    interval: OKX_BARS[bar].ms / 1000,
  }));

/** The timeframe of a candle dataset code, or undefined for another code. */
export function barOfDataset(code: string): CandleBar | undefined {
  return CANDLE_BARS.find((b) => CANDLE_DATASET[b] === code);
}
