import { TickMarkType, type UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { dayStart, UTC8_OFFSET_MS } from '../../preload/contract/grid-time.js';
import { findGaps } from '../../renderer/src/screens/market/gaps.js';
import { crosshairLabel, tickLabel } from '../../renderer/src/screens/market/chart-format.js';

// 2026-11-29 14:30 UTC+8, as the chart holds it (UTC+8 wall time in UTC seconds).
const at = (ms: number) => ((ms + UTC8_OFFSET_MS) / 1000) as UTCTimestamp;
const t = at(dayStart('2026-11-29') + 14.5 * 3_600_000);

describe('sum chart labels', () => {
  it('follow the UI language and UTC+8 on the axis', () => {
    expect(tickLabel(t, TickMarkType.DayOfMonth, 'zh-CN')).toBe('11月29日');
    expect(tickLabel(t, TickMarkType.DayOfMonth, 'en')).toBe('29 Nov');
    expect(tickLabel(t, TickMarkType.Month, 'zh-CN')).toBe('11月');
    expect(tickLabel(t, TickMarkType.Month, 'en')).toBe('Nov');
    expect(tickLabel(t, TickMarkType.Year, 'zh-CN')).toBe('2026年');
    expect(tickLabel(t, TickMarkType.Time, 'zh-CN')).toBe('14:30');
  });

  it('show the ISO date, the weekday and the UTC+8 time on the crosshair', () => {
    expect(crosshairLabel(t, 'zh-CN')).toBe('2026-11-29 周日 14:30');
    expect(crosshairLabel(t, 'en')).toBe('2026-11-29 Sun 14:30');
  });
});

describe('findGaps', () => {
  const p = (i: number, sum: number | null) => ({
    ts: i * 1_800_000,
    sum,
    covered: sum === null ? 0 : 27,
    total: 27,
    complete: sum !== null,
  });
  it('finds the runs of empty slots between drawn points, not the slot being written now', () => {
    const pts = [p(0, 1), p(1, null), p(2, null), p(3, 2), p(4, null)];
    expect(findGaps(pts)).toEqual([{ from: 1_800_000, to: 3 * 1_800_000, before: 0, after: 3, first: 1, last: 2 }]);
    expect(findGaps([p(0, null), p(1, 1)])).toEqual([{ from: 0, to: 1_800_000, before: -1, after: 1, first: 0, last: 0 }]);
  });
});
