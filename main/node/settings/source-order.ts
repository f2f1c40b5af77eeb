/**
 * The user's source order (settings.sourceOrder, preload/contract/source-order.ts) applied to what
 * exists now: peers for backfill, hosts for each exchange service's failover pool. Listed sources
 * come first in the listed order; the rest keep their default order after them; listed-off ones are
 * left out (a pool is never left empty: with every host of a service off it keeps the default list,
 * which the settings schema already refuses).
 */
import type { SourceKind, SourceRef } from '../../../preload/contract/source-order.js';

const norm = (u: string) => u.replace(/\/+$/, '');
const keyOf = (kind: SourceKind, id: string) => `${kind} ${kind === 'peer' ? id : norm(id)}`;

export interface Ordered<T> {
  item: T;
  enabled: boolean;
}

/** Every item of `kind` in the user's order (listed first, then the rest by default order), with its on/off. */
export function ordered<T>(kind: SourceKind, items: readonly T[], idOf: (t: T) => string, order: readonly SourceRef[]): Ordered<T>[] {
  const rank = new Map<string, { at: number; enabled: boolean }>();
  order.forEach((s, at) => {
    if (s.kind === kind) rank.set(keyOf(kind, s.id), { at, enabled: s.enabled });
  });
  return items
    .map((item, i) => {
      const r = rank.get(keyOf(kind, idOf(item)));
      return { item, enabled: r?.enabled ?? true, at: r ? r.at : order.length + i };
    })
    .sort((a, b) => a.at - b.at)
    .map(({ item, enabled }) => ({ item, enabled }));
}

/** The hosts of one service the pool may use, in order. */
export function orderHosts(kind: Exclude<SourceKind, 'peer'>, urls: readonly string[], order: readonly SourceRef[]): string[] {
  const on = ordered(kind, urls, (u) => u, order)
    .filter((o) => o.enabled)
    .map((o) => o.item);
  return on.length > 0 ? on : [...urls];
}

/** The peers backfill may ask, in order (peers switched off as a source are left out). */
export function orderPeers<T extends { id: string }>(peers: readonly T[], order: readonly SourceRef[]): T[] {
  return ordered('peer', peers, (p) => p.id, order)
    .filter((o) => o.enabled)
    .map((o) => o.item);
}
