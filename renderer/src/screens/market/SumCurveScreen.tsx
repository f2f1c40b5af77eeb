import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_RANGE_DAYS } from '../../../../preload/contract';
import { DAY_MS, dayOf, dayStartOf } from '../../../../preload/contract/grid-time';
import { getApi } from '../../bridge';
import { callApi } from '../../bridge/use-call';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { downloadCsv } from '../../lib/download';
import { useDescribeError } from '../../lib/errors';
import { signClass, signedPct } from '../../lib/market-format';
import { useSettingsStore } from '../../state/settings-store';
import { DayCache, OVERLAY_COLORS, OVERLAY_MAX_DAYS, overlayLines } from './overlay';
import { customRange, presetRange, RANGE_KINDS, rangeDays, type RangeKind, type TimeRange } from './range';
import { missingReasons } from './gaps';
import { fetchSumSeries, keptSumSeries } from './sum-prefetch';
import { SumChart, type ChartLabels } from './sum-chart';
import './market.css';

interface Loaded {
  points: number;
  drawn: number;
  incomplete: number;
}

/**
 * The sum of change % over the selected coins on the 30-minute grid (CS001), with the live sum as
 * a dotted tail, coverage in the tooltip, incomplete points in the warning colour, and optional
 * per-coin overlays. The chart element carries data-ready / data-points for tests and benches.
 */
export function SumCurveScreen() {
  const t = useT();
  const locale = useLocale();
  const describe = useDescribeError();
  const coins = useSettingsStore((s) => s.settings?.coins ?? []);
  const [kind, setKind] = useState<RangeKind>('day');
  const [range, setRange] = useState<TimeRange>(() => presetRange('day'));
  const [fromDay, setFromDay] = useState(() => dayOf(Date.now() - 6 * DAY_MS));
  const [toDay, setToDay] = useState(() => dayOf(Date.now()));
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  // The range key whose data has been painted: data-ready is true only for the range on screen.
  const [readyKey, setReadyKey] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [liveText, setLiveText] = useState<{ sum: number; covered: number; total: number } | null>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<SumChart | null>(null);
  const labelsRef = useRef<ChartLabels | null>(null);
  const cache = useMemo(() => new DayCache(), []);
  const [gridVersion, setGridVersion] = useState(0);
  const loadSeq = useRef(0);
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const kindRef = useRef(kind);
  kindRef.current = kind;

  // The chart's labels follow the language; a new language builds a new chart on the next load.
  // Declared before the load: a kept series is drawn in the load effect itself, which needs them.
  useEffect(() => {
    labelsRef.current = {
      locale,
      coverage: (n, total) => t('mkt.coverage', { n, total }),
      live: t('sum.live'),
      empty: t('sum.tooltip.empty'),
      reason: (reasons) =>
        reasons.length === 0
          ? t('sum.gap.noData')
          : t('sum.gap.reason', { reason: reasons.map((r) => t(`missing.${r}` as MessageKey)).join(t('sum.gap.sep')) }),
      fetchReasons: missingReasons,
    };
    return () => {
      chartRef.current?.destroy();
      chartRef.current = null;
    };
  }, [t, locale]);

  const load = useCallback(async (r: TimeRange, fit: boolean) => {
    const seq = ++loadSeq.current;
    try {
      // About one point per pixel column: a year (17,520 slots) comes thinned to real points that
      // keep its envelope and its gaps (the node's sum-downsample.ts), not 1.5 MB of JSON.
      const width = hostRef.current?.clientWidth || 1_200;
      const maxPoints = Math.max(200, Math.round(width));
      // The Day series kept since start (sum-prefetch.ts) paints in the frame after the click.
      const series = keptSumSeries(r, maxPoints) ?? (await fetchSumSeries(r, maxPoints));
      const host = hostRef.current;
      if (seq !== loadSeq.current || !host || !labelsRef.current) return;
      // Built with its first data, not before: an empty chart drawn while the answer is on its way
      // is a whole extra frame of canvas work on the screen's first open.
      const chart = (chartRef.current ??= new SumChart(host, labelsRef.current));
      const shown = chart.setPoints(series.points, fit, series.sampled?.thinned === true);
      const drawn = series.sampled?.withSum ?? shown.drawn;
      const incomplete = series.sampled?.incomplete ?? shown.incomplete;
      // The chart draws in its own animation-frame callback, queued by setData before this one:
      // when this runs, the frame that shows the new data has been drawn.
      requestAnimationFrame(() => {
        if (seq !== loadSeq.current) return;
        setLoaded({ points: series.sampled?.slots ?? series.points.length, drawn, incomplete });
        setReadyKey(`${r.from}-${r.to}`);
        setError(null);
        performance.mark('sum-curve-ready', { detail: { points: drawn, sent: series.points.length } });
      });
    } catch (e) {
      if (seq === loadSeq.current) setError(e);
    }
  }, []);

  useEffect(() => {
    void load(range, true);
  }, [range, load, t]);

  // A preset range ends with today (UTC+8): at 00:00 UTC+8 it moves on to the new day by itself.
  useEffect(() => {
    if (kind === 'custom') return;
    const now = Date.now();
    const timer = setTimeout(() => setRange(presetRange(kind)), dayStartOf(now) + DAY_MS - now + 20);
    return () => clearTimeout(timer);
  }, [kind, range]);

  // Live tail from every tick, and a refetch when the grid changes inside the shown range.
  useEffect(() => {
    const api = getApi();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    const offs = [
      api.on('market.tick', ({ sum }) => {
        const r = rangeRef.current;
        const k = kindRef.current;
        // A tick from a later day than the range (this machine's clock is behind the node's) moves it too.
        if (k !== 'custom' && sum.ts !== null && sum.ts >= r.to) {
          rangeRef.current = presetRange(k, sum.ts);
          setRange(rangeRef.current);
        }
        const inRange = sum.ts !== null && sum.ts >= r.from && sum.ts < r.to;
        chartRef.current?.setLive(inRange ? sum : null);
        if (!frame && sum.sum !== null) {
          const s = sum.sum;
          frame = requestAnimationFrame(() => {
            frame = 0;
            setLiveText({ sum: s, covered: sum.covered, total: sum.total });
          });
        }
      }),
      api.on('market.grid', (g) => {
        cache.invalidate(g.from, g.to);
        const r = rangeRef.current;
        if (g.from >= r.to || g.to <= r.from) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          void load(rangeRef.current, false);
          setGridVersion((v) => v + 1);
        }, 400);
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  }, [cache, load]);

  const rangeKey = `${range.from}-${range.to}`;
  const ready = readyKey === rangeKey;
  const overlayAllowed = rangeDays(range) <= OVERLAY_MAX_DAYS;
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    if (!overlayAllowed || picked.length === 0) {
      chart.setOverlays([]);
      return;
    }
    let live = true;
    overlayLines(cache, picked, range.from, range.to).then(
      (lines) => live && chartRef.current?.setOverlays(lines),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [picked, range, overlayAllowed, cache, gridVersion, t]);

  const choose = (k: RangeKind) => {
    setKind(k);
    if (k !== 'custom') setRange(presetRange(k));
  };
  const custom = customRange(fromDay, toDay);
  const applyCustom = () => custom && setRange(custom);
  const exportSum = async () => {
    try {
      downloadCsv(await callApi('export.csv', { kind: 'sum', from: range.from, to: range.to, lang: locale }));
    } catch (e) {
      setError(e);
    }
  };
  // ←/→ pan, +/− zoom, 0 fits: the chart takes the keys while it has the focus.
  const onChartKey = (e: KeyboardEvent) => {
    const chart = chartRef.current;
    if (!chart || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowLeft') chart.pan(-1);
    else if (e.key === 'ArrowRight') chart.pan(1);
    else if (e.key === '+' || e.key === '=') chart.zoom(0.8);
    else if (e.key === '-' || e.key === '_') chart.zoom(1.25);
    else if (e.key === '0') chart.fit();
    else return;
    e.preventDefault();
  };
  const toggle = (c: string) => setPicked((p) => (p.includes(c) ? p.filter((x) => x !== c) : [...p, c]));

  return (
    <div className="sum-screen">
      <div className="toolbar">
        <div className="seg-group" role="group">
          {RANGE_KINDS.map((k) => (
            <button key={k} className={`seg${kind === k ? ' active' : ''}`} data-testid={`range-${k}`} onClick={() => choose(k)}>
              {t(`sum.range.${k}` as MessageKey)}
            </button>
          ))}
        </div>
        {kind === 'custom' && (
          <span className="custom-range">
            <label>
              {t('sum.from')} <input type="date" value={fromDay} onChange={(e) => setFromDay(e.target.value)} data-testid="range-from" />
            </label>
            <label>
              {t('sum.to')} <input type="date" value={toDay} onChange={(e) => setToDay(e.target.value)} data-testid="range-to" />
            </label>
            <button className="primary" disabled={!custom} onClick={applyCustom} data-testid="range-apply">
              {t('sum.apply')}
            </button>
            {!custom && <span className="error-text">{t('sum.badRange', { days: MAX_RANGE_DAYS })}</span>}
          </span>
        )}
        <span className="spacer" />
        {liveText && (
          <span className="live-chip" data-testid="sum-live">
            {t('sum.live')}
            {t('common.colon')}
            <b className={signClass(liveText.sum)}>{signedPct(liveText.sum)}%</b>{' '}
            <span className="muted">{t('mkt.coverage', { n: liveText.covered, total: liveText.total })}</span>
          </span>
        )}
        <button onClick={() => chartRef.current?.fit()} data-testid="sum-fit" title={t('sum.keys')}>
          {t('sum.fit')}
        </button>
        <button onClick={() => void exportSum()} data-testid="sum-export">
          {t('sum.exportSum')}
        </button>
      </div>
      {error !== null && <div className="alert">{t('common.loadFailed', { message: describe(error) })}</div>}
      <div className="chart-meta muted">
        <span data-testid="sum-range-label">
          {dayOf(range.from)} – {dayOf(range.to - 1)}
        </span>
        <span>{t('mkt.utc8')}</span>
        {loaded && <span data-testid="sum-point-count">{t('sum.points', { n: loaded.drawn })}</span>}
        {loaded && loaded.incomplete > 0 && (
          <span className="warn-text" data-testid="sum-incomplete">
            {t('sum.incompleteCount', { n: loaded.incomplete })}
          </span>
        )}
        <span className="legend">
          <i className="sw sw-line" />
          {t('sum.legend.complete')}
        </span>
        <span className="legend">
          <i className="sw sw-dot" />
          {t('sum.legend.incomplete')}
        </span>
        <span className="legend">
          <i className="sw sw-gap" />
          {t('sum.legend.gap')}
        </span>
        {!ready && <span>{t('mkt.loading')}</span>}
        {ready && loaded?.drawn === 0 && <span>{t('sum.empty')}</span>}
      </div>
      <div
        ref={hostRef}
        className="sum-chart"
        data-testid="sum-chart"
        data-ready={ready ? 'true' : 'false'}
        data-points={loaded?.drawn ?? 0}
        data-incomplete={loaded?.incomplete ?? 0}
        data-range={rangeKey}
        tabIndex={0}
        role="application"
        aria-label={`${t('sum.chart')} · ${t('sum.keys')}`}
        onKeyDown={onChartKey}
      />
      <details className="overlay-picker" data-testid="overlay-picker">
        <summary>
          {t('sum.overlay')} {picked.length > 0 && `(${picked.length})`}
        </summary>
        <p className="muted small">{overlayAllowed ? t('sum.overlay.hint') : t('sum.overlay.tooLong', { days: OVERLAY_MAX_DAYS })}</p>
        <div className="chips">
          {coins.map((c) => {
            const k = picked.indexOf(c);
            return (
              <label
                key={c}
                className={`chip${k >= 0 ? ' on' : ''}`}
                style={k >= 0 ? { borderColor: OVERLAY_COLORS[k % OVERLAY_COLORS.length] } : undefined}
              >
                <input type="checkbox" checked={k >= 0} onChange={() => toggle(c)} data-testid={`overlay-${c}`} />
                {c}
              </label>
            );
          })}
          {picked.length > 0 && (
            <button className="link" onClick={() => setPicked([])}>
              {t('sum.overlay.clear')}
            </button>
          )}
        </div>
      </details>
    </div>
  );
}
