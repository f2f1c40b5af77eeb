import type { Reasoned } from '../../../preload/contract/reasons.js';
import type { SourceStatus } from '../../../preload/contract/sources.js';
import type { SourceRecords } from '../backfill/source-records.js';
import type { HostPool } from '../okx/host-pool.js';
import type { StoredPeer } from '../receiver/peer-store.js';
import { transportOf } from '../receiver/peer-transport.js';
import type { HandlersOf } from './types.js';

/** A refusal this recent leaves a peer "degraded". */
const RECENT_MS = 60 * 60_000;

interface Why {
  state: SourceStatus['state'];
  why: string | null;
  reason: Reasoned | null;
}

function peerState(p: StoredPeer, refusedAt: number | null, now: number, reasonOf: (p: StoredPeer) => Reasoned | null): Why {
  if (!p.enabled) return { state: 'down', why: 'switched off', reason: { reason: 'peer.disabled', params: { name: p.name } } };
  if (transportOf(p).kind === 'needs_pairing') return { state: 'down', why: 'not paired', reason: { reason: 'peer.pairing_required' } };
  if (p.state === 'auth_failed' || p.state === 'identity_changed' || p.state === 'pairing_required')
    return { state: 'down', why: p.lastError, reason: reasonOf(p) };
  if (p.state === 'backing_off' || (refusedAt !== null && now - refusedAt < RECENT_MS))
    return { state: 'degraded', why: null, reason: null };
  return { state: p.lastSeen === null ? 'unknown' : 'ok', why: null, reason: null };
}

/** `sources.status`: peers (priority order) then the exchange's hosts (failover order), each with its health. */
export function sourcesHandlers(deps: {
  peers: () => readonly StoredPeer[];
  records: SourceRecords;
  hosts: HostPool;
  /** Why a peer's last sync failed, as the receiver holds it (receiver-service errorReasonOf). */
  peerReason?: (p: StoredPeer) => Reasoned | null;
  now?: () => number;
}): HandlersOf<'sources.status'> {
  return {
    'sources.status': () => {
      const now = (deps.now ?? Date.now)();
      const records = new Map(deps.records.list().map((r) => [r.peerId, r]));
      const peers = deps.peers().map((p, i): SourceStatus => {
        const r = records.get(p.id);
        const s = peerState(p, r?.lastRefusalAt ?? null, now, deps.peerReason ?? (() => null));
        const lastError = r?.lastRefusal ?? s.why ?? p.lastError;
        return {
          id: p.id,
          kind: 'peer',
          name: p.name,
          priority: i,
          state: s.state,
          lastError,
          // The same choice as the text: the last refusal, else why it is down, else the last sync error.
          lastErrorReason:
            lastError === null
              ? null
              : r?.lastRefusal
                ? r.lastRefusalReason
                : (s.reason ?? deps.peerReason?.(p) ?? { reason: 'peer.last_failed' }),
          lastErrorAt: r?.lastRefusalAt ?? null,
          latencyMs: null,
          active: false,
          pages: r?.pages ?? 0,
          refusals: r?.refusals ?? 0,
          disagreements: r?.disagreements ?? 0,
        };
      });
      const hosts = deps.hosts.health().map((h): SourceStatus => ({
        id: h.url,
        kind: 'exchange',
        name: h.host,
        priority: h.priority,
        state: h.state,
        lastError: h.lastError,
        lastErrorReason: h.lastErrorReason,
        lastErrorAt: h.lastErrorAt,
        latencyMs: h.latencyMs,
        active: h.active,
        pages: 0,
        refusals: 0,
        disagreements: 0,
      }));
      return { sources: [...peers, ...hosts] };
    },
  };
}
