import { useCallback, useEffect, useRef, useState } from 'react';
import type { Candle, CandleBar } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';
import { formatInt } from '../../format';
import { useLocale, useT } from '../../i18n';
import { barName } from '../../lib/bar-names';
import { useDescribeError } from '../../lib/errors';
import { price, utc8DateTime } from '../../lib/market-format';
import { useNodeEvent } from '../../lib/use-event';
import { useNow } from '../../lib/use-now';
import { hrefOf, useRoute } from '../../router';
import { useSettingsStore } from '../../state/settings-store';
import { CandleChart } from './candle-chart';
import { CANDLE_BARS, windowOf } from './candle-data';
import { CoinFacts } from './CoinFacts';
import { Liquidations } from './Liquidations';
import { OrderBook } from './OrderBook';
import { paletteOf } from './palette';
import { useCoinSnapshot, useLiquidations } from './use-coin-data';
import './coin.css';

interface Loaded {
  key: string;
  count: number;
}

const keyOf = (coin: string, bar: CandleBar) => `${coin}/${bar}`;

/**
 * One coin's market: candles of a timeframe with volume and the live last candle ('market.candle'),
 * beside its mark price, funding and countdown, open interest, top-5 book and last liquidations.
 * The route is #/coin/<COIN>. The chart element carries data-ready / data-candles for tests and benches.
 */
export function CoinScreen() {
  const t = useT();
  const locale = useLocale();
  const describe = useDescribeError();
  const route = useRoute();
  const coins = useSettingsStore((s) => s.settings?.coins ?? []);
  const streams = useSettingsStore((s) => s.settings?.streams);
  const upDown = useSettingsStore((s) => s.upDown);
  const coin = route.tab ?? coins[0] ?? null;
  const [bar, setBar] = useState<CandleBar>('1m');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [live, setLive] = useState<{ candle: Candle; count: number } | null>(null);
  const [collecting, setCollecting] = useState(true);
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<CandleChart | null>(null);
  const [chartVersion, setChartVersion] = useState(0);
  const showing = useRef<{ key: string; loading: boolean; early: Candle[] }>({ key: '', loading: false, early: [] });
  const now = useNow(1_000);
  const snap = useCoinSnapshot(coin);
  const liq = useLiquidations(coin);

  // The chart lives as long as the screen and its language; colours follow the setting in place.
  const upDownRef = useRef({ upDown, locale });
  upDownRef.current = { upDown, locale };
  useEffect(() => {
    const chart = new CandleChart(hostRef.current!, locale, paletteOf(upDownRef.current.upDown, locale), (candle, count) =>
      setLive({ candle, count }),
    );
    chartRef.current = chart;
    setChartVersion((v) => v + 1);
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, [locale]);
  useEffect(() => chartRef.current?.setPalette(paletteOf(upDown, locale)), [upDown, locale, chartVersion]);

  useEffect(() => {
    let alive = true;
    callApi('market.stored', {}).then(
      (s) => alive && setCollecting(s.collecting),
      () => {},
    );
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    // Version 0 is the render before the chart exists; its creation bumps the version and loads once.
    if (!coin || !chart || chartVersion === 0) return;
    const key = keyOf(coin, bar);
    showing.current = { key, loading: true, early: [] };
    setLive(null);
    let alive = true;
    callApi('market.candles', { coin, bar, ...windowOf(bar, Date.now()) }).then(
      (series) => {
        if (!alive) return;
        const count = chart.setCandles(series.rows, coin);
        // Pushes that came while the answer was in flight may be newer than it: fold them in.
        for (const c of showing.current.early) chart.pushLive(c);
        showing.current = { key, loading: false, early: [] };
        // Ready once painted: the chart draws on its next animation frame.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            if (!alive) return;
            setLoaded({ key, count });
            setError(null);
            performance.mark('coin-chart-ready', { detail: { key, count } });
          }),
        );
      },
      (e: unknown) => {
        if (!alive) return;
        showing.current.loading = false;
        setError(e);
        setLoaded({ key, count: 0 });
      },
    );
    return () => {
      alive = false;
    };
  }, [coin, bar, chartVersion, attempt]);

  // The node sends 'market.candle' only for keys a UI watches: lease this screen's key while shown.
  const client = useRef(`coin-${Math.random().toString(36).slice(2, 12)}`);
  useEffect(() => {
    if (!coin) return;
    const id = client.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;
    const renew = () => {
      callApi('market.watchCandles', { client: id, watch: [{ coin, bar }] }).then(
        (r) => alive && (timer = setTimeout(renew, r.ttlMs / 3)),
        () => alive && (timer = setTimeout(renew, 5_000)),
      );
    };
    renew();
    return () => {
      alive = false;
      clearTimeout(timer);
      void callApi('market.watchCandles', { client: id, watch: [] }).catch(() => {});
    };
  }, [coin, bar]);

  useNodeEvent('market.candle', (p) => {
    const s = showing.current;
    if (!coin || keyOf(p.coin, p.bar) !== s.key) return;
    if (s.loading) s.early.push(p.candle);
    else chartRef.current?.pushLive(p.candle);
  });

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  const key = coin ? keyOf(coin, bar) : '';
  const ready = loaded?.key === key && error === null;
  // Live pushes append candles after the load: the count shown includes them.
  const count = ready ? Math.max(loaded.count, live?.count ?? 0) : 0;
  const empty = ready && count === 0;
  const barOff = streams !== undefined && !streams.candles.includes(bar);

  if (!coin) return <p className="muted">{t('coin.noCoins')}</p>;
  const vars = { bar: barName(t, bar), coin };

  return (
    <div className="coin-screen" data-coin={coin}>
      <div className="toolbar">
        <label className="coin-pick">
          {t('coin.pick')}{' '}
          <select value={coin} onChange={(e) => window.location.assign(hrefOf('coin', e.target.value))} data-testid="coin-pick">
            {(coins.includes(coin) ? coins : [coin, ...coins]).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <div className="seg-group" role="group" aria-label={t('coin.timeframe')}>
          {CANDLE_BARS.map((b) => (
            <button
              key={b}
              className={`seg${b === bar ? ' active' : ''}`}
              data-testid={`tf-${b}`}
              aria-pressed={b === bar}
              onClick={() => setBar(b)}
            >
              {barName(t, b)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <span className="muted small">{t('mkt.utc8')}</span>
      </div>
      <div className="coin-body">
        <div className="coin-chart-col">
          <div className="chart-meta muted">
            <span data-testid="coin-candle-count">{ready ? t('coin.candles', { n: formatInt(count) }) : t('mkt.loading')}</span>
            {live && (
              <span data-testid="coin-live">
                {t('coin.liveCandle', { time: utc8DateTime(live.candle.ts) })} · <span className="mono">{price(live.candle.c, coin)}</span>
              </span>
            )}
          </div>
          {error !== null && (
            <div className="alert" role="alert" data-testid="coin-chart-error">
              {t('coin.loadFailed', { message: describe(error) })}{' '}
              <button type="button" onClick={retry}>
                {t('coin.retry')}
              </button>
            </div>
          )}
          {empty && (
            <div className="notice" data-testid="coin-chart-empty">
              {t(barOff ? 'coin.empty.off' : collecting ? 'coin.empty.none' : 'coin.empty.collectorOff', vars)}{' '}
              <a href={hrefOf(barOff ? 'settings' : 'backfill')}>{t(barOff ? 'coin.toSettings' : 'coin.toBackfill')}</a>
            </div>
          )}
          <div
            ref={hostRef}
            className="coin-chart"
            data-testid="coin-chart"
            data-ready={ready ? 'true' : 'false'}
            data-key={key}
            data-candles={count}
            role="img"
            aria-label={`${coin} · ${barName(t, bar)} · ${t('coin.chart')}`}
          />
        </div>
        <aside className="coin-side">
          {snap.error !== null && (
            <div className="alert" role="alert" data-testid="coin-snap-error">
              {t('coin.snapFailed', { coin, message: describe(snap.error) })}
            </div>
          )}
          {snap.data && <CoinFacts coin={coin} snap={snap.data} now={now} />}
          {snap.data && <OrderBook coin={coin} book={snap.data.book} now={now} />}
          <Liquidations coin={coin} list={liq.data} />
        </aside>
      </div>
    </div>
  );
}
