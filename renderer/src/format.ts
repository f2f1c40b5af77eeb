/** Small formatters used across screens (numbers stay Latin digits in both languages; times are UTC+8). */
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** '02:03:04', or '1d 02:03:04' with the UI language's day unit ('1天 02:03:04'). */
export function formatDuration(ms: number, dayUnit = 'd'): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  return d > 0 ? `${d}${dayUnit} ${pad(h)}:${pad(m)}:${pad(sec)}` : `${pad(h)}:${pad(m)}:${pad(sec)}`;
}

/**
 * The one time rule of the UI: every clock and date is UTC+8 (the grid's zone, whatever the
 * browser's zone is), dates in ISO form (2026-12-03). `UTC8` labels them where the zone is not
 * already said nearby.
 */
export const UTC8 = 'UTC+8';
const UTC8_MS = 8 * 3_600_000;
const utc8 = (ts: number) => new Date(ts + UTC8_MS);

/** UTC+8 wall-clock time, with milliseconds when asked (log lines). */
export function formatClock(ts: number, withMs = false): string {
  const d = utc8(ts);
  const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withMs ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}

/** UTC+8 ISO date: 2026-12-03. */
export function formatDate(ts: number): string {
  const d = utc8(ts);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** UTC+8 date and time: 2026-12-03 16:48:43. */
export function formatDateTime(ts: number): string {
  return `${formatDate(ts)} ${formatClock(ts)}`;
}

// One formatter for every call: toLocaleString builds one per call, which costs in long tables.
const INT = new Intl.NumberFormat('en-US');
export const formatInt = (n: number) => INT.format(n);
