/**
 * Time math of the 30-minute grid. Timestamps are UTC epoch milliseconds everywhere; days and
 * clock times are read in UTC+8 (Asia/Shanghai, which has no daylight saving), so a fixed offset
 * is exact and no time-zone database is needed. Pure functions only: no Node or DB imports, so
 * the same file is shared by the node and the renderer (it lives with the contract).
 */

export const MINUTE_MS = 60_000;
export const GRID_MS = 30 * MINUTE_MS;
export const DAY_MS = 24 * 60 * MINUTE_MS;
/** UTC+8, fixed. */
export const UTC8_OFFSET_MS = 8 * 60 * MINUTE_MS;
export const POINTS_PER_DAY = DAY_MS / GRID_MS; // 48

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The grid point at or before `ms`. The UTC+8 offset is a whole number of grid steps, so it cancels. */
export function gridFloor(ms: number): number {
  return Math.floor(ms / GRID_MS) * GRID_MS;
}

/** The grid point at or after `ms`. */
export function gridCeil(ms: number): number {
  return Math.ceil(ms / GRID_MS) * GRID_MS;
}

export function isGridPoint(ms: number): boolean {
  return Number.isInteger(ms) && ms % GRID_MS === 0;
}

/** Grid points T with from <= T < to, ascending. Refuses ranges that would allocate absurdly. */
export function gridPointsBetween(from: number, to: number, maxPoints = 1_000_000): number[] {
  const out: number[] = [];
  const start = gridCeil(from);
  if (to <= start) return out;
  const n = Math.ceil((to - start) / GRID_MS);
  if (n > maxPoints) throw new RangeError(`a range of ${n} grid points is more than the ${maxPoints} allowed`);
  for (let t = start; t < to; t += GRID_MS) out.push(t);
  return out;
}

/** Midnight UTC+8 of the day containing `ms` (as UTC epoch ms: 16:00 UTC of the day before). */
export function dayStartOf(ms: number): number {
  return Math.floor((ms + UTC8_OFFSET_MS) / DAY_MS) * DAY_MS - UTC8_OFFSET_MS;
}

/** 'YYYY-MM-DD' of `ms` in UTC+8. */
export function dayOf(ms: number): string {
  // The civil date from the day number (H. Hinnant's civil_from_days), without a Date per call:
  // planning a year of 27 coins names ~20,000 days, and toISOString cost ~12 ms of that loop.
  const z = Math.floor((ms + UTC8_OFFSET_MS) / DAY_MS) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  // Four-digit years only; anything else (and NaN) as toISOString writes or refuses it.
  if (!(y >= 1000 && y <= 9999)) return new Date(ms + UTC8_OFFSET_MS).toISOString().slice(0, 10);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** True for a real calendar date written 'YYYY-MM-DD' (rejects 2026-02-30 and friends). */
export function isDay(day: string): boolean {
  const m = DAY_RE.exec(day);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/** UTC epoch ms of 00:00 UTC+8 on `day`. Throws a RangeError naming the value if it is not a date. */
export function dayStart(day: string): number {
  if (!isDay(day)) throw new RangeError(`"${day}" is not a calendar date written YYYY-MM-DD`);
  const m = DAY_RE.exec(day)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - UTC8_OFFSET_MS;
}

/** The 48 grid points of `day`, 00:00 to 23:30 UTC+8. */
export function dayPoints(day: string): number[] {
  const s = dayStart(day);
  return Array.from({ length: POINTS_PER_DAY }, (_, i) => s + i * GRID_MS);
}

/** The day after `day` ('YYYY-MM-DD'). */
export function nextDay(day: string): string {
  return dayOf(dayStart(day) + DAY_MS);
}

/** Days (UTC+8) touched by [from, to), ascending. */
export function daysBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let s = dayStartOf(from); s < to; s += DAY_MS) out.push(dayOf(s));
  return out;
}

/** 'HH:mm' of `ms` in UTC+8. */
export function formatTime(ms: number): string {
  return new Date(ms + UTC8_OFFSET_MS).toISOString().slice(11, 16);
}

/** 'YYYY-MM-DD' of `ms` in UTC+8 (alias of dayOf, named for display code). */
export const formatDate = dayOf;

/** 'YYYY-MM-DD HH:mm' in UTC+8. */
export function formatDateTime(ms: number): string {
  return `${dayOf(ms)} ${formatTime(ms)}`;
}

/** 'YYYYMMDD' in UTC+8, for file names. */
export function compactDay(ms: number): string {
  return dayOf(ms).replaceAll('-', '');
}
