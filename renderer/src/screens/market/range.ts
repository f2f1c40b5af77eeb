import { MAX_RANGE_DAYS } from '../../../../preload/contract';
import { DAY_MS, dayOf, dayStart, isDay } from '../../../../preload/contract/grid-time';

export type RangeKind = 'day' | '7d' | '14d' | '30d' | 'custom';
export const RANGE_KINDS: RangeKind[] = ['day', '7d', '14d', '30d', 'custom'];
const SPAN: Record<Exclude<RangeKind, 'custom'>, number> = { day: 1, '7d': 7, '14d': 14, '30d': 30 };

export interface TimeRange {
  from: number;
  to: number;
}

/** Today (UTC+8) and the days before it: a preset range always ends at the end of today. */
export function presetRange(kind: Exclude<RangeKind, 'custom'>, now = Date.now()): TimeRange {
  const to = dayStart(dayOf(now)) + DAY_MS;
  return { from: to - SPAN[kind] * DAY_MS, to };
}

/** Two UTC+8 days, both included; null when they are not dates, reversed or too far apart. */
export function customRange(fromDay: string, toDay: string): TimeRange | null {
  if (!isDay(fromDay) || !isDay(toDay)) return null;
  const from = dayStart(fromDay);
  const to = dayStart(toDay) + DAY_MS;
  if (to <= from || to - from > MAX_RANGE_DAYS * DAY_MS) return null;
  return { from, to };
}

export const rangeDays = (r: TimeRange) => Math.round((r.to - r.from) / DAY_MS);
