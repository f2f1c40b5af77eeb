/**
 * The public REST endpoints we use and OKX's published limits for them, in requests per 2 s per IP.
 * The simulator enforces these numbers; the client paces itself below them.
 */
export const OKX_LIMIT_WINDOW_MS = 2_000;

export const OKX_ENDPOINTS = {
  ticker: { path: '/api/v5/market/ticker', limit: 20 },
  tickers: { path: '/api/v5/market/tickers', limit: 20 },
  candles: { path: '/api/v5/market/candles', limit: 40 },
  historyCandles: { path: '/api/v5/market/history-candles', limit: 20 },
  instruments: { path: '/api/v5/public/instruments', limit: 20 },
  time: { path: '/api/v5/public/time', limit: 10 },
  // Derivatives (issue 14): the funding, mark-price and open-interest limits are per IP + instId.
  markPrice: { path: '/api/v5/public/mark-price', limit: 10 },
  fundingRate: { path: '/api/v5/public/funding-rate', limit: 10 },
  fundingRateHistory: { path: '/api/v5/public/funding-rate-history', limit: 10 },
  openInterest: { path: '/api/v5/public/open-interest', limit: 20 },
  books: { path: '/api/v5/market/books', limit: 40 },
} as const;

/** Endpoints whose OKX limit is counted per IP and instId (not per IP alone). */
export const OKX_PER_INSTRUMENT_LIMIT: ReadonlySet<OkxEndpoint> = new Set([
  'markPrice',
  'fundingRate',
  'fundingRateHistory',
  'openInterest',
]);

export type OkxEndpoint = keyof typeof OKX_ENDPOINTS;
export const OKX_ENDPOINT_NAMES = Object.keys(OKX_ENDPOINTS) as OkxEndpoint[];

/** Max rows per candles / history-candles page, and the default when `limit` is left out. */
export const OKX_CANDLES_MAX_LIMIT = 300;
export const OKX_CANDLES_DEFAULT_LIMIT = 100;
/** /market/candles only reaches this many of the latest bars; older ones need history-candles. */
export const OKX_CANDLES_REACH_BARS = 1_440;

export function endpointOfPath(path: string): OkxEndpoint | undefined {
  return OKX_ENDPOINT_NAMES.find((e) => OKX_ENDPOINTS[e].path === path);
}
