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
} as const;

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
