/**
 * The candlestick chart of the Coin screen, imperative like the sum chart: lightweight-charts owns
 * its canvas and is fed directly, so a live candle never re-renders React. Times are shifted by
 * +8 h (candle-data.ts), so the chart's own UTC axis reads UTC+8 wall time; labels come from the
 * sum chart's formatters. Volume is a histogram in the bottom fifth of the same pane.
 */
import {
  CandlestickSeries,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type TickMarkType,
  type Time,
} from 'lightweight-charts';
import type { Candle } from '../../../../preload/contract/coin';
import { priceDecimals } from '../../../../preload/contract/price-decimals';
import type { Locale } from '../../i18n';
import { crosshairLabel, tickLabel } from '../market/chart-format';
import { candleData, foldLive, toSeries, volumeData, type Palette } from './candle-data';

const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** Candles kept in view after a load: the latest ones, so a 1m week opens on its last few hours. */
const VISIBLE_CANDLES = 180;

export class CandleChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private rows: Candle[] = [];
  private palette: Palette;
  private pending: Candle[] = [];
  private frame = 0;

  constructor(
    host: HTMLElement,
    private readonly locale: Locale,
    palette: Palette,
    private readonly onLive: (c: Candle, count: number) => void,
  ) {
    this.palette = palette;
    const grid = css('--border', '#2a333e');
    this.chart = createChart(host, {
      autoSize: true,
      layout: {
        background: { color: css('--panel', '#181e25') },
        textColor: css('--muted', '#8b96a3'),
        fontSize: 11,
        attributionLogo: false,
      },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
      rightPriceScale: { borderColor: grid, scaleMargins: { top: 0.08, bottom: 0.24 } },
      timeScale: {
        borderColor: grid,
        timeVisible: true,
        secondsVisible: false,
        tickMarkFormatter: (time: Time, type: TickMarkType) => tickLabel(time, type, locale),
      },
      crosshair: { horzLine: { labelBackgroundColor: '#2a333e' }, vertLine: { labelBackgroundColor: '#2a333e' } },
      localization: { locale, timeFormatter: (time: Time) => crosshairLabel(time, locale) },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, { ...this.candleColors(), priceLineVisible: true });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      priceLineVisible: false,
      lastValueVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  }

  private candleColors() {
    const { rise, fall } = this.palette;
    return { upColor: rise, downColor: fall, borderUpColor: rise, borderDownColor: fall, wickUpColor: rise, wickDownColor: fall };
  }

  /** Replaces the series with a timeframe's rows (ascending) and frames the latest candles. */
  setCandles(rows: Candle[], coin: string): number {
    this.rows = rows;
    this.pending = [];
    const last = rows[rows.length - 1];
    const decimals = priceDecimals(coin, last?.c ?? 0);
    this.candles.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: 10 ** -decimals } });
    const { candles, volumes } = toSeries(rows, this.palette);
    this.candles.setData(candles);
    this.volume.setData(volumes);
    const ts = this.chart.timeScale();
    if (rows.length > VISIBLE_CANDLES) ts.setVisibleLogicalRange({ from: rows.length - VISIBLE_CANDLES, to: rows.length + 2 });
    else ts.fitContent();
    return rows.length;
  }

  /** Red-up / green-up changed: recolour candles and volume in place. */
  setPalette(p: Palette): void {
    this.palette = p;
    this.candles.applyOptions(this.candleColors());
    this.volume.setData(toSeries(this.rows, p).volumes);
  }

  /** A pushed candle of the shown coin and timeframe; drawn once per animation frame however fast pushes come. */
  pushLive(c: Candle): void {
    this.pending.push(c);
    if (!this.frame) this.frame = requestAnimationFrame(this.drawLive);
  }

  get count(): number {
    return this.rows.length;
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.chart.remove();
  }

  private readonly drawLive = (): void => {
    this.frame = 0;
    const batch = this.pending;
    this.pending = [];
    let latest: Candle | null = null;
    for (const c of batch) {
      const how = foldLive(this.rows, c);
      if (how === 'ignore') continue;
      // An earlier candle (a repair) needs the historical path; the open one is a plain update.
      const historical = how === 'replaceEarlier';
      this.candles.update(candleData(c), historical);
      this.volume.update(volumeData(c, this.palette), historical);
      if (!latest || c.ts >= latest.ts) latest = c;
    }
    if (latest) this.onLive(latest, this.rows.length);
  };
}
