/**
 * Formatting of the Coin screen's figures: funding as a percent, the countdown to the next funding,
 * open interest and its 24 h change, the book's spread. Pure, for tests/unit/coin-format.test.ts.
 */
import type { BookLevel } from '../../../../preload/contract/coin';
import { signedPct } from '../../lib/market-format';

const pad = (n: number) => String(n).padStart(2, '0');

/** A percent figure with its sign: '—' (no value) stays bare. */
export const withPct = (s: string): string => (s === '—' ? s : `${s}%`);

/** A funding rate (a fraction) as a signed percent with four decimals: 0.0001 → '+0.0100'. */
export const fundingPct = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? '—' : signedPct(rate * 100, 4);

/**
 * Time left until the next funding as hh:mm:ss (OKX funds every 8 h, so hours stay two digits);
 * null when unknown, '00:00:00' once it is due (the node's next value replaces it).
 */
export function fundingCountdown(nextFundingTime: number | null | undefined, now: number): string | null {
  if (nextFundingTime === null || nextFundingTime === undefined || !Number.isFinite(nextFundingTime)) return null;
  const s = Math.max(0, Math.floor((nextFundingTime - now) / 1000));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Contracts, grouped, at most two decimals: 1234567.891 → '1,234,567.89'. */
export function contracts(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A large amount in short form in the UI language: 12.3M / 1230万. */
export function compact(v: number | null | undefined, locale: 'en' | 'zh-CN'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 }).format(v);
}

/** Open interest change over 24 h in %: from the value a day ago to now; null without both. */
export function oiChangePct(now: number | null | undefined, dayAgo: number | null | undefined): number | null {
  if (now === null || now === undefined || dayAgo === null || dayAgo === undefined || dayAgo <= 0) return null;
  return ((now - dayAgo) / dayAgo) * 100;
}

/** Best ask − best bid, and that as % of the mid; null when a side is empty. */
export function spreadOf(book: { bids: readonly BookLevel[]; asks: readonly BookLevel[] }): { abs: number; pct: number } | null {
  const bid = book.bids[0]?.px;
  const ask = book.asks[0]?.px;
  if (bid === undefined || ask === undefined) return null;
  const mid = (bid + ask) / 2;
  return { abs: ask - bid, pct: mid > 0 ? ((ask - bid) / mid) * 100 : 0 };
}

/** Each level's depth bar as a fraction of the largest cumulative size on either side (0..1). */
export function depthFractions(book: { bids: readonly BookLevel[]; asks: readonly BookLevel[] }): { bids: number[]; asks: number[] } {
  const cum = (side: readonly BookLevel[]) => {
    let s = 0;
    return side.map((l) => (s += l.sz));
  };
  const bids = cum(book.bids);
  const asks = cum(book.asks);
  const max = Math.max(0, ...bids, ...asks);
  const frac = (xs: number[]) => xs.map((x) => (max > 0 ? x / max : 0));
  return { bids: frac(bids), asks: frac(asks) };
}
