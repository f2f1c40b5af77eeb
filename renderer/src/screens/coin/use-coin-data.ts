import { useEffect, useRef, useState } from 'react';
import type { CoinSnapshot, LiquidationList } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';

/** The book and mark price move every few seconds: one call a second keeps the panel current. */
const SNAPSHOT_MS = 1_000;
const LIQUIDATIONS_MS = 5_000;
const DAY_MS = 86_400_000;

export interface Polled<T> {
  data: T | null;
  error: unknown;
}

/**
 * Polls a handler while the screen shows `coin` (there is no push for these figures); a failed
 * call keeps the last answer and shows the error until a call succeeds again.
 */
function usePoll<T>(coin: string | null, every: number, fetch: (coin: string) => Promise<T>): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: null, error: null });
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  useEffect(() => {
    setState({ data: null, error: null });
    if (!coin) return;
    let alive = true;
    let timer = 0;
    const run = () => {
      fetchRef
        .current(coin)
        .then(
          (data) => alive && setState({ data, error: null }),
          (error: unknown) => alive && setState((s) => ({ ...s, error })),
        )
        .finally(() => {
          if (alive) timer = window.setTimeout(run, every);
        });
    };
    run();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [coin, every]);
  return state;
}

const fetchSnapshot = (coin: string) => callApi('market.coin', { coin });
const fetchLiquidations = (coin: string) => {
  const to = Date.now() + 60_000;
  return callApi('market.liquidations', { coin, from: to - DAY_MS, to });
};

export const useCoinSnapshot = (coin: string | null): Polled<CoinSnapshot> => usePoll(coin, SNAPSHOT_MS, fetchSnapshot);
export const useLiquidations = (coin: string | null): Polled<LiquidationList> => usePoll(coin, LIQUIDATIONS_MS, fetchLiquidations);
