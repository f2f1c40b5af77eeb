import { Empty } from './core.js';
import type { Reasoned } from './reasons.js';

/**
 * Sources of market data in priority order (issue 12): the receiver's peers (asked first by
 * backfill, in their priority order) and the exchange's REST hosts (the configured one, then OKX's
 * alternates; the first healthy one serves, the first returns when it answers again), and the same
 * for the public and business WebSocket hosts.
 */
export const sourcesInputs = {
  'sources.status': Empty,
};

export type ExchangeService = 'rest' | 'wsPublic' | 'wsBusiness';

export type SourceHealth = 'ok' | 'degraded' | 'down' | 'unknown';

export interface SourceStatus {
  /** A peer's id, or the host's URL. */
  id: string;
  kind: 'peer' | 'exchange';
  /** Which exchange service a host serves (REST, public or business WebSocket); null for peers. */
  service: ExchangeService | null;
  /** The peer's name or the host (e.g. www.okx.com). */
  name: string;
  /** Order within its kind: peers by their priority, hosts in failover order. */
  priority: number;
  /** Switched on in Settings › Sources (peers: as a backfill source; hosts: in their pool). */
  enabled: boolean;
  state: SourceHealth;
  /** English words (shipped first; scripts read it); the UI says `lastErrorReason`. */
  lastError: string | null;
  /** The same as a reason and parameters, said in the UI's language; null with no error. */
  lastErrorReason?: Reasoned | null;
  lastErrorAt: number | null;
  /** Latest request's time (hosts); null when unknown. */
  latencyMs: number | null;
  /** The host requests go to now (always false for peers). */
  active: boolean;
  /** Backfill pages this source served, rows refused and value disagreements (peers; 0 for hosts). */
  pages: number;
  refusals: number;
  disagreements: number;
}

export interface SourcesOutputs {
  'sources.status': { sources: SourceStatus[] };
}
