/**
 * Missing spans of the sum curve: runs of grid slots with no sum point. The line is broken there
 * (the series gets whitespace, and the segment that would bridge the run is transparent), and a
 * shaded band with a short label says why (the BF001 missing list, or "no data").
 */
import type { IChartApi, Time } from 'lightweight-charts';
import type { MissingReason, SumPoint } from '../../../../preload/contract';
import { GRID_MS } from '../../../../preload/contract/grid-time';
import { callApi } from '../../bridge/use-call';

/** One run of empty grid slots, [from, to) in UTC epoch ms, with its neighbours' chart times. */
export interface Gap {
  from: number;
  to: number;
  /** Index of the last drawn point before the run, or -1. */
  before: number;
  /** Index of the first drawn point after the run, or -1. */
  after: number;
  first: number;
  last: number;
}

/** More gaps than this are shaded only for the first ones: a band per gap costs a DOM node. */
const MAX_BANDS = 400;

/**
 * The runs of null sums, leading and trailing runs included. A null at the very end is the grid
 * point being written now, not a gap.
 */
export function findGaps(points: SumPoint[]): Gap[] {
  const gaps: Gap[] = [];
  let start = -1;
  let lastDrawn = -1;
  const end = points.length > 0 && points[points.length - 1]!.sum === null ? points.length - 1 : points.length;
  for (let i = 0; i < end; i++) {
    const p = points[i]!;
    if (p.sum === null) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) gaps.push(gapOf(points, start, i - 1, lastDrawn, i));
    start = -1;
    lastDrawn = i;
  }
  if (start >= 0) gaps.push(gapOf(points, start, end - 1, lastDrawn, -1));
  return gaps;
}

function gapOf(points: SumPoint[], first: number, last: number, before: number, after: number): Gap {
  return { from: points[first]!.ts, to: points[last]!.ts + GRID_MS, before, after, first, last };
}

export interface GapLabels {
  /** Text of a band: the reasons (localized) or "no data". */
  reason: (reasons: MissingReason[]) => string;
  /** Fetches the BF001 reasons of a span; rejects or returns [] when unknown. */
  fetchReasons?: (from: number, to: number) => Promise<MissingReason[]>;
}

/** Shaded bands over the chart pane, kept in place as the user pans and zooms. */
export class GapLayer {
  private gaps: Gap[] = [];
  private times: Time[] = [];
  private readonly bands: HTMLDivElement[] = [];
  private readonly reasons = new Map<string, MissingReason[]>();
  private frame = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly chart: IChartApi,
    private readonly labels: GapLabels,
  ) {
    chart.timeScale().subscribeVisibleLogicalRangeChange(this.schedule);
    chart.timeScale().subscribeSizeChange(this.schedule);
  }

  set(gaps: Gap[], times: Time[]): void {
    this.gaps = gaps;
    this.times = times;
    const n = Math.min(gaps.length, MAX_BANDS);
    while (this.bands.length > n) this.bands.pop()!.remove();
    while (this.bands.length < n) {
      const b = document.createElement('div');
      b.className = 'chart-gap';
      b.setAttribute('data-testid', 'sum-gap');
      b.appendChild(document.createElement('span'));
      this.host.appendChild(b);
      this.bands.push(b);
    }
    for (let i = 0; i < n; i++) this.label(i);
    this.schedule();
  }

  /** The gap under pane x, if any. */
  at(x: number): { gap: Gap; text: string } | null {
    for (let i = 0; i < Math.min(this.gaps.length, this.bands.length); i++) {
      const b = this.bands[i]!;
      if (b.style.display === 'none') continue;
      const left = b.offsetLeft;
      if (x >= left && x <= left + b.offsetWidth) return { gap: this.gaps[i]!, text: b.title };
    }
    return null;
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.schedule);
    this.chart.timeScale().unsubscribeSizeChange(this.schedule);
    for (const b of this.bands) b.remove();
  }

  private label(i: number): void {
    const g = this.gaps[i]!;
    const key = `${g.from}-${g.to}`;
    const band = this.bands[i]!;
    band.setAttribute('data-from', String(g.from));
    band.setAttribute('data-to', String(g.to));
    const apply = (r: MissingReason[]) => {
      const text = this.labels.reason(r);
      band.title = text;
      band.firstElementChild!.textContent = text;
    };
    const known = this.reasons.get(key);
    apply(known ?? []);
    if (known || !this.labels.fetchReasons || i >= 50) return;
    this.reasons.set(key, []);
    this.labels.fetchReasons(g.from, g.to).then(
      (r) => {
        this.reasons.set(key, r);
        if (this.gaps[i] === g) apply(r);
      },
      () => undefined,
    );
  }

  private readonly schedule = (): void => {
    if (!this.frame) this.frame = requestAnimationFrame(this.place);
  };

  private readonly place = (): void => {
    this.frame = 0;
    const ts = this.chart.timeScale();
    const width = ts.width();
    const bottom = ts.height();
    const x = (i: number) => (i < 0 ? null : ts.timeToCoordinate(this.times[i]!));
    for (let i = 0; i < this.bands.length; i++) {
      const g = this.gaps[i]!;
      const l = x(g.before) ?? x(g.first);
      const r = x(g.after) ?? x(g.last);
      const b = this.bands[i]!;
      if (l === null || r === null || r < 0 || l > width) {
        b.style.display = 'none';
        continue;
      }
      const left = Math.max(0, l);
      const w = Math.max(2, Math.min(width, r) - left);
      b.style.display = 'block';
      b.style.left = `${left}px`;
      b.style.width = `${w}px`;
      b.style.bottom = `${bottom}px`;
      b.classList.toggle('narrow', w < 70);
    }
  };
}

/** The BF001 reasons of a missing span, most frequent first. */
export async function missingReasons(from: number, to: number): Promise<MissingReason[]> {
  const m = await callApi('backfill.missing', { from, to, limit: 2_000 });
  const counts = new Map<MissingReason, number>();
  for (const r of m.rows) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([r]) => r);
}
