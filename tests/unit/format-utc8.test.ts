import { describe, expect, it } from 'vitest';
import { formatClock, formatDate, formatDateTime, formatDuration } from '../../renderer/src/format';

describe('the one time rule: UTC+8, ISO dates', () => {
  // 2026-12-02T16:30:05.042Z is 2026-12-03 00:30:05 in UTC+8, whatever the test machine's zone.
  const ts = Date.parse('2026-12-02T16:30:05.042Z');
  it('formats dates and clocks in UTC+8', () => {
    expect(formatDate(ts)).toBe('2026-12-03');
    expect(formatClock(ts)).toBe('00:30:05');
    expect(formatClock(ts, true)).toBe('00:30:05.042');
    expect(formatDateTime(ts)).toBe('2026-12-03 00:30:05');
  });
  it('says days in the unit it is given', () => {
    expect(formatDuration(90_061_000, '天')).toBe('1天 01:01:01');
    expect(formatDuration(61_000)).toBe('00:01:01');
  });
});
