/**
 * OKX v5 public client: REST (paced, validated, classified errors) and a reconnecting WS.
 * The collector uses OkxWsClient for `tickers` (/ws/v5/public) and `candle30m` (/ws/v5/business)
 * and OkxRestClient for the fallback and backfill; candle-pages.ts walks candle windows for both.
 */
export { OkxRestClient } from './rest-client.js';
export type { OkxRestOptions, CandlesQuery, EndpointCounters, OkxRestStats } from './rest-client.js';
export { OkxWsClient } from './ws-client.js';
export type { OkxWsOptions, OkxWsState, OkxWsStatus, OkxWsCounters, WsUrlSource } from './ws-client.js';
export { WsHostPool } from './ws-host-pool.js';
export { readWsFrame } from './ws-frames.js';
export type { OkxWsPush, OkxWsFrame } from './ws-frames.js';
export { OkxError, OKX_ERROR_KINDS, classifyResponse } from './errors.js';
export type { OkxErrorKind } from './errors.js';
export * from './schemas.js';
export * from './bars.js';
export * from './endpoints.js';
export * from './candle-pages.js';
