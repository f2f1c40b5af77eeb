import { useEffect, useRef, useState } from 'react';
import type { LiveRow, LiveSum } from '../../../preload/contract';
import { getApi } from '../bridge';
import { callApi } from '../bridge/use-call';

export interface LiveMarket {
  coins: string[];
  rows: ReadonlyMap<string, LiveRow>;
  sum: LiveSum | null;
  /** How many market.tick events this view has received (a test can see it move). */
  ticks: number;
  error: unknown;
}

const newer = (a: LiveSum | null, b: LiveSum | null): LiveSum | null => (!a ? b : !b ? a : (b.ts ?? 0) >= (a.ts ?? 0) ? b : a);

/**
 * The node's live state: one market.live snapshot, then every market.tick / market.sum event.
 * Events are folded into a pending copy and published once per animation frame, so a burst of
 * ticks (a REST poll updates every coin at once) costs one render, and each frame shows the latest.
 */
export function useLiveMarket(): LiveMarket {
  const [state, setState] = useState<LiveMarket>({ coins: [], rows: new Map(), sum: null, ticks: 0, error: null });
  const pending = useRef({ rows: new Map<string, LiveRow>(), sum: null as LiveSum | null, ticks: 0, coins: [] as string[] });
  const frame = useRef(0);

  useEffect(() => {
    let alive = true;
    const p = pending.current;
    const flush = () => {
      frame.current = 0;
      if (!alive) return;
      setState({ coins: p.coins, rows: new Map(p.rows), sum: p.sum, ticks: p.ticks, error: null });
    };
    const schedule = () => {
      if (frame.current) return;
      // A hidden tab gets no animation frames; a timer keeps the state current for when it returns.
      frame.current = document.hidden ? window.setTimeout(flush, 250) : requestAnimationFrame(flush);
    };
    const keepNewest = (row: LiveRow) => {
      const old = p.rows.get(row.coin);
      if (!old || row.ts >= old.ts) p.rows.set(row.coin, row);
      if (!p.coins.includes(row.coin)) p.coins = [...p.coins, row.coin];
    };
    const api = getApi();
    const offs = [
      api.on('market.tick', ({ row, sum }) => {
        keepNewest(row);
        p.sum = newer(p.sum, sum);
        p.ticks += 1;
        schedule();
      }),
      api.on('market.sum', (sum) => {
        p.sum = newer(p.sum, sum);
        schedule();
      }),
    ];
    callApi('market.live', {}).then(
      (snap) => {
        // Ticks that arrived while the snapshot was in flight are newer: keep them.
        for (const row of snap.rows) keepNewest(row);
        p.coins = [...snap.coins, ...p.coins.filter((c) => !snap.coins.includes(c))];
        p.sum = newer(snap.sum, p.sum);
        schedule();
      },
      (e: unknown) => alive && setState((s) => ({ ...s, error: e })),
    );
    return () => {
      alive = false;
      offs.forEach((off) => off());
      if (frame.current) {
        cancelAnimationFrame(frame.current);
        clearTimeout(frame.current);
      }
    };
  }, []);
  return state;
}
