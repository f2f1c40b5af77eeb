/** Bar (candle) sizes as people say them. Keys follow OKX's bar codes (preload/contract/backfill.ts). */
export const barsEn = {
  'bar.1m': '1 min',
  'bar.3m': '3 min',
  'bar.5m': '5 min',
  'bar.15m': '15 min',
  'bar.30m': '30 min',
  'bar.1H': '1 hour',
  'bar.2H': '2 hours',
  'bar.4H': '4 hours',
  'bar.6H': '6 hours',
  'bar.12H': '12 hours',
  'bar.1D': '1 day',
  'bar.6Hutc': '6 hours (UTC)',
  'bar.12Hutc': '12 hours (UTC)',
  'bar.1Dutc': '1 day (UTC)',
} as const;
