/**
 * Number and time formatting for the market screens. Times are UTC+8 (the grid's zone) whatever
 * the browser's zone is, using the same helpers as the node.
 */
import { formatDateTime as utc8DateTime, formatTime as utc8Time } from '../../../preload/contract/grid-time';
import { priceDecimals } from '../../../preload/contract/price-decimals';

export { utc8DateTime, utc8Time };

/** '+1.23' / '−0.45' / '0.00': the sign is always shown so a glance reads direction. */
export function signedPct(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = Math.abs(v).toFixed(decimals);
  if (Number(s) === 0) return (0).toFixed(decimals);
  return `${v > 0 ? '+' : '−'}${s}`;
}

/** Prices as the exchange quotes them: the coin's tick-size decimals, trailing zeros kept, so columns line up. */
export function price(v: number | null | undefined, coin?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return priceFormat(priceDecimals(coin, v)).format(v);
}

// One formatter per decimals: toLocaleString with options builds a new one on every call, which
// made a History day (1,296 cells) spend most of its render in ICU.
const formats = new Map<number, Intl.NumberFormat>();
function priceFormat(decimals: number): Intl.NumberFormat {
  let f = formats.get(decimals);
  if (!f) formats.set(decimals, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
  return f;
}

/** 'up' / 'down' / '' for colouring by sign: zero, a value shown as zero at these decimals, and missing stay neutral. */
export function signClass(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v) || Number(Math.abs(v).toFixed(decimals)) === 0) return '';
  return v > 0 ? 'up' : 'down';
}

/** A short age: 0.4 s, 12 s, 3 m 05 s, 2 h 10 m. */
export function age(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const a = Math.max(0, ms);
  if (a < 10_000) return `${(a / 1000).toFixed(1)} s`;
  const s = Math.floor(a / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}

/**
 * Background tint for a change % cell: stronger for bigger moves, capped so text stays readable. The
 * colour is the rise / fall variable, so the red-up / green-up setting (settings-store) applies.
 */
export function tint(v: number | null | undefined, scale: number): string | undefined {
  if (v === null || v === undefined || !Number.isFinite(v) || signClass(v) === '' || scale <= 0) return undefined;
  const pct = Math.min(42, 6 + (Math.abs(v) / scale) * 36);
  return `color-mix(in srgb, var(${v > 0 ? '--rise' : '--fall'}) ${pct.toFixed(1)}%, transparent)`;
}

/**
 * The same tint in 10 steps, as a class (rules in market.css): one shared rule per step instead of
 * an inline style per cell, which a History day (1,296 cells) spent a third of its style work parsing.
 */
export function tintClass(v: number | null | undefined, scale: number): string {
  if (v === null || v === undefined || !Number.isFinite(v) || signClass(v) === '' || scale <= 0) return '';
  return `tint-${v > 0 ? 'rise' : 'fall'}-${1 + Math.round(Math.min(1, Math.abs(v) / scale) * 9)}`;
}
