import { z } from 'zod';

/** The candle timeframes the node collects, stores (KL001…KLD01) and serves. OKX's own names. */
export const CANDLE_BARS = ['1m', '5m', '15m', '30m', '1H', '4H', '1D'] as const;
export const CandleBar = z.enum(CANDLE_BARS, { error: 'must be one of 1m, 5m, 15m, 30m, 1H, 4H, 1D' });
export type CandleBar = z.infer<typeof CandleBar>;

/** Dataset code of each timeframe's candles. */
export const CANDLE_DATASET: Record<CandleBar, string> = {
  '1m': 'KL001',
  '5m': 'KL005',
  '15m': 'KL015',
  '30m': 'KL030',
  '1H': 'KL060',
  '4H': 'KL240',
  '1D': 'KLD01',
};
