import { describe, expect, it } from 'vitest';
import type { Candle } from '../../preload/contract/coin.js';
import { CANDLE_BARS } from '../../preload/contract/candle-bars.js';
import { dayStart, UTC8_OFFSET_MS } from '../../preload/contract/grid-time.js';
import {
  BAR_MS,
  barOr1m,
  foldLive,
  indexOfTs,
  toChartTime,
  toSeries,
  WINDOW_MS,
  windowOf,
} from '../../renderer/src/screens/coin/candle-data.js';
import { tickLabel } from '../../renderer/src/screens/market/chart-format.js';
import { TickMarkType } from 'lightweight-charts';

const candle = (ts: number, o: number, c: number, vol: number | null = 10, confirm = true): Candle => ({
  ts,
  o,
  h: Math.max(o, c) + 1,
  l: Math.min(o, c) - 1,
  c,
  vol,
  confirm,
});
const palette = { rise: '#00ff00', fall: '#ff0000' };

describe('Coin screen candles', () => {
  it('loads a window per timeframe inside the node’s 400-day limit, 1m = 7 days = 10,080 candles', () => {
    const now = Date.UTC(2026, 11, 3, 11, 30, 17);
    for (const bar of CANDLE_BARS) {
      const w = windowOf(bar, now);
      expect(w.to).toBeGreaterThan(now);
      expect(w.to - w.from).toBe(WINDOW_MS[bar] + 120_000);
      expect(w.from).toBe(Date.UTC(2026, 11, 3, 11, 30) - WINDOW_MS[bar]);
      expect(w.to - w.from).toBeLessThanOrEqual(400 * 86_400_000);
      expect(Math.round(WINDOW_MS[bar] / BAR_MS[bar])).toBeLessThanOrEqual(10_080);
    }
    expect(WINDOW_MS['1m'] / BAR_MS['1m']).toBe(10_080);
  });

  it('maps candles to chart data on the UTC+8 axis, volume coloured by direction', () => {
    // 2026-11-29 14:30 UTC+8 = 06:30 UTC.
    const ts = dayStart('2026-11-29') + 14.5 * 3_600_000;
    const { candles, volumes } = toSeries([candle(ts, 100, 105), candle(ts + 60_000, 105, 101, null)], palette);
    expect(candles[0]).toEqual({ time: (ts + UTC8_OFFSET_MS) / 1000, open: 100, high: 106, low: 99, close: 105 });
    expect(tickLabel(candles[0]!.time, TickMarkType.Time, 'en')).toBe('14:30');
    expect(volumes[0]).toEqual({ time: toChartTime(ts), value: 10, color: '#00ff0066' });
    // No volume from the source: a zero bar keeps both series on the same time points.
    expect(volumes[1]).toEqual({ time: toChartTime(ts + 60_000), value: 0, color: '#ff000066' });
  });

  it('folds live pushes: the open candle replaces the last, a new one appends, a repair replaces in place', () => {
    const rows = [candle(0 + 1e12, 1, 2), candle(60_000 + 1e12, 2, 3), candle(120_000 + 1e12, 3, 4, 5, false)];
    expect(foldLive(rows, candle(120_000 + 1e12, 3, 5, 7, false))).toBe('replaceLast');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.c).toBe(5);
    expect(foldLive(rows, candle(180_000 + 1e12, 5, 6, 1, false))).toBe('append');
    expect(rows.map((r) => r.ts - 1e12)).toEqual([0, 60_000, 120_000, 180_000]);
    expect(foldLive(rows, candle(60_000 + 1e12, 2, 9))).toBe('replaceEarlier');
    expect(rows[1]!.c).toBe(9);
    expect(foldLive(rows, candle(1e12 - 60_000, 1, 1))).toBe('ignore');
    expect(rows).toHaveLength(4);
    expect(foldLive([], candle(1e12, 1, 1))).toBe('append');
  });

  it('finds a candle by ts in ascending rows', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => candle(1e12 + i * 60_000, 1, 1));
    expect(indexOfTs(rows, 1e12 + 737 * 60_000)).toBe(737);
    expect(indexOfTs(rows, 1e12 + 30_000)).toBe(-1);
    expect(indexOfTs([], 1e12)).toBe(-1);
  });

  it('reads a timeframe from a stored choice, 1m otherwise', () => {
    expect(barOr1m('4H')).toBe('4H');
    expect(barOr1m('4h')).toBe('1m');
    expect(barOr1m(null)).toBe('1m');
  });
});
