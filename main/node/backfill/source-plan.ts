/**
 * Which source serves which part of a job: per coin and UTC+8 day, the first peer (in priority
 * order) whose coverage holds every bar the day needs; the rest goes to the exchange. Runs of days
 * with the same source become pages: exchange pages of at most 300 bars (one request), peer pages
 * larger (one range pull), so a peer saves several exchange requests per pull.
 */
import { DAY_MS, dayOf, dayStartOf } from '../market/grid-time.js';
import { barOpenAt, OKX_BARS, type OkxBar } from '../okx/index.js';
import { barCeil, splitWindows } from '../okx/candle-pages.js';
import { MAX_RANGE_MS } from '../datasets/cells.js';
import type { PeerCoverage } from './peer-sources.js';

/** Bars per peer page: within the sender's default page size (5,000 rows) and its 31-day range cap. */
export const PEER_PAGE_BARS = 1_000;

export interface PlannedPage {
  coin: string;
  start: number;
  end: number;
  /** A peer's id, or null for the exchange. */
  source: string | null;
}

export interface PeerCover {
  id: string;
  cov: PeerCoverage;
  /** `coin day` → hash of that day's values (the coverage answer's), for the peer-vs-peer cross-check. */
  hashes?: ReadonlyMap<string, string>;
}

/** Per `coin day`: peers not to take that day from (the cross-check found them wrong, peer-crosscheck.ts). */
export type DaySkips = ReadonlyMap<string, ReadonlySet<string>>;

/** Bar opens in [a, b) that have opened by `now`. */
export function barsIn(bar: OkxBar, a: number, b: number, now: number): number {
  const size = OKX_BARS[bar].ms;
  const first = barCeil(bar, a);
  const last = Math.min(b - 1, barOpenAt(bar, now));
  return last < first ? 0 : Math.floor((last - first) / size) + 1;
}

export const peerPageBars = (bar: OkxBar): number => Math.max(1, Math.min(PEER_PAGE_BARS, Math.floor(MAX_RANGE_MS / OKX_BARS[bar].ms)));

/** The first peer (not in `skip`) holding every bar of [start, end) for `coin`, else null. */
export function coverFor(
  peers: readonly PeerCover[],
  bar: OkxBar,
  coin: string,
  start: number,
  end: number,
  now: number,
  skip: ReadonlySet<string> = new Set(),
): string | null {
  for (const p of peers) {
    if (skip.has(p.id)) continue;
    const byDay = p.cov.get(coin);
    if (!byDay) continue;
    let ok = true;
    for (let d = dayStartOf(start); d < end && ok; d += DAY_MS) {
      const need = barsIn(bar, Math.max(start, d), Math.min(end, d + DAY_MS), now);
      if (need > 0 && (byDay.get(dayOf(d)) ?? 0) < need) ok = false;
    }
    if (ok) return p.id;
  }
  return null;
}

/** Pages of one coin's [start, end), each with its source. */
export function sourcedPages(
  peers: readonly PeerCover[],
  coin: string,
  bar: OkxBar,
  start: number,
  end: number,
  now: number,
  skips?: DaySkips,
): PlannedPage[] {
  if (peers.length === 0) return splitWindows(coin, bar, start, end).map((w) => ({ coin, start: w.start, end: w.end, source: null }));
  // Runs of days with one source; a run's edges fall on bar opens (day starts are bar opens for bars ≤ 1 day).
  const runs: { start: number; end: number; source: string | null }[] = [];
  for (let d = dayStartOf(start); d < end; d += DAY_MS) {
    const a = Math.max(start, d);
    const b = Math.min(end, d + DAY_MS);
    const source = coverFor(peers, bar, coin, a, b, now, skips?.get(`${coin} ${dayOf(d)}`));
    const last = runs[runs.length - 1];
    if (last && last.source === source) last.end = b;
    else runs.push({ start: a, end: b, source });
  }
  return runs.flatMap((r) =>
    splitWindows(coin, bar, r.start, r.end, r.source === null ? undefined : peerPageBars(bar)).map((w) => ({
      coin,
      start: w.start,
      end: w.end,
      source: r.source,
    })),
  );
}
