import { z } from 'zod';
import { CandleBar, CANDLE_BARS } from './candle-bars.js';

/**
 * Settings › Data (issue 14): which market streams the collector runs, how long each dataset is
 * kept, and the one-time initial history per candle timeframe (seed 001). Part of SettingsSchema.
 */

export const StreamsSchema = z
  .object({
    /** Candle timeframes collected over WebSocket (and repaired from REST). */
    candles: z
      .array(CandleBar)
      .max(CANDLE_BARS.length)
      .refine((b) => new Set(b).size === b.length, 'a timeframe is listed twice')
      .default([...CANDLE_BARS]),
    markPrice: z.boolean().default(true),
    fundingRate: z.boolean().default(true),
    openInterest: z.boolean().default(true),
    books5: z.boolean().default(true),
    liquidations: z.boolean().default(true),
    /** OKX001: 24 h tickers of every USDT swap. */
    swapTickers: z.boolean().default(true),
  })
  .strict();
export type Streams = z.infer<typeof StreamsSchema>;

const DATASET_CODE = /^[A-Z]{2,3}[0-9A-Z]{3}$/;

/** Days to keep per dataset code; a code not listed (or null) is kept forever. */
export const RetentionSchema = z
  .record(
    z.string().regex(DATASET_CODE, 'must be a dataset code such as KL001'),
    z.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(36_500).nullable(),
  )
  .default({ KL001: 30, KL005: 180, MP001: 30 });
export type Retention = z.infer<typeof RetentionSchema>;

/** Initial history fetched once on the first start, in days per timeframe (0 = none). */
export const InitialWindowsSchema = z
  .object({
    '1m': z.number().int().min(0).max(30).default(1),
    '5m': z.number().int().min(0).max(90).default(1),
    '1H': z.number().int().min(0).max(365).default(7),
    '1D': z.number().int().min(0).max(3_650).default(30),
  })
  .strict();
export type InitialWindows = z.infer<typeof InitialWindowsSchema>;
