import type { ExchangeService, SourceStatus } from '../../../preload/contract/sources.js';
import type { SourceRecords } from '../backfill/source-records.js';
import type { HostHealth, HostPool } from '../okx/host-pool.js';
import type { WsHostPool } from '../okx/ws-host-pool.js';
import type { StoredPeer } from '../receiver/peer-store.js';
import { transportOf } from '../receiver/peer-transport.js';
import type { HandlersOf } from './types.js';

/** A refusal this recent leaves a peer "degraded". */
const RECENT_MS = 60 * 60_000;

function peerState(p: StoredPeer, refusedAt: number | null, now: number): { state: SourceStatus['state']; why: string | null } {
  if (!p.enabled) return { state: 'down', why: 'switched off' };
  if (transportOf(p).kind === 'needs_pairing') return { state: 'down', why: 'not paired' };
  if (p.state === 'auth_failed' || p.state === 'identity_changed' || p.state === 'pairing_required')
    return { state: 'down', why: p.lastError };
  if (p.state === 'backing_off' || (refusedAt !== null && now - refusedAt < RECENT_MS)) return { state: 'degraded', why: null };
  return { state: p.lastSeen === null ? 'unknown' : 'ok', why: null };
}

/** `sources.status`: peers (priority order) then the exchange's REST, public and business WS hosts (failover order), each with its health. */
export function sourcesHandlers(deps: {
  peers: () => readonly StoredPeer[];
  records: SourceRecords;
  hosts: HostPool;
  wsHosts?: { public: WsHostPool; business: WsHostPool };
  now?: () => number;
}): HandlersOf<'sources.status'> {
  return {
    'sources.status': () => {
      const now = (deps.now ?? Date.now)();
      const records = new Map(deps.records.list().map((r) => [r.peerId, r]));
      const peers = deps.peers().map((p, i): SourceStatus => {
        const r = records.get(p.id);
        const s = peerState(p, r?.lastRefusalAt ?? null, now);
        return {
          id: p.id,
          kind: 'peer',
          service: null,
          name: p.name,
          priority: i,
          state: s.state,
          lastError: r?.lastRefusal ?? s.why ?? p.lastError,
          lastErrorAt: r?.lastRefusalAt ?? null,
          latencyMs: null,
          active: false,
          pages: r?.pages ?? 0,
          refusals: r?.refusals ?? 0,
          disagreements: r?.disagreements ?? 0,
        };
      });
      const host =
        (service: ExchangeService) =>
        (h: HostHealth): SourceStatus => ({
          id: h.url,
          kind: 'exchange',
          service,
          name: h.host,
          priority: h.priority,
          state: h.state,
          lastError: h.lastError,
          lastErrorAt: h.lastErrorAt,
          latencyMs: h.latencyMs,
          active: h.active,
          pages: 0,
          refusals: 0,
          disagreements: 0,
        });
      const hosts = [
        ...deps.hosts.health().map(host('rest')),
        ...(deps.wsHosts?.public.health().map(host('wsPublic')) ?? []),
        ...(deps.wsHosts?.business.health().map(host('wsBusiness')) ?? []),
      ];
      return { sources: [...peers, ...hosts] };
    },
  };
}
