import type { DerivsCollectorOptions } from './market/derivs/derivs-collector.js';

export interface NodeConfig {
  dataDir: string;
  mode: 'desktop' | 'headless';
  version: string;
  /** Use the built-in market simulator instead of OKX. */
  simulate?: boolean;
  /** Also print log lines to stdout (headless). */
  logToConsole?: boolean;
  /**
   * Exchange hosts for this run only (the simulator, or `--okx-*` flags); they override the
   * settings without being saved.
   */
  exchange?: Partial<{ rest: string; wsPublic: string; wsBusiness: string }>;
  /**
   * REST hosts tried after the first when it fails (issue 12), in order. Default: OKX's documented
   * and AWS alternates (okx/hosts.ts), or none when `exchange.rest` points elsewhere (the simulator).
   */
  exchangeAlternates?: readonly string[];
  /** WebSocket hosts tried after the configured ones fail, in order; default: OKX's (okx/hosts.ts), or none off OKX. */
  exchangeWsAlternates?: { public?: readonly string[]; business?: readonly string[] };
  /** WebSocket host failover timing (okx/ws-host-pool.ts; tests shorten it). */
  wsFailover?: { downAfter?: number; probeMs?: number; maxProbeMs?: number; stableMs?: number };
  /** Host failover timing (tests shorten it): failures before a host is down, and the pause before it is tried again. */
  hostFailover?: { downAfter?: number; retryMs?: number; maxRetryMs?: number };
  /** The node's clock (default Date.now); the simulator and tests run the node at another time. */
  now?: () => number;
  /** Run the live collector on start(). Default true; tests that only need the store turn it off. */
  collect?: boolean;
  /** Backfill retry timing (tests shorten it); defaults in main/node/backfill/runner.ts. */
  backfillRetry?: Partial<{ baseMs: number; maxMs: number; maxAttempts: number; gapConfirmMs: number }>;
  /** Path of a better-sqlite3 binary built for Electron's ABI. */
  sqliteNativeBinding?: string;
  /** DNS servers for the exchange's hosts (net/resolver.ts); default: the system's. */
  dnsServers?: readonly string[];
  /** Sender port for this run only (`--sender-port`); overrides the stored sender config's port. */
  senderPort?: number;
  /** Receiver timing for tests: retry backoff and the per-request timeout that catches a hung peer. */
  receiver?: { backoff?: { baseMs: number; maxMs: number }; requestTimeoutMs?: number };
  /** multicast-dns socket options for LAN discovery (tests confine it to loopback). */
  mdns?: { interface?: string; port?: number; ip?: string; ttl?: number; bind?: string; loopback?: boolean };
  /** PostgreSQL URL for this run only (`--warehouse-url`, CSN_WAREHOUSE_URL): mirrors every dataset, unsaved. */
  warehouseUrl?: string;
  /** Derivatives collector tuning for tests and benches (market/derivs/derivs-collector.ts). */
  derivs?: Partial<
    Pick<
      DerivsCollectorOptions,
      'maxArgsPerConnection' | 'subscribePaceMs' | 'connectGapMs' | 'silenceScale' | 'fundingHistoryMs' | 'settleDelayMs'
    >
  >;
  /** Warehouse mirror timing for tests and benches: page size, retry backoff, idle poll. */
  warehouse?: { pageRows?: number; backoff?: { baseMs: number; maxMs: number }; pollMs?: number };
}
