/**
 * Per-coin change % series for the sum curve's overlay, built from market.day (one call per UTC+8
 * day of the range, a few at a time). Days are cached until a market.grid event touches them.
 */
import type { DayTable } from '../../../../preload/contract';
import { daysBetween } from '../../../../preload/contract/grid-time';
import { callApi } from '../../bridge/use-call';
import type { OverlayLine } from './sum-chart';

/** Longest range the overlay fetches day by day (30 calls); longer ranges show the sum only. */
export const OVERLAY_MAX_DAYS = 31;
const PARALLEL = 4;

/** Distinct hues that read on the dark panel and differ from the sum's blue. */
export const OVERLAY_COLORS = ['#f5c542', '#c678dd', '#56b6c2', '#e06c75', '#98c379', '#ff9f43', '#a29bfe', '#fd79a8'];

export class DayCache {
  private readonly days = new Map<string, Promise<DayTable>>();

  get(day: string): Promise<DayTable> {
    let p = this.days.get(day);
    if (!p) {
      p = callApi('market.day', { date: day });
      // A failed day is not cached: the next request tries again.
      p.catch(() => this.days.delete(day));
      this.days.set(day, p);
    }
    return p;
  }

  /** Forget the days a grid change touched. */
  invalidate(from: number, to: number): void {
    for (const d of daysBetween(from, to)) this.days.delete(d);
  }
}

export async function overlayLines(cache: DayCache, coins: string[], from: number, to: number): Promise<OverlayLine[]> {
  const days = daysBetween(from, to);
  const tables: DayTable[] = new Array(days.length);
  let next = 0;
  const worker = async () => {
    while (next < days.length) {
      const i = next++;
      tables[i] = await cache.get(days[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, days.length) }, worker));
  const now = Date.now();
  return coins.map((coin, k) => {
    const points: OverlayLine['points'] = [];
    for (const table of tables) {
      const col = table.coins.indexOf(coin);
      for (const row of table.rows) {
        if (row.ts < from || row.ts >= to || row.ts > now) continue;
        points.push({ ts: row.ts, value: col < 0 ? null : (row.changes[col] ?? null) });
      }
    }
    return { coin, color: OVERLAY_COLORS[k % OVERLAY_COLORS.length]!, points };
  });
}
