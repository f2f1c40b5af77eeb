/**
 * OKX public REST client: one pacing queue per endpoint kept under OKX's per-IP limits (sliding
 * window, like the exchange), a fetch timeout, every response validated, and failures thrown as
 * `OkxError` with a kind. A rate-limit answer pauses that endpoint's queue for one window.
 * Counters per endpoint feed the status screens and the backfill benchmark.
 */
import type { LookupFunction } from 'node:net';
import PQueue from 'p-queue';
import { Agent, fetch } from 'undici';
import type { z } from 'zod';
import type { OkxBar } from './bars.js';
import { OKX_ENDPOINT_NAMES, OKX_ENDPOINTS, OKX_LIMIT_WINDOW_MS, type OkxEndpoint } from './endpoints.js';
import { classifyResponse, OKX_ERROR_KINDS, OkxError, type OkxErrorKind } from './errors.js';
import { SlotPacer } from './pacer.js';
import { hostOf } from './host-pool.js';
import type { Reasoned } from '../../../preload/contract/reasons.js';
import {
  describeIssue,
  OkxCandleRowSchema,
  OkxEnvelopeSchema,
  OkxInstrumentSchema,
  OkxTickerSchema,
  OkxTimeSchema,
  type OkxCandle,
  type OkxInstrument,
  type OkxTicker,
} from './schemas.js';

export interface OkxRestOptions {
  /** REST base URL, e.g. https://www.okx.com. A function is read on every call, so settings changes apply at once. */
  baseUrl: string | (() => string);
  /** Per-request timeout (ms). Default 10 000. */
  timeoutMs?: number;
  /** Share of OKX's published limit to use. Default 0.9. */
  limitFraction?: number;
  /** Override the per-endpoint limit (requests per 2 s) before `limitFraction` is applied. */
  limits?: Partial<Record<OkxEndpoint, number>>;
  /** Max requests in flight per endpoint. Default 8. */
  concurrency?: number;
  /**
   * Extra ms added to the 2 s window when pacing. Pacing counts from each answer's return (see
   * SlotPacer), which already covers latency; the margin only absorbs clock granularity. Default 250.
   */
  pacingMarginMs?: number;
  /** How long an endpoint's queue pauses after a rate-limit answer (ms). Default 2 000 (one window). */
  rateLimitPauseMs?: number;
  /** Resolves the exchange's host (net/resolver.ts); default: the OS resolver, whose threads can hold up an exit offline. */
  lookup?: LookupFunction;
  /** Called for each row dropped from a multi-row answer (tickers, instruments) because it failed validation. */
  onMalformedRow?: (endpoint: OkxEndpoint, reason: string) => void;
  /** Told how each request to a base URL went, for host failover (okx/host-pool.ts). `hostFault`: no answer or a 5xx. */
  onResult?: (baseUrl: string, r: { ok: boolean; hostFault: boolean; latencyMs: number; error?: string; reason?: Reasoned }) => void;
}

export interface CandlesQuery {
  instId: string;
  bar?: OkxBar;
  /** Return bars older than this open time (exclusive). */
  after?: number;
  /** Return bars newer than this open time (exclusive). Alone, it still yields the latest page. */
  before?: number;
  /** Rows wanted, 1–300 (OKX default 100). OKX may return fewer. */
  limit?: number;
}

export interface EndpointCounters {
  requests: number;
  ok: number;
  errors: Record<OkxErrorKind, number>;
  /** Answers that were HTTP 429 or code 50011. */
  rateLimited: number;
  /** Rows dropped from otherwise good answers. */
  malformedRows: number;
  /** Waiting in the pacing queue / in flight right now. */
  queued: number;
  inFlight: number;
  paused: boolean;
  /** Paced rate: at most `allowedPerWindow` request starts in any `windowMs`. */
  allowedPerWindow: number;
  windowMs: number;
  lastError?: { kind: OkxErrorKind; message: string; at: number };
  lastLatencyMs?: number;
}

export type OkxRestStats = Record<OkxEndpoint, EndpointCounters>;

export class OkxRestClient {
  private readonly queues = {} as Record<OkxEndpoint, PQueue>;
  private readonly pacers = {} as Record<OkxEndpoint, SlotPacer>;
  private readonly counters = {} as Record<OkxEndpoint, Omit<EndpointCounters, 'queued' | 'inFlight' | 'paused'>>;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly timeoutMs: number;
  private readonly pauseMs: number;
  private readonly waiting = new Set<{ reject: (e: OkxError) => void }>();
  private readonly closeCtl = new AbortController();
  private closed = false;

  /** Keep-alive connections to the exchange, resolved by `opts.lookup`. */
  private readonly agent: Agent;

  constructor(private readonly opts: OkxRestOptions) {
    this.agent = new Agent({ connect: opts.lookup ? { lookup: opts.lookup } : {} });
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.pauseMs = opts.rateLimitPauseMs ?? OKX_LIMIT_WINDOW_MS;
    const fraction = opts.limitFraction ?? 0.9;
    for (const e of OKX_ENDPOINT_NAMES) {
      const cap = Math.max(1, Math.floor((opts.limits?.[e] ?? OKX_ENDPOINTS[e].limit) * fraction));
      // The queue bounds concurrency; the pacer keeps any 2 s at the exchange under `cap` arrivals.
      const interval = OKX_LIMIT_WINDOW_MS + (opts.pacingMarginMs ?? 250);
      this.queues[e] = new PQueue({ concurrency: opts.concurrency ?? 8 });
      this.pacers[e] = new SlotPacer(cap, interval);
      this.counters[e] = {
        requests: 0,
        ok: 0,
        errors: Object.fromEntries(OKX_ERROR_KINDS.map((k) => [k, 0])) as Record<OkxErrorKind, number>,
        rateLimited: 0,
        malformedRows: 0,
        allowedPerWindow: cap,
        windowMs: interval,
      };
    }
  }

  /** Every SWAP ticker in one call (rows failing validation are dropped and counted). */
  tickers(instType: 'SWAP' | 'SPOT' | 'FUTURES' = 'SWAP'): Promise<OkxTicker[]> {
    return this.call('tickers', { instType }, (d) => this.rows('tickers', d, OkxTickerSchema));
  }

  ticker(instId: string): Promise<OkxTicker> {
    return this.call('ticker', { instId }, (d) => this.single('ticker', d, OkxTickerSchema));
  }

  /** Latest 1,440 bars only; newest first. */
  async candles(q: CandlesQuery): Promise<OkxCandle[]> {
    return this.call('candles', candleParams(q), (d) => this.allRows('candles', d, OkxCandleRowSchema));
  }

  /** Older history; newest first. */
  async historyCandles(q: CandlesQuery): Promise<OkxCandle[]> {
    return this.call('historyCandles', candleParams(q), (d) => this.allRows('historyCandles', d, OkxCandleRowSchema));
  }

  instruments(instType: 'SWAP' = 'SWAP'): Promise<OkxInstrument[]> {
    return this.call('instruments', { instType }, (d) => this.rows('instruments', d, OkxInstrumentSchema));
  }

  /** Exchange time in ms. */
  async time(): Promise<number> {
    return (await this.call('time', {}, (d) => this.single('time', d, OkxTimeSchema))).ts;
  }

  /** The valid rows of any endpoint's answer (invalid ones dropped and counted); okx/deriv-rest.ts types them. */
  getRows<S extends z.ZodType>(
    endpoint: OkxEndpoint,
    params: Record<string, string | number | undefined>,
    schema: S,
  ): Promise<z.output<S>[]> {
    return this.call(endpoint, params, (d) => this.rows(endpoint, d, schema));
  }

  stats(): OkxRestStats {
    const out = {} as OkxRestStats;
    for (const e of OKX_ENDPOINT_NAMES) {
      const c = this.counters[e];
      const q = this.queues[e];
      // A request waiting for a pacing slot is queued, not in flight.
      const pacing = this.pacers[e].waiting;
      out[e] = { ...c, errors: { ...c.errors }, queued: q.size + pacing, inFlight: q.pending - pacing, paused: q.isPaused };
    }
    return out;
  }

  /** The paced rate of one endpoint (fixed at construction): what `stats()` reports, without copying every counter. */
  allowedPerWindow(e: OkxEndpoint): number {
    return this.counters[e].allowedPerWindow;
  }

  /** Aborts requests in flight and rejects queued ones (kind network); later calls reject at once. */
  close(): void {
    this.closed = true;
    for (const t of this.resumeTimers) clearTimeout(t);
    this.resumeTimers.clear();
    for (const e of OKX_ENDPOINT_NAMES) {
      this.queues[e].clear();
      this.pacers[e].close(new OkxError('network', 'the OKX client was closed before this request was sent'));
    }
    this.closeCtl.abort();
    void this.agent.destroy().catch(() => undefined);
    for (const w of this.waiting) w.reject(new OkxError('network', 'the OKX client was closed before this request was sent'));
    this.waiting.clear();
  }

  private baseUrl(): string {
    const b = typeof this.opts.baseUrl === 'function' ? this.opts.baseUrl() : this.opts.baseUrl;
    return b.replace(/\/+$/, '');
  }

  private call<T>(endpoint: OkxEndpoint, params: Record<string, string | number | undefined>, parse: (data: unknown) => T): Promise<T> {
    if (this.closed) return Promise.reject(new OkxError('network', 'the OKX client is closed'));
    // p-queue's clear() forgets queued tasks without settling them, so we keep their rejecters.
    return new Promise<T>((resolve, reject) => {
      const entry = { reject };
      this.waiting.add(entry);
      this.queues[endpoint]
        .add(async () => {
          this.waiting.delete(entry);
          const pacer = this.pacers[endpoint];
          const slot = await pacer.acquire();
          let released = false;
          // The slot's window starts when the answer begins to arrive (the request has surely
          // reached the exchange by then), not after its body is read and parsed.
          const release = () => {
            if (!released) pacer.release(slot);
            released = true;
          };
          try {
            return await this.request(endpoint, params, parse, release);
          } finally {
            release();
          }
        })
        .then(resolve, reject);
    });
  }

  private fail(endpoint: OkxEndpoint, kind: OkxErrorKind, message: string, httpStatus?: number, code?: string, cause?: string): OkxError {
    const c = this.counters[endpoint];
    c.errors[kind]++;
    c.lastError = { kind, message, at: Date.now() };
    if (kind === 'rate_limited') {
      c.rateLimited++;
      const q = this.queues[endpoint];
      if (!q.isPaused) {
        q.pause();
        const t = setTimeout(() => {
          this.resumeTimers.delete(t);
          q.start();
        }, this.pauseMs);
        this.resumeTimers.add(t);
      }
    }
    return new OkxError(kind, `${OKX_ENDPOINTS[endpoint].path}: ${message}`, { endpoint, httpStatus, code, cause });
  }

  private async request<T>(
    endpoint: OkxEndpoint,
    params: Record<string, string | number | undefined>,
    parse: (data: unknown) => T,
    answered?: () => void,
  ): Promise<T> {
    const base = this.baseUrl();
    const t0 = Date.now();
    try {
      const v = await this.requestAt(base, endpoint, params, parse, answered);
      this.opts.onResult?.(base, { ok: true, hostFault: false, latencyMs: Date.now() - t0 });
      return v;
    } catch (e) {
      const hostFault = e instanceof OkxError && (e.kind === 'network' || e.kind === 'server');
      if (!this.closed)
        this.opts.onResult?.(base, {
          ok: false,
          hostFault,
          latencyMs: Date.now() - t0,
          error: (e as Error).message,
          reason: hostReason(e, base, this.timeoutMs),
        });
      throw e;
    }
  }

  private async requestAt<T>(
    base: string,
    endpoint: OkxEndpoint,
    params: Record<string, string | number | undefined>,
    parse: (data: unknown) => T,
    answered?: () => void,
  ): Promise<T> {
    const c = this.counters[endpoint];
    c.requests++;
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) qs.set(k, String(v));
    const url = `${base}${OKX_ENDPOINTS[endpoint].path}${qs.size ? `?${qs}` : ''}`;
    const started = Date.now();
    let status: number;
    let text: string;
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closeCtl.signal]);
      const res = await fetch(url, { signal, dispatcher: this.agent, headers: { accept: 'application/json' } });
      answered?.();
      status = res.status;
      text = await res.text();
    } catch (e) {
      const err = e as Error;
      const why =
        err.name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : this.closed
            ? 'the OKX client was closed'
            : `${err.message}${causeOf(err)}`;
      const cause = err.name === 'TimeoutError' ? 'timeout' : (err as { cause?: { code?: string } }).cause?.code;
      throw this.fail(endpoint, 'network', why, undefined, undefined, cause);
    } finally {
      c.lastLatencyMs = Date.now() - started;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (status === 429) throw this.fail(endpoint, 'rate_limited', 'HTTP 429', status);
      if (status >= 500) throw this.fail(endpoint, 'server', `HTTP ${status}`, status);
      throw this.fail(
        endpoint,
        'malformed',
        `HTTP ${status} with a body that is not JSON (${text.length} bytes, perhaps cut short)`,
        status,
      );
    }
    const env = OkxEnvelopeSchema.safeParse(json);
    if (!env.success) {
      if (status !== 200) throw this.fail(endpoint, classifyResponse(status, undefined), `HTTP ${status}`, status);
      throw this.fail(endpoint, 'malformed', `not an OKX envelope (${describeIssue(env.error)})`, status);
    }
    const code = String(env.data.code);
    if (status !== 200 || code !== '0') {
      const kind = classifyResponse(status, code);
      throw this.fail(endpoint, kind, `HTTP ${status}, code ${code}: ${env.data.msg || 'no message'}`, status, code);
    }
    let value: T;
    try {
      value = parse(env.data.data);
    } catch (e) {
      throw this.fail(endpoint, 'malformed', (e as Error).message, status, code);
    }
    c.ok++;
    return value;
  }

  private single<S extends z.ZodType>(endpoint: OkxEndpoint, data: unknown, schema: S): z.output<S> {
    if (!Array.isArray(data) || data.length === 0) throw new Error('expected one row in data, got none');
    const r = schema.safeParse(data[0]);
    if (!r.success) throw new Error(`row does not match (${describeIssue(r.error)})`);
    return r.data;
  }

  /** All rows must be valid (a page of candles with a hole would silently lose a bar). */
  private allRows<S extends z.ZodType>(endpoint: OkxEndpoint, data: unknown, schema: S): z.output<S>[] {
    if (!Array.isArray(data)) throw new Error('data is not an array');
    return data.map((row, i) => {
      const r = schema.safeParse(row);
      if (!r.success) throw new Error(`row ${i} does not match (${describeIssue(r.error)})`);
      return r.data;
    });
  }

  /** Keeps the valid rows, counts and reports the rest; fails only when rows came but none was valid. */
  private rows<S extends z.ZodType>(endpoint: OkxEndpoint, data: unknown, schema: S): z.output<S>[] {
    if (!Array.isArray(data)) throw new Error('data is not an array');
    const out: z.output<S>[] = [];
    let firstIssue = '';
    for (const row of data) {
      const r = schema.safeParse(row);
      if (r.success) out.push(r.data);
      else {
        const why = describeIssue(r.error);
        firstIssue ||= why;
        this.counters[endpoint].malformedRows++;
        this.opts.onMalformedRow?.(endpoint, why);
      }
    }
    if (data.length > 0 && out.length === 0) throw new Error(`no row matches (${firstIssue})`);
    return out;
  }
}

function candleParams(q: CandlesQuery): Record<string, string | number | undefined> {
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 300)) {
    throw new OkxError('bad_request', `candles limit must be a whole number from 1 to 300, not ${q.limit}.`);
  }
  return { instId: q.instId, bar: q.bar, after: q.after, before: q.before, limit: q.limit };
}

function causeOf(e: Error): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message ?? 'unknown cause'})` : '';
}

/** Why a host failed, as Settings › Sources says it in the UI's language. */
export function hostReason(e: unknown, base: string, timeoutMs: number): Reasoned {
  const host = hostOf(base);
  if (e instanceof OkxError && e.kind === 'network') {
    if (e.details.cause === 'timeout') return { reason: 'host.timeout', params: { host, seconds: Math.round(timeoutMs / 1000) } };
    return { reason: 'host.network', params: { host, cause: (e.details.cause ?? 'fetch failed').slice(0, 60) } };
  }
  if (e instanceof OkxError && e.kind === 'server' && e.details.httpStatus !== undefined)
    return { reason: 'host.server', params: { host, status: e.details.httpStatus } };
  return { reason: 'host.failed', params: { host } };
}
