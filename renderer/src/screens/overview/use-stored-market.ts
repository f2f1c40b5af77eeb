import { useEffect, useRef, useState } from 'react';
import type { StoredMarket, StoredPrice } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';
import { useNodeEvent } from '../../lib/use-event';

/** Tables whose commits change what market.stored answers. */
const TABLES = new Set(['ticks', 'baselines']);
/** At most one refetch per this many ms, however fast peers push rows. */
const REFETCH_MS = 1_000;

export interface StoredView {
  stored: StoredMarket | null;
  rows: ReadonlyMap<string, StoredPrice>;
  error: unknown;
}

/**
 * PT001 as stored (synced from peers or written here) with baselines and source peers: loaded once,
 * refetched when ticks or baselines commit (data.changed) or the coin selection changes.
 */
export function useStoredMarket(): StoredView {
  const [view, setView] = useState<StoredView>({ stored: null, rows: new Map(), error: null });
  const timer = useRef<number>(0);
  const alive = useRef(true);

  const load = () => {
    callApi('market.stored', {}).then(
      (stored) => alive.current && setView({ stored, rows: new Map(stored.rows.map((r) => [r.coin, r])), error: null }),
      (error: unknown) => alive.current && setView((v) => ({ ...v, error })),
    );
  };
  const schedule = () => {
    if (timer.current) return;
    timer.current = window.setTimeout(() => {
      timer.current = 0;
      load();
    }, REFETCH_MS);
  };

  useEffect(() => {
    alive.current = true;
    load();
    return () => {
      alive.current = false;
      if (timer.current) clearTimeout(timer.current);
      timer.current = 0;
    };
  }, []);
  useNodeEvent('data.changed', (c) => TABLES.has(c.table) && schedule());
  useNodeEvent('settings.changed', () => schedule());
  return view;
}
