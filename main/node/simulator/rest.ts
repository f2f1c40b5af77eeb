/**
 * The simulator's REST side: OKX v5 public market endpoints with OKX's envelopes, error codes,
 * paging semantics and per-IP rate limits (`okx/endpoints.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { barOpenAt, isOkxBar, OKX_BARS } from '../okx/bars.js';
import {
  endpointOfPath,
  OKX_PER_INSTRUMENT_LIMIT,
  OKX_CANDLES_DEFAULT_LIMIT,
  OKX_CANDLES_MAX_LIMIT,
  OKX_CANDLES_REACH_BARS,
  OKX_ENDPOINTS,
  type OkxEndpoint,
} from '../okx/endpoints.js';
import type { FaultState, SlidingWindowLimiter } from './faults.js';
import type { SimInstrument } from './instruments.js';
import { candleRow, instrumentRow, restTicker, tickerValues } from './payloads.js';
import type { PricePath } from './price-path.js';
import { DerivsModel } from './derivs-model.js';
import { derivsRestData, isDerivsEndpoint, type DerivsRestContext } from './derivs-rest.js';

export interface RestStats {
  requests: Record<OkxEndpoint | 'other', number>;
  /** HTTP 429 responses sent (rate limit and injected). */
  served429: number;
  injectedFaults: number;
}

export interface RestContext {
  path: PricePath;
  now: () => number;
  limiter: SlidingWindowLimiter;
  /** Requests per window per endpoint; null = no limits. */
  limits: Record<OkxEndpoint, number> | null;
  faults: FaultState;
  stats: RestStats;
}

/** The recorded 404 body for an unknown /api/v5 path (numeric code on purpose). */
export const NOT_FOUND_BODY = { code: 404, data: {}, detailMsg: '', error_code: '404', error_message: 'Not Found', msg: 'Not Found' };
export const RATE_LIMIT_BODY = { msg: 'Too Many Requests', code: '50011' };

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}
const emptyParam = (name: string) => new ApiError(400, '50014', `Parameter ${name} can not be empty`);
const paramError = (name: string) => new ApiError(400, '51000', `Parameter ${name} error`);
const noInstrument = () => new ApiError(200, '51001', "Instrument ID, Instrument ID code, or Spread ID doesn't exist.");

const INST_TYPES = new Set(['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION', 'EVENTS']);

export function newRestStats(): RestStats {
  const requests = { other: 0 } as Record<OkxEndpoint | 'other', number>;
  for (const e of Object.keys(OKX_ENDPOINTS) as OkxEndpoint[]) requests[e] = 0;
  return { requests, served429: 0, injectedFaults: 0 };
}

export function createRestHandler(ctx: RestContext) {
  const listed = (now: number): SimInstrument[] => ctx.path.instruments().filter((i) => ctx.path.listedFrom(i.instId) <= now);
  const findListed = (instId: string | null, now: number): SimInstrument => {
    if (!instId) throw emptyParam('instId');
    const inst = ctx.path.instrument(instId);
    if (!inst || !instId.includes('-') || ctx.path.listedFrom(instId) > now) throw noInstrument();
    return inst;
  };
  const instTypeOf = (q: URLSearchParams): string => {
    const t = q.get('instType');
    if (!t) throw emptyParam('instType');
    if (!INST_TYPES.has(t)) throw paramError('instType');
    return t;
  };
  const intParam = (q: URLSearchParams, name: string): number | undefined => {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (!/^\d{1,16}$/.test(v)) throw paramError(name);
    return Number(v);
  };

  function candles(q: URLSearchParams, now: number, history: boolean): string[][] {
    const inst = findListed(q.get('instId'), now);
    const barName = q.get('bar') || '1m';
    if (!isOkxBar(barName)) throw paramError('bar');
    const after = intParam(q, 'after');
    const before = intParam(q, 'before');
    let limit = intParam(q, 'limit') ?? OKX_CANDLES_DEFAULT_LIMIT;
    if (limit < 1) throw paramError('limit');
    limit = Math.min(limit, OKX_CANDLES_MAX_LIMIT);
    const size = OKX_BARS[barName].ms;
    const latest = barOpenAt(barName, now);
    const first = barOpenAt(barName, ctx.path.listedFrom(inst.instId));
    const oldest = history ? first : Math.max(first, latest - (OKX_CANDLES_REACH_BARS - 1) * size);
    // Both cursors are exclusive; newest first; `before` alone still yields the latest page.
    let t = after === undefined ? latest : Math.min(latest, barOpenAt(barName, after - 1));
    const rows: string[][] = [];
    while (t >= oldest && rows.length < limit && (before === undefined || t > before)) {
      const c = ctx.path.bar(inst.instId, barName, t, now);
      if (c) rows.push(candleRow(inst, c));
      t -= size;
    }
    return rows;
  }

  const derivs: DerivsRestContext = { model: new DerivsModel(ctx.path), listed, findListed, instTypeOf, intParam, paramError };

  function data(endpoint: OkxEndpoint, q: URLSearchParams, now: number): unknown[] {
    if (isDerivsEndpoint(endpoint)) return derivsRestData(derivs, endpoint, q, now);
    switch (endpoint) {
      case 'ticker':
        return [restTicker(tickerValues(ctx.path, findListed(q.get('instId'), now), now))];
      case 'tickers':
        if (instTypeOf(q) !== 'SWAP') return [];
        return listed(now).map((i) => restTicker(tickerValues(ctx.path, i, now)));
      case 'candles':
        return candles(q, now, false);
      case 'historyCandles':
        return candles(q, now, true);
      case 'instruments': {
        if (instTypeOf(q) !== 'SWAP') return [];
        const id = q.get('instId');
        const rows = listed(now).filter((i) => !id || i.instId === id);
        if (id && rows.length === 0) throw noInstrument();
        return rows.map(instrumentRow);
      }
      case 'time':
        return [{ ts: String(now) }];
    }
  }

  function send(res: ServerResponse, status: number, body: string): void {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (ctx.faults.latencyMs > 0) setTimeout(write, ctx.faults.latencyMs);
    else write();
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const endpoint = req.method === 'GET' ? endpointOfPath(url.pathname) : undefined;
    if (!endpoint) {
      ctx.stats.requests.other++;
      send(res, 404, JSON.stringify(NOT_FOUND_BODY));
      return;
    }
    ctx.stats.requests[endpoint]++;
    const fault = ctx.faults.takeRest(endpoint);
    if (fault) {
      ctx.stats.injectedFaults++;
      if (fault === '429') {
        ctx.stats.served429++;
        send(res, 429, JSON.stringify(RATE_LIMIT_BODY));
      } else if (fault === '500') {
        send(res, 500, JSON.stringify({ code: '50026', msg: 'System error. Try again later', data: [] }));
      } else if (fault === 'truncated') {
        const full = JSON.stringify({ code: '0', msg: '', data: [{ ts: String(ctx.now()), note: 'this body is cut short' }] });
        send(res, 200, full.slice(0, Math.floor(full.length / 2)));
      } else {
        // Valid JSON and code "0", but rows of the wrong shape for every endpoint we serve.
        send(res, 200, JSON.stringify({ code: '0', msg: '', data: [{ unexpected: 'shape' }] }));
      }
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const q = url.searchParams;
    const key =
      endpoint === 'instruments'
        ? `${ip}|${endpoint}|${q.get('instType') ?? ''}`
        : OKX_PER_INSTRUMENT_LIMIT.has(endpoint)
          ? `${ip}|${endpoint}|${q.get('instId') ?? ''}`
          : `${ip}|${endpoint}`;
    if (ctx.limits && !ctx.limiter.allow(key, ctx.limits[endpoint], Date.now())) {
      ctx.stats.served429++;
      send(res, 429, JSON.stringify(RATE_LIMIT_BODY));
      return;
    }
    try {
      const rows = data(endpoint, q, ctx.now());
      send(res, 200, JSON.stringify({ code: '0', msg: '', data: rows }));
    } catch (e) {
      if (e instanceof ApiError) send(res, e.status, JSON.stringify({ code: e.code, msg: e.message, data: [] }));
      else send(res, 500, JSON.stringify({ code: '50026', msg: `System error: ${(e as Error).message}`, data: [] }));
    }
  };
}
