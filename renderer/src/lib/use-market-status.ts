import { useEffect, useState } from 'react';
import type { MarketStatus } from '../../../preload/contract';
import { getApi } from '../bridge';
import { callApi } from '../bridge/use-call';

/**
 * The collector's status: one market.status call, then the node's periodic `market.status` event
 * (every 2 s), so nothing polls. `receivedAt` is the local clock when it arrived, for ages.
 */
export function useMarketStatus(): { status: MarketStatus | null; receivedAt: number; error: unknown } {
  const [state, setState] = useState<{ status: MarketStatus | null; receivedAt: number; error: unknown }>({
    status: null,
    receivedAt: 0,
    error: null,
  });
  useEffect(() => {
    let alive = true;
    const set = (status: MarketStatus) => alive && setState({ status, receivedAt: Date.now(), error: null });
    const off = getApi().on('market.status', set);
    callApi('market.status', {}).then(
      (s) => setState((old) => (old.status && old.status.now >= s.now ? old : { status: s, receivedAt: Date.now(), error: null })),
      (e: unknown) => alive && setState((old) => ({ ...old, error: e })),
    );
    return () => {
      alive = false;
      off();
    };
  }, []);
  return state;
}
