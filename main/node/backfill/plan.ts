/**
 * Turns a start request into a job: checks the range against the clock and the coins against the
 * exchange's instrument list (refreshing the coin catalog on the way), and splits the work into
 * pages of at most 300 bars per coin. Bars before a coin's listing get no page at all: those
 * cells are "not listed", not failures.
 */
import type { BackfillBar } from '../../../preload/contract/backfill.js';
import { HandlerError } from '../../../preload/contract/result.js';
import { coinOfInstId } from '../../../preload/contract/coins.js';
import { refreshCoinCatalog } from '../store/coin-catalog.js';
import { formatDateTime } from '../market/grid-time.js';
import type { Logger } from '../log/logger.js';
import { barOpenAt, OKX_BARS, type OkxRestClient } from '../okx/index.js';
import type { Store } from '../store/store.js';
import { barCeil, splitWindows } from '../okx/candle-pages.js';

export interface PlanInput {
  from: number;
  to: number;
  coins: string[];
  bar: BackfillBar;
}

export interface JobPlan {
  from: number;
  to: number;
  listTimes: Record<string, number | null>;
  /** `source`: the peer planned to serve the page (its id), or null for the exchange. */
  pages: { coin: string; start: number; end: number; source: string | null }[];
  notes: string[];
}

/** Most pages one job may plan (a year of 1-minute bars for 27 coins is about 47,000). */
export const MAX_PAGES = 100_000;

/** Splits one coin's bars into pages with their sources (source-plan.ts); default: exchange pages only. */
export type Segmenter = (coin: string, start: number, end: number, listTimes: Record<string, number | null>) => JobPlan['pages'];

export async function planJob(
  d: { store: Store; rest: OkxRestClient; now: number; log: Logger; segment?: Segmenter | Promise<Segmenter | undefined> },
  input: PlanInput,
): Promise<JobPlan> {
  const { bar } = input;
  const size = OKX_BARS[bar].ms;
  const now = d.now;
  if (input.from >= now) {
    throw new HandlerError(
      'bad_input',
      `The range starts at ${formatDateTime(input.from)} (UTC+8), which is in the future; only bars that have opened can be backfilled.`,
      { reason: 'backfill.future', params: { from: formatDateTime(input.from) } },
    );
  }
  const first = barCeil(bar, input.from);
  // On the bar grid: bars opening before `to` are in; the last one that can exist opened at or before now.
  const to = Math.min(barCeil(bar, input.to), barOpenAt(bar, now) + size);
  if (first >= to) {
    throw new HandlerError(
      'bad_input',
      `No ${bar} bar opens between ${formatDateTime(input.from)} and ${formatDateTime(Math.min(input.to, now))} (UTC+8); widen the range.`,
      { reason: 'backfill.no_bar', params: { bar, from: formatDateTime(input.from), to: formatDateTime(Math.min(input.to, now)) } },
    );
  }
  const notes: string[] = [];
  if (to < input.to) notes.push(`the end was moved back to ${formatDateTime(to)} (UTC+8): later bars have not opened yet`);

  // The peers' coverage (behind `segment`) and the exchange's instrument list are asked at once.
  const [listTimes, segment] = await Promise.all([listTimesOf(d, input.coins), d.segment]);
  const pages: JobPlan['pages'] = [];
  for (const coin of input.coins) {
    const lt = listTimes[coin] ?? null;
    const start = lt === null ? first : Math.max(first, barOpenAt(bar, lt));
    if (lt !== null && lt >= to) {
      notes.push(`${coin} was listed on ${formatDateTime(lt)}, after the range: all its cells are "not listed"`);
      continue;
    }
    if (lt !== null && lt > first) notes.push(`${coin} was listed on ${formatDateTime(lt)}: earlier cells are "not listed"`);
    if (segment) pages.push(...segment(coin, start, to, listTimes));
    else for (const w of splitWindows(coin, bar, start, to)) pages.push({ coin, start: w.start, end: w.end, source: null });
  }
  if (pages.length > MAX_PAGES) {
    throw new HandlerError(
      'bad_input',
      `That job needs ${pages.length.toLocaleString('en-US')} requests, more than the ${MAX_PAGES.toLocaleString('en-US')} one job may make; use a larger bar, a shorter range or fewer coins.`,
      { reason: 'backfill.too_many_pages', params: { pages: pages.length, max: MAX_PAGES } },
    );
  }
  // Time first, then coin: the coverage fills day by day, and both endpoints get work early.
  const order = new Map(input.coins.map((c, i) => [c, i]));
  pages.sort((a, b) => a.start - b.start || order.get(a.coin)! - order.get(b.coin)!);
  return { from: first, to, listTimes, pages, notes };
}

/**
 * Listing times from the exchange's instrument list; unknown coins are refused. When the list
 * cannot be fetched, the stored catalog decides (and an empty catalog lets every coin through:
 * the exchange will answer for unknown ones page by page).
 */
async function listTimesOf(
  d: { store: Store; rest: OkxRestClient; now: number; log: Logger },
  coins: readonly string[],
): Promise<Record<string, number | null>> {
  let known: Map<string, number | null>;
  try {
    const instruments = await d.rest.instruments('SWAP');
    refreshCoinCatalog(d.store, instruments, d.now);
    known = new Map();
    for (const i of instruments) {
      const coin = coinOfInstId(i.instId);
      if (coin) known.set(coin, i.listTime ?? null);
    }
  } catch (e) {
    d.log.warn(`instrument list unavailable (${(e as Error).message}); using the stored coin catalog`);
    const rows = d.store.db.prepare('SELECT symbol, list_time FROM coins').all() as { symbol: string; list_time: number | null }[];
    known = new Map(rows.map((r) => [r.symbol, r.list_time]));
  }
  if (known.size > 0) {
    const unknown = coins.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new HandlerError(
        'bad_input',
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not listed on the exchange as a USDT perpetual swap (${unknown.map((c) => `${c}-USDT-SWAP`).join(', ')}); check the spelling.`,
        {
          issues: [
            { path: ['coins'], reason: 'coins_unknown', params: { coins: unknown.join(', '), n: unknown.length }, message: 'not listed' },
          ],
        },
      );
    }
  }
  return Object.fromEntries(coins.map((c) => [c, known.get(c) ?? null]));
}
