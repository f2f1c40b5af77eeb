import type { Reasoned } from '../../../preload/contract/reasons.js';
import type { ExchangeService, SourceStatus } from '../../../preload/contract/sources.js';
import type { SourceRef } from '../../../preload/contract/source-order.js';
import type { SourceRecords } from '../backfill/source-records.js';
import { hostOf, type HostHealth, type HostPool } from '../okx/host-pool.js';
import type { WsHostPool } from '../okx/ws-host-pool.js';
import type { StoredPeer } from '../receiver/peer-store.js';
import { transportOf } from '../receiver/peer-transport.js';
import { ordered } from '../settings/source-order.js';
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

const norm = (u: string) => u.replace(/\/+$/, '');

/**
 * `sources.status`: peers then the exchange's REST, public and business WS hosts, each kind in the
 * user's order (Settings › Sources) with its health; sources switched off there come last in their
 * kind, `enabled: false`.
 */
export function sourcesHandlers(deps: {
  peers: () => readonly StoredPeer[];
  records: SourceRecords;
  hosts: HostPool;
  /** Why a peer's last sync failed, as the receiver holds it (receiver-service errorReasonOf). */
  peerReason?: (p: StoredPeer) => Reasoned | null;
  wsHosts?: { public: WsHostPool; business: WsHostPool };
  /** Every host per service, before the order is applied (so switched-off hosts are listed too). */
  candidates?: Record<ExchangeService, () => readonly string[]>;
  order?: () => readonly SourceRef[];
  now?: () => number;
}): HandlersOf<'sources.status'> {
  return {
    'sources.status': () => {
      const now = (deps.now ?? Date.now)();
      const order = deps.order?.() ?? [];
      const records = new Map(deps.records.list().map((r) => [r.peerId, r]));
      const peerList = ordered('peer', deps.peers(), (p) => p.id, order);
      const inOrder = [...peerList.filter((o) => o.enabled), ...peerList.filter((o) => !o.enabled)];
      const peers = inOrder.map(({ item: p, enabled }, i): SourceStatus => {
        const r = records.get(p.id);
        const s = peerState(p, r?.lastRefusalAt ?? null, now, deps.peerReason ?? (() => null));
        const lastError = r?.lastRefusal ?? s.why ?? p.lastError;
        return {
          id: p.id,
          kind: 'peer',
          service: null,
          name: p.name,
          priority: i,
          enabled,
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
      const host =
        (service: ExchangeService) =>
        (h: HostHealth): SourceStatus => ({
          id: h.url,
          kind: 'exchange',
          service,
          name: h.host,
          priority: h.priority,
          enabled: true,
          state: h.state,
          lastError: h.lastError,
          lastErrorReason: h.lastErrorReason,
          lastErrorAt: h.lastErrorAt,
          latencyMs: h.latencyMs,
          active: h.active,
          pages: 0,
          refusals: 0,
          disagreements: 0,
        });
      const service = (s: ExchangeService, health: HostHealth[]): SourceStatus[] => {
        const on = health.map(host(s));
        const used = new Set(on.map((h) => h.id));
        const all = deps.candidates?.[s]().map(norm) ?? [];
        const off = ordered(s, all, (u) => u, order)
          .filter((o) => !used.has(o.item))
          .map(({ item }, i): SourceStatus => ({
            ...host(s)({
              url: item,
              host: hostOf(item),
              priority: on.length + i,
              state: 'unknown',
              lastError: null,
              lastErrorReason: null,
              lastErrorAt: null,
              latencyMs: null,
              active: false,
            }),
            enabled: false,
          }));
        return [...on, ...off];
      };
      const hosts = [
        ...service('rest', deps.hosts.health()),
        ...(deps.wsHosts ? service('wsPublic', deps.wsHosts.public.health()) : []),
        ...(deps.wsHosts ? service('wsBusiness', deps.wsHosts.business.health()) : []),
      ];
      return { sources: [...peers, ...hosts] };
    },
  };
}
