/**
 * The exchange as this node reaches it: one REST client for the whole node (collector and backfill
 * share OKX's per-endpoint budget) and one host pool per service (REST, public and business
 * sockets), each in the user's order from Settings › Sources, failing over to the next host and
 * back (issue 12). Part of the composition root, split out of create-node.ts.
 */
import type { NodeConfig } from './config.js';
import type { Logger } from './log/logger.js';
import type { HostResolver } from './net/resolver.js';
import { HostPool, hostOf } from './okx/host-pool.js';
import { defaultAlternates, defaultWsAlternates, restHostOrder } from './okx/hosts.js';
import { OkxRestClient } from './okx/index.js';
import { WsHostPool } from './okx/ws-host-pool.js';
import { orderHosts } from './settings/source-order.js';
import type { SettingsStore } from './settings/settings-store.js';

export type ExchangeHosts = ReturnType<typeof createExchangeHosts>;

export function createExchangeHosts(d: { config: NodeConfig; settings: SettingsStore; resolver: HostResolver; log: Logger }) {
  const { config, settings, resolver, log } = d;
  const exchange = () => ({ ...settings.get().exchange, ...config.exchange });
  // Every host of each service, before the user's order (Settings › Sources) is applied.
  const wsCandidates = (kind: 'public' | 'business') => {
    const primary = kind === 'public' ? exchange().wsPublic : exchange().wsBusiness;
    return restHostOrder(primary, config.exchangeWsAlternates?.[kind] ?? defaultWsAlternates(primary, kind));
  };
  const candidates = {
    rest: () => restHostOrder(exchange().rest, config.exchangeAlternates ?? defaultAlternates(exchange().rest)),
    wsPublic: () => wsCandidates('public'),
    wsBusiness: () => wsCandidates('business'),
  };
  const sourceOrder = () => settings.get().sourceOrder;
  const restHosts = new HostPool({
    hosts: () => orderHosts('rest', candidates.rest(), sourceOrder()),
    ...config.hostFailover,
    onSwitch: (from, to, why) => log.warn(`exchange requests go to ${hostOf(to)} now, not ${hostOf(from)} (${why})`),
  });
  // The full published limit: every call of this node goes through these queues, and pacing counts
  // from each answer's return (okx/pacer.ts), so the exchange never sees more than the limit.
  const okx = new OkxRestClient({
    baseUrl: () => restHosts.current(),
    limitFraction: 1,
    pacingMarginMs: 5,
    lookup: resolver.lookup,
    onResult: (base, r) => restHosts.record(base, r),
  });
  // The same for the sockets: one pool per kind, shared by every socket of that kind.
  const wsPool = (kind: 'public' | 'business') =>
    new WsHostPool({
      hosts: () => orderHosts(kind === 'public' ? 'wsPublic' : 'wsBusiness', wsCandidates(kind), sourceOrder()),
      lookup: resolver.lookup,
      ...config.wsFailover,
      onSwitch: (from, to, why) => log.warn(`${kind} sockets go to ${hostOf(to)} now, not ${hostOf(from)} (${why})`),
    });
  const wsHosts = { public: wsPool('public'), business: wsPool('business') };
  settings.onChange((_next, changed) => {
    // The user moved or switched hosts: sockets on a host that is no longer first (or is off) move.
    if (changed.includes('sourceOrder')) for (const p of [wsHosts.public, wsHosts.business]) p.reordered();
  });
  return {
    okx,
    restHosts,
    wsHosts,
    candidates,
    sourceOrder,
    close(): void {
      okx.close();
      wsHosts.public.close();
      wsHosts.business.close();
    },
  };
}
