import { useEffect, useRef, useState } from 'react';
import type { CoinSnapshot } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';

/** Funding changes hourly and OI every few minutes: a refresh every 10 s is plenty for a table. */
const REFRESH_MS = 10_000;

export interface Derivs {
  fundingRate: number | null;
  openInterest: number | null;
  oiChange24hPct: number | null;
}

/**
 * Funding rate and open interest per coin for the Overview table, from market.coin (there is no
 * event for them). Coins are asked one after another so the node never gets a burst of 27 calls;
 * a coin whose call fails keeps its last figures.
 */
export function useDerivatives(coins: readonly string[]): ReadonlyMap<string, Derivs> {
  const [map, setMap] = useState<ReadonlyMap<string, Derivs>>(new Map());
  const coinsRef = useRef(coins);
  coinsRef.current = coins;
  const key = coins.join(',');

  useEffect(() => {
    let alive = true;
    let timer = 0;
    const round = async () => {
      const next = new Map<string, Derivs>();
      for (const coin of coinsRef.current) {
        if (!alive) return;
        try {
          next.set(coin, derivsOf(await callApi('market.coin', { coin })));
        } catch {
          // No figures for this coin this round (the stream is off, or an older node): the cell shows —.
        }
      }
      if (!alive) return;
      setMap((old) => new Map([...old].filter(([c]) => coinsRef.current.includes(c)).concat([...next])));
      timer = window.setTimeout(() => void round(), REFRESH_MS);
    };
    void round();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [key]);
  return map;
}

const derivsOf = (s: CoinSnapshot): Derivs => ({
  fundingRate: s.fundingRate.value,
  openInterest: s.openInterest.value,
  oiChange24hPct: s.openInterestChange24hPct,
});
