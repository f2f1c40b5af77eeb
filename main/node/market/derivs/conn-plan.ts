import type { DerivStreamName } from '../../../../preload/contract/market.js';
import type { OkxWsSubArg } from '../../okx/schemas.js';
import type { StreamContext, StreamSpec } from './streams.js';

/** The per-coin streams share one pool of connections; OKX001 (every swap, a list that changes) has its own. */
export type Pool = 'coins' | 'swaps';
export const poolOf = (s: StreamSpec): Pool => (s.name === 'swapTickers' ? 'swaps' : 'coins');

export interface ConnPlan {
  args: OkxWsSubArg[];
  streams: Set<DerivStreamName>;
  pool: Pool;
}

/**
 * Packs the streams' args into connections of at most `max` args (OKX closes a connection that
 * holds too many with 4009, and publishes no number for public channels), one pool at a time.
 */
export function planConnections(specs: readonly StreamSpec[], ctx: StreamContext, max: number, only?: Pool): ConnPlan[] {
  const groups: ConnPlan[] = [];
  for (const spec of specs) {
    const pool = poolOf(spec);
    if (only && pool !== only) continue;
    for (const arg of spec.args(ctx)) {
      let g = groups[groups.length - 1];
      if (!g || g.args.length >= Math.max(1, max) || g.pool !== pool) groups.push((g = { args: [], streams: new Set(), pool }));
      g.args.push(arg);
      g.streams.add(spec.name);
    }
  }
  return groups;
}
