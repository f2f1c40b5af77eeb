import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  GRID_MS,
  dayOf,
  dayPoints,
  dayStart,
  dayStartOf,
  daysBetween,
  formatDateTime,
  formatTime,
  gridCeil,
  gridFloor,
  gridPointsBetween,
  isDay,
  isGridPoint,
  nextDay,
} from '../../main/node/market/grid-time.js';

describe('grid time (UTC+8, no DST)', () => {
  it('midnight UTC+8 is 16:00 UTC of the previous day', () => {
    expect(dayStart('2026-01-16')).toBe(Date.UTC(2026, 0, 15, 16, 0, 0));
    expect(dayOf(Date.UTC(2026, 0, 15, 16, 0, 0))).toBe('2026-01-16');
    expect(dayOf(Date.UTC(2026, 0, 15, 15, 59, 59, 999))).toBe('2026-01-15');
    expect(formatTime(Date.UTC(2026, 0, 15, 16, 0))).toBe('00:00');
    expect(formatDateTime(Date.UTC(2026, 0, 16, 15, 30))).toBe('2026-01-16 23:30');
  });

  it('has no daylight saving: every day is 24 h and 48 points, also across EU/US DST switches', () => {
    for (const day of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01', '2024-02-29']) {
      const pts = dayPoints(day);
      expect(pts).toHaveLength(48);
      expect(pts[0]).toBe(dayStart(day));
      expect(pts[47]! - pts[0]!).toBe(47 * GRID_MS);
      expect(dayStart(nextDay(day)) - dayStart(day)).toBe(DAY_MS);
      expect(formatTime(pts[47]!)).toBe('23:30');
      expect(pts.every((t) => dayOf(t) === day)).toBe(true);
    }
  });

  it('floors and ceils to the 30-minute grid', () => {
    const t = Date.UTC(2026, 0, 15, 16, 29, 59, 999);
    expect(gridFloor(t)).toBe(Date.UTC(2026, 0, 15, 16, 0));
    expect(gridCeil(t)).toBe(Date.UTC(2026, 0, 15, 16, 30));
    expect(gridFloor(Date.UTC(2026, 0, 15, 16, 30))).toBe(Date.UTC(2026, 0, 15, 16, 30));
    expect(isGridPoint(Date.UTC(2026, 0, 15, 16, 30))).toBe(true);
    expect(isGridPoint(Date.UTC(2026, 0, 15, 16, 30, 1))).toBe(false);
  });

  it('gridPointsBetween is [from, to)', () => {
    const s = dayStart('2026-01-16');
    expect(gridPointsBetween(s, s + 2 * GRID_MS)).toEqual([s, s + GRID_MS]);
    expect(gridPointsBetween(s + 1, s + 2 * GRID_MS + 1)).toEqual([s + GRID_MS, s + 2 * GRID_MS]);
    expect(gridPointsBetween(s, s)).toEqual([]);
    expect(gridPointsBetween(s, s + DAY_MS)).toEqual(dayPoints('2026-01-16'));
    expect(() => gridPointsBetween(0, DAY_MS * 10, 100)).toThrow(RangeError);
  });

  it('dayStartOf and daysBetween agree with dayStart', () => {
    const s = dayStart('2026-01-16');
    expect(dayStartOf(s + DAY_MS - 1)).toBe(s);
    expect(dayStartOf(s - 1)).toBe(dayStart('2026-01-15'));
    expect(daysBetween(s - 1, s + DAY_MS + 1)).toEqual(['2026-01-15', '2026-01-16', '2026-01-17']);
  });

  it('accepts only real calendar dates', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-1-1')).toBe(false);
    expect(() => dayStart('16/01/2026')).toThrow(/not a calendar date/);
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});

describe('dayOf without a Date', () => {
  it('names the same UTC+8 day as toISOString for every hour from 1970 to 2100, leap days and year ends included', () => {
    const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    let mismatches = 0;
    for (let ms = Date.UTC(1970, 0, 1); ms < Date.UTC(2100, 0, 1); ms += 3_600_000 + 1) if (dayOf(ms) !== iso(ms)) mismatches++;
    expect(mismatches).toBe(0);
    for (const ms of [
      Date.UTC(2024, 1, 28, 16),
      Date.UTC(2024, 1, 29, 15, 59, 59, 999),
      Date.UTC(2000, 1, 29, 16),
      Date.UTC(2100, 1, 28, 16),
      -1,
      0,
    ])
      expect(dayOf(ms)).toBe(iso(ms));
    // Outside four-digit years it writes (or refuses) as toISOString does.
    expect(dayOf(Date.UTC(-5, 0, 1))).toBe(iso(Date.UTC(-5, 0, 1)));
    expect(() => dayOf(Number.NaN)).toThrow(RangeError);
  });
});
