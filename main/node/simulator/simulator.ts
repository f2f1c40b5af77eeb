/**
 * The market simulator: a real HTTP + WebSocket server on 127.0.0.1 that speaks OKX v5's public
 * REST and WS protocol over a deterministic price path. Used by `--simulate`, by
 * `npm run simulator`, and by tests through the same URLs the real exchange would have.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OKX_ENDPOINTS, OKX_LIMIT_WINDOW_MS, type OkxEndpoint } from '../okx/endpoints.js';
import { FaultState, SlidingWindowLimiter, type RestFaultKind } from './faults.js';
import { defaultInstruments, toInstId, type SimInstrument } from './instruments.js';
import { createPricePath, type PricePath } from './price-path.js';
import { createRestHandler, newRestStats, type RestStats } from './rest.js';
import { SimWsServer, type WsKind, type WsStats } from './ws.js';

export interface SimulatorOptions {
  /** Seed of the price path (default "okx-sim"). Same seed, same prices. */
  seed?: string;
  /** Simulated clock in ms. Default: real time (plus `clockOffsetMs`). */
  now?: () => number;
  /** Shifts the default clock, e.g. -86_400_000 to run "yesterday". Ignored when `now` is given. */
  clockOffsetMs?: number;
  /** Listing time per coin or instId, overriding the defaults (e.g. { TAO: Date.now() - 3_600_000 }). */
  listTimes?: Record<string, number>;
  /** Replace the instrument list entirely (advanced). */
  instruments?: SimInstrument[];
  /** Requests per 2 s per IP per endpoint; defaults to OKX's published numbers; false = unlimited. */
  rateLimits?: Partial<Record<OkxEndpoint, number>> | false;
  /** WS idle close (code 4004) after this long without subscription or data. Default 30 000. */
  idleCloseMs?: number;
  /** Ticker push interval per instrument, random within [min, max] ms. Default [250, 1000]. */
  tickerIntervalMs?: [number, number] | number;
  /** Minimum gap between candle pushes per subscription. Default 1000 (OKX: at most 1/s). */
  candleIntervalMs?: number;
  /** Funding-rate push interval per subscription, random in [min, max] ms. Default [30 000, 90 000] (OKX). */
  fundingIntervalMs?: [number, number];
  /** Subscriptions one WS connection may hold before it is closed with 4009. Default: no cap. */
  maxSubsPerConnection?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
}

export interface SimulatorUrls {
  rest: string;
  wsPublic: string;
  wsBusiness: string;
}

/** Fault injection, for tests and demos. Every call takes effect immediately. */
export interface SimFaults {
  /** The next `count` REST requests (to `endpoint`, or to any endpoint) fail as `kind`:
   *  '429' = HTTP 429 + 50011 body; '500' = HTTP 500 + code 50026; 'truncated' = half a JSON body;
   *  'malformed' = code "0" with rows of the wrong shape. */
  failNextRest(count: number, kind: RestFaultKind, opts?: { endpoint?: OkxEndpoint }): void;
  /** Delays every REST response by `ms` (0 removes it). */
  setLatency(ms: number): void;
  /** Cuts every WS connection (TCP reset; `graceful` sends close 1001 instead). Returns how many. */
  dropConnections(opts?: { graceful?: boolean }): number;
  /** Refuses WS upgrades (HTTP 503) for `ms`. */
  refuseConnections(ms: number): void;
  /** Stops all WS output (pushes, acks, pongs, idle closes) for `ms` (default: until resume()),
   *  keeping sockets open. `answerPings` keeps pongs flowing (a feed that is up but has no data). */
  silence(ms?: number, opts?: { answerPings?: boolean }): void;
  /** Ends silence and connection refusal. */
  resume(): void;
  /** The next `count` WS data pushes carry rows our schemas must reject. */
  corruptNextPushes(count: number): void;
  /** Sends OKX's 64008 "service upgrade" notice on every connection. */
  notice(): void;
  /** Sends raw text on every connection (or only on /public or /business ones). */
  sendRaw(text: string, where?: WsKind): void;
  /** Clears every fault. */
  reset(): void;
}

export interface SimulatorStats {
  rest: RestStats;
  ws: WsStats;
}

export interface Simulator {
  /** The price path the server serves; compute expected values from it. */
  readonly path: PricePath;
  readonly faults: SimFaults;
  /** The simulated clock. */
  now(): number;
  /** Listens on 127.0.0.1:`port` (0 = any free port) and returns the three base URLs. */
  start(port?: number): Promise<SimulatorUrls>;
  /** Closes every connection and the server. */
  stop(): Promise<void>;
  stats(): SimulatorStats;
  readonly urls: SimulatorUrls | undefined;
}

export function createSimulator(opts: SimulatorOptions = {}): Simulator {
  const offset = opts.clockOffsetMs ?? 0;
  const now = opts.now ?? (() => Date.now() + offset);
  const instruments = (opts.instruments ?? defaultInstruments()).map((i) => ({ ...i }));
  for (const [key, t] of Object.entries(opts.listTimes ?? {})) {
    const inst = instruments.find((i) => i.instId === toInstId(key));
    if (!inst) throw new Error(`listTimes names ${key}, which the simulator does not list.`);
    if (!Number.isFinite(t)) throw new Error(`listTimes.${key} must be a time in ms.`);
    inst.listTime = t;
  }
  const path = createPricePath({ seed: opts.seed, instruments });
  const faultState = new FaultState();
  let limits: Record<OkxEndpoint, number> | null = null;
  if (opts.rateLimits !== false) {
    limits = {} as Record<OkxEndpoint, number>;
    for (const e of Object.keys(OKX_ENDPOINTS) as OkxEndpoint[]) limits[e] = opts.rateLimits?.[e] ?? OKX_ENDPOINTS[e].limit;
  }
  const restStats = newRestStats();
  const handler = createRestHandler({
    path,
    now,
    limiter: new SlidingWindowLimiter(OKX_LIMIT_WINDOW_MS),
    limits,
    faults: faultState,
    stats: restStats,
  });
  const ti = opts.tickerIntervalMs ?? [250, 1000];
  const [tiMin, tiMax] = typeof ti === 'number' ? [ti, ti] : ti;
  if (!(tiMin >= 10 && tiMax >= tiMin)) throw new Error('tickerIntervalMs must be at least 10 ms, and [min, max] with min ≤ max.');
  if (opts.idleCloseMs !== undefined && !(opts.idleCloseMs > 0)) throw new Error('idleCloseMs must be a positive number of ms.');
  if (opts.candleIntervalMs !== undefined && !(opts.candleIntervalMs >= 0)) throw new Error('candleIntervalMs must be 0 or more ms.');
  const ws = new SimWsServer(path, now, faultState, {
    idleCloseMs: opts.idleCloseMs ?? 30_000,
    tickerIntervalMs: [tiMin, tiMax],
    candleIntervalMs: opts.candleIntervalMs ?? 1_000,
    fundingIntervalMs: opts.fundingIntervalMs,
    maxSubsPerConnection: opts.maxSubsPerConnection,
  });
  const server = http.createServer(handler);
  server.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));
  server.on('clientError', (_e, socket) => socket.destroy());
  let urls: SimulatorUrls | undefined;

  const faults: SimFaults = {
    failNextRest: (count, kind, o) => faultState.addRest(count, kind, o?.endpoint),
    setLatency: (ms) => void (faultState.latencyMs = Math.max(0, ms)),
    dropConnections: (o) => ws.drop(o?.graceful ?? false),
    refuseConnections: (ms) => void (faultState.refuseUntil = Date.now() + ms),
    silence: (ms, o) => {
      faultState.silentUntil = ms === undefined ? Number.POSITIVE_INFINITY : Date.now() + ms;
      faultState.silentAnswersPings = o?.answerPings ?? false;
    },
    resume: () => {
      faultState.silentUntil = 0;
      faultState.refuseUntil = 0;
    },
    corruptNextPushes: (count) => void (faultState.corruptPushes = count),
    notice: () => ws.notice(),
    sendRaw: (text, where) => ws.broadcast(text, where),
    reset: () => faultState.reset(),
  };

  return {
    path,
    faults,
    now,
    get urls() {
      return urls;
    },
    async start(port = 0) {
      if (urls) return urls;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, opts.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      ws.start();
      const a = server.address() as AddressInfo;
      const hostPort = `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
      urls = { rest: `http://${hostPort}`, wsPublic: `ws://${hostPort}/ws/v5/public`, wsBusiness: `ws://${hostPort}/ws/v5/business` };
      return urls;
    },
    async stop() {
      if (!urls) return;
      urls = undefined;
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
    stats: () => ({ rest: structuredClone(restStats), ws: structuredClone(ws.stats) }),
  };
}
