/**
 * The Sum curve's Day series, asked for once the UI is idle after start and kept true, so the
 * screen's first open paints without a round trip to the node (it was about a quarter of the
 * first open's click-to-paint). Every load of the screen goes through `fetchSumSeries`, so a
 * request already on its way (the prefetch, or the last one) is joined, never sent twice.
 *
 * Why a kept answer stays true: the series changes only when grid_prices rows change (the node
 * announces every commit as `data.changed`, and the live grid writer also as `market.grid`), when
 * the coin selection changes, or when the clock passes the next grid point (the node returns slots
 * only up to the current one). Each of these drops it; so does a dropped event socket, as events
 * sent while it is down are lost. A dropped answer is asked for again once things are quiet.
 */
import { GRID_MS, gridFloor } from '../../../../preload/contract/grid-time';
import type { SumSeries } from '../../../../preload/contract';
import { getApi, getConnection } from '../../bridge';
import { callApi } from '../../bridge/use-call';
import { useSettingsStore } from '../../state/settings-store';
import { presetRange, type TimeRange } from './range';

/** A burst of commits (a backfill, a peer sync) is one refetch after it, not one per commit. */
const QUIET_MS = 1_000;

interface Kept {
  key: string;
  series: SumSeries;
  /** The next grid point after the answer: from then on the node's answer has one more slot. */
  until: number;
}

let kept: Kept | null = null;
let inflight: { key: string; gen: number; promise: Promise<SumSeries> } | null = null;
/** Bumped by every invalidation: an answer asked for before it is not kept. */
let gen = 0;

/**
 * The request's identity. A range of at most `maxPoints` grid slots comes back whole whatever
 * `maxPoints` is (the node thins only longer ones), so the width of the window does not split it.
 */
function keyOf(r: TimeRange, maxPoints: number): string {
  const slots = Math.ceil((r.to - r.from) / GRID_MS);
  return `${r.from}-${r.to}-${Math.min(maxPoints, slots)}`;
}

const isDayRange = (r: TimeRange) => {
  const d = presetRange('day');
  return r.from === d.from && r.to === d.to;
};

/** The kept answer for this request, when it is still true; null otherwise. */
export function keptSumSeries(r: TimeRange, maxPoints: number): SumSeries | null {
  if (!kept || kept.key !== keyOf(r, maxPoints)) return null;
  if (Date.now() >= kept.until) {
    kept = null;
    return null;
  }
  return kept.series;
}

/** The series from the node, joining a request for the same thing already on its way; Day answers are kept. */
export function fetchSumSeries(r: TimeRange, maxPoints: number): Promise<SumSeries> {
  const key = keyOf(r, maxPoints);
  if (inflight && inflight.key === key && inflight.gen === gen) return inflight.promise;
  // Asked while the event socket is down, an answer could miss the change that follows it.
  const asked = getConnection().get() === 'live' ? gen : -1;
  const at = Date.now();
  const promise = callApi('market.sumSeries', { ...r, maxPoints });
  const mine = { key, gen: asked, promise };
  inflight = mine;
  const done = () => {
    if (inflight === mine) inflight = null;
  };
  promise.then((series) => {
    done();
    if (asked === gen && isDayRange(r)) kept = { key, series, until: gridFloor(at) + GRID_MS };
  }, done);
  return promise;
}

function invalidate(): void {
  gen += 1;
  kept = null;
}

const dayRequest = () => fetchSumSeries(presetRange('day'), 200);

/**
 * Starts the prefetch (when the browser is idle and the event socket is up, after the first
 * screen) and the invalidation. Returns the teardown.
 */
export function startSumPrefetch(): () => void {
  const api = getApi();
  const conn = getConnection();
  let quiet: ReturnType<typeof setTimeout> | undefined;
  let down = false;
  let started = false;
  const ask = () => void dayRequest().catch(() => undefined);
  const again = () => {
    invalidate();
    clearTimeout(quiet);
    quiet = setTimeout(ask, QUIET_MS);
  };
  const first = () => {
    if (started) return;
    started = true;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(ask, { timeout: 2_000 });
    else setTimeout(ask, 500);
  };
  const offs = [
    api.on('data.changed', (d) => {
      if (d.table === 'grid_prices') again();
    }),
    api.on('market.grid', (g) => {
      const d = presetRange('day');
      if (g.from < d.to && g.to > d.from) again();
    }),
    conn.subscribe((state) => {
      if (state !== 'live') {
        down = true;
        invalidate();
      } else if (down && started) {
        down = false;
        again();
      } else first();
    }),
    useSettingsStore.subscribe((s, prev) => {
      // The first load is not a change: the kept answer was summed over these coins.
      if (prev.settings && JSON.stringify(s.settings?.coins) !== JSON.stringify(prev.settings.coins)) again();
    }),
  ];
  if (conn.get() === 'live') first();
  return () => {
    clearTimeout(quiet);
    offs.forEach((off) => off());
  };
}
