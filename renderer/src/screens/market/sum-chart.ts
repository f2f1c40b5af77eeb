/**
 * The sum curve, imperative: lightweight-charts owns its canvas and is fed data directly, so a
 * live tick or a mouse move never re-renders React. Times are UTC epoch ms in our data; the chart
 * gets them shifted by +8 h, so its own (UTC) axis labels read as UTC+8 wall time.
 */
import {
  createChart,
  createSeriesMarkers,
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type LineData,
  type MouseEventParams,
  type SeriesMarker,
  type TickMarkType,
  type Time,
  type UTCTimestamp,
  type WhitespaceData,
} from 'lightweight-charts';
import type { LiveSum, SumPoint } from '../../../../preload/contract';
import { GRID_MS, UTC8_OFFSET_MS } from '../../../../preload/contract/grid-time';
import { signedPct, utc8DateTime } from '../../lib/market-format';
import type { Locale } from '../../i18n';
import { crosshairLabel, tickLabel } from './chart-format';
import { DragSelect } from './chart-select';
import { findGaps, GapLayer, type GapLabels } from './gaps';

export const toChartTime = (ts: number) => ((ts + UTC8_OFFSET_MS) / 1000) as UTCTimestamp;
const fromChartTime = (t: number) => t * 1000 - UTC8_OFFSET_MS;

/** More incomplete points than this are shown by colour only: thousands of markers cost frames. */
const MAX_MARKERS = 1_500;
/** Pixels kept free left of the first point by fit(): half the widest date label. */
const LEFT_PAD_PX = 36;

const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export interface ChartLabels extends GapLabels {
  locale: Locale;
  coverage: (n: number, total: number) => string;
  live: string;
  empty: string;
}

/** A segment takes the colour of the point it starts from: this one hides the bridge over a gap. */
const HIDDEN = 'rgba(0,0,0,0)';

export interface OverlayLine {
  coin: string;
  color: string;
  points: { ts: number; value: number | null }[];
}

export class SumChart {
  private readonly chart: IChartApi;
  private readonly pane: HTMLDivElement;
  private readonly sum: ISeriesApi<'Line'>;
  private readonly live: ISeriesApi<'Line'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private readonly tooltip: HTMLDivElement;
  private readonly gapLayer: GapLayer;
  private readonly select: DragSelect;
  private readonly byTime = new Map<number, SumPoint>();
  private overlays = new Map<string, ISeriesApi<'Line'>>();
  private lastPoint: SumPoint | null = null;
  private liveSum: LiveSum | null = null;
  private liveFrame = 0;
  /** Time points of the grid series, and whether the live tip adds one after them. */
  private slots = 0;
  private lastSlot = 0;
  private liveBeyond = false;
  private dense = false;
  private readonly colors = {
    line: css('--accent', '#3d8bfd'),
    warn: css('--warn', '#e8a23a'),
    text: css('--muted', '#8b96a3'),
    grid: css('--border', '#2a333e'),
    bg: css('--panel', '#181e25'),
    font: css('--sans', 'sans-serif').replace(/\s+/g, ' '),
  };

  constructor(
    private readonly host: HTMLElement,
    private readonly labels: ChartLabels,
  ) {
    const c = this.colors;
    // The chart sizes itself from its container's border box when built and from its content box
    // when the resize observer first reports: on the bordered host the two differ by the border,
    // and the observer's resize repaints the whole chart a second time in the first frame. A
    // borderless pane over the host's padding box gives both the same size.
    this.pane = document.createElement('div');
    this.pane.className = 'sum-chart-pane';
    host.appendChild(this.pane);
    this.chart = createChart(this.pane, {
      autoSize: true,
      // The page's own font stack, already resolved for the UI's text: the library's default stack
      // (Trebuchet MS, Roboto, Ubuntu …) is a new font lookup on the chart's first paint, and its
      // axis labels (11月29日) would not match the UI's type.
      layout: { background: { color: c.bg }, textColor: c.text, fontSize: 11, fontFamily: this.colors.font, attributionLogo: false },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
      rightPriceScale: { borderColor: c.grid },
      leftPriceScale: { borderColor: c.grid, visible: false },
      // minBarSpacing below a pixel lets fitContent show a whole year (17,520 points) at once.
      timeScale: {
        borderColor: c.grid,
        timeVisible: true,
        secondsVisible: false,
        minBarSpacing: 0.01,
        tickMarkFormatter: (time: Time, type: TickMarkType) => tickLabel(time, type, labels.locale),
      },
      crosshair: { horzLine: { labelBackgroundColor: '#2a333e' }, vertLine: { labelBackgroundColor: '#2a333e' } },
      localization: {
        locale: labels.locale,
        priceFormatter: (v: number) => signedPct(v),
        timeFormatter: (time: Time) => crosshairLabel(time, labels.locale),
      },
    });
    this.sum = this.chart.addSeries(LineSeries, { color: c.line, lineWidth: 2, priceLineVisible: false, lastValueVisible: true });
    this.sum.createPriceLine({ price: 0, color: '#5a6470', lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: false, title: '' });
    this.live = this.chart.addSeries(LineSeries, {
      color: c.line,
      lineWidth: 2,
      lineStyle: LineStyle.Dotted,
      priceLineVisible: true,
      priceLineStyle: LineStyle.Dotted,
      // A reference line across the whole pane: muted, so it never reads as part of the curve.
      priceLineColor: c.text,
      lastValueVisible: true,
      pointMarkersVisible: true,
      crosshairMarkerVisible: true,
    });
    this.markers = createSeriesMarkers(this.sum, []);
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'chart-tooltip';
    this.tooltip.setAttribute('data-testid', 'sum-tooltip');
    host.appendChild(this.tooltip);
    this.gapLayer = new GapLayer(host, this.chart, labels);
    this.select = new DragSelect(host, this.chart);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onView);
  }

  /**
   * Replaces the grid series. `fit` re-frames the view (a new range); a refetch keeps the user's
   * zoom. `dense`: a thinned long range (about one point per pixel column) is drawn 1 px wide, as
   * a dense curve reads best, and the canvas strokes half the pixels.
   */
  setPoints(points: SumPoint[], fit: boolean, dense = false): { drawn: number; incomplete: number } {
    if (dense !== this.dense) {
      this.dense = dense;
      this.sum.applyOptions({ lineWidth: dense ? 1 : 2 });
    }
    this.byTime.clear();
    const data: (LineData<Time> | WhitespaceData<Time>)[] = new Array(points.length);
    let drawn = 0;
    let incomplete = 0;
    this.lastPoint = null;
    this.slots = points.length;
    this.lastSlot = points.length > 0 ? points[points.length - 1]!.ts : 0;
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      const time = toChartTime(p.ts);
      this.byTime.set(time, p);
      if (p.sum === null) {
        data[i] = { time };
        continue;
      }
      drawn += 1;
      this.lastPoint = p;
      if (p.complete) data[i] = { time, value: p.sum };
      else {
        incomplete += 1;
        data[i] = { time, value: p.sum, color: this.colors.warn };
      }
    }
    const gaps = findGaps(points);
    for (const g of gaps) {
      const d = g.before >= 0 ? data[g.before] : undefined;
      if (d && 'value' in d) data[g.before] = { ...d, color: HIDDEN };
    }
    this.sum.setData(data);
    this.gapLayer.set(
      gaps,
      data.map((d) => d.time),
    );
    this.markers.setMarkers(this.markersFor(points, incomplete));
    this.drawLive();
    if (fit) this.fit();
    return { drawn, incomplete };
  }

  /**
   * A dot on every incomplete point, as the legend says; past MAX_MARKERS, one on the first point
   * of each incomplete run. A point alone between two holes draws no segment, so it gets a dot too.
   */
  private markersFor(points: SumPoint[], incomplete: number): SeriesMarker<Time>[] {
    const marks: SeriesMarker<Time>[] = [];
    const dot = (p: SumPoint, color: string) => marks.push({ time: toChartTime(p.ts), position: 'inBar', shape: 'circle', color, size: 1 });
    for (let i = 0; i < points.length && marks.length < MAX_MARKERS; i++) {
      const p = points[i]!;
      if (p.sum === null) continue;
      const prev = points[i - 1];
      if (!p.complete) {
        if (incomplete <= MAX_MARKERS || !prev || prev.sum === null || prev.complete) dot(p, this.colors.warn);
      } else if ((!prev || prev.sum === null) && (points[i + 1]?.sum ?? null) === null) dot(p, this.colors.line);
    }
    return marks;
  }

  /** The live sum after the last grid point, joined to it by a dotted segment; null hides it. */
  setLive(sum: LiveSum | null): void {
    this.liveSum = sum;
    if (!this.liveFrame) this.liveFrame = requestAnimationFrame(() => this.drawLive());
  }

  setOverlays(lines: OverlayLine[]): void {
    // No overlays before or after: touching the options would redraw the whole chart for nothing.
    if (lines.length === 0 && this.overlays.size === 0) return;
    const keep = new Set(lines.map((l) => l.coin));
    for (const [coin, s] of this.overlays) {
      if (!keep.has(coin)) {
        this.chart.removeSeries(s);
        this.overlays.delete(coin);
      }
    }
    for (const l of lines) {
      let s = this.overlays.get(l.coin);
      if (!s) {
        s = this.chart.addSeries(LineSeries, {
          color: l.color,
          lineWidth: 1,
          priceScaleId: 'left',
          priceLineVisible: false,
          title: l.coin,
        });
        this.overlays.set(l.coin, s);
      }
      // A point followed by a hole starts a hidden segment: the overlay breaks like the sum does.
      s.setData(
        l.points.map((p, i) =>
          p.value === null
            ? { time: toChartTime(p.ts) }
            : l.points[i + 1]?.value === null
              ? { time: toChartTime(p.ts), value: p.value, color: HIDDEN }
              : { time: toChartTime(p.ts), value: p.value },
        ),
      );
    }
    this.chart.applyOptions({ leftPriceScale: { visible: lines.length > 0 } });
  }

  /** The whole series in view. */
  fit(): void {
    const ts = this.chart.timeScale();
    // fitContent's range (first to last time point), with room on the left so the first date
    // label is not cut at the pane's edge; applied in the chart's next frame, like fitContent.
    const last = this.slots - 1 + (this.liveBeyond ? 1 : 0);
    const w = ts.width();
    if (last < 1 || w <= LEFT_PAD_PX) {
      ts.fitContent();
      return;
    }
    ts.setVisibleLogicalRange({ from: -(last * LEFT_PAD_PX) / (w - LEFT_PAD_PX), to: last });
  }

  /** Moves the view by a fifth of its width: -1 back in time, +1 forward. */
  pan(dir: -1 | 1): void {
    const ts = this.chart.timeScale();
    const r = ts.getVisibleLogicalRange();
    if (!r) return;
    const step = ((r.to - r.from) / 5) * dir;
    ts.setVisibleLogicalRange({ from: r.from + step, to: r.to + step });
  }

  /** Zooms about the middle of the view: factor < 1 zooms in. Never closer than 6 grid points. */
  zoom(factor: number): void {
    const ts = this.chart.timeScale();
    const r = ts.getVisibleLogicalRange();
    if (!r) return;
    const mid = (r.from + r.to) / 2;
    const half = Math.max(3, ((r.to - r.from) / 2) * factor);
    ts.setVisibleLogicalRange({ from: mid - half, to: mid + half });
  }

  destroy(): void {
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onView);
    cancelAnimationFrame(this.liveFrame);
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.gapLayer.destroy();
    this.select.destroy();
    this.chart.remove();
    this.pane.remove();
    this.tooltip.remove();
  }

  private drawLive(): void {
    this.liveFrame = 0;
    const s = this.liveSum;
    const last = this.lastPoint;
    if (!s || s.sum === null || s.ts === null || (last && s.ts <= last.ts + 1000)) {
      this.live.setData([]);
      this.liveBeyond = false;
      return;
    }
    const tip = {
      time: toChartTime(Math.floor(s.ts / 1000) * 1000),
      value: s.sum,
      color: s.complete ? this.colors.line : this.colors.warn,
    };
    // Joined to the last grid point only when no grid slot is missing in between: never a bridge over a gap.
    const joined = last !== null && s.ts - last.ts < 2 * GRID_MS;
    this.live.setData(joined ? [{ time: toChartTime(last.ts), value: last.sum! }, tip] : [tip]);
    this.liveBeyond = tip.time > toChartTime(this.lastSlot);
  }

  /** The visible logical range on the host (data-view="from:to"), for tests: no React render. */
  private readonly onView = (r: { from: number; to: number } | null): void => {
    if (r) this.host.setAttribute('data-view', `${r.from.toFixed(1)}:${r.to.toFixed(1)}`);
  };

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    const tip = this.tooltip;
    if (param.time === undefined || !param.point || param.point.x < 0 || param.point.y < 0) {
      tip.style.display = 'none';
      return;
    }
    const time = param.time as number;
    const p = this.byTime.get(time);
    const s = this.liveSum;
    let html: string;
    const gap = p && p.sum === null ? this.gapLayer.at(param.point.x) : null;
    if (gap) {
      html = `<b>${utc8DateTime(gap.gap.from)} – ${utc8DateTime(gap.gap.to)}</b><span class="warn-text">${escapeHtml(gap.text)}</span>`;
    } else if (p) {
      html = `<b>${utc8DateTime(p.ts)}</b><span class="${p.sum === null ? '' : p.sum > 0 ? 'up' : p.sum < 0 ? 'down' : ''}">${
        p.sum === null ? this.labels.empty : `${signedPct(p.sum)}%`
      }</span><span class="${p.complete ? 'muted' : 'warn-text'}">${this.labels.coverage(p.covered, p.total)}</span>`;
    } else if (s && s.ts !== null && s.sum !== null) {
      html = `<b>${utc8DateTime(fromChartTime(time))}</b><span class="${s.sum > 0 ? 'up' : s.sum < 0 ? 'down' : ''}">${signedPct(s.sum)}%</span><span class="${
        s.complete ? 'muted' : 'warn-text'
      }">${this.labels.coverage(s.covered, s.total)} · ${this.labels.live}</span>`;
    } else {
      tip.style.display = 'none';
      return;
    }
    tip.innerHTML = html;
    tip.style.display = 'flex';
    const w = this.host.clientWidth;
    const x = param.point.x + 14 + 170 > w ? param.point.x - 184 : param.point.x + 14;
    tip.style.left = `${Math.max(0, x)}px`;
    tip.style.top = `${Math.max(0, param.point.y - 10)}px`;
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
