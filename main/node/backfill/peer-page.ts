/** The peer-page path: checking a range pull's answer before the run accepts it, and rerouting a page whose peer failed. */
import type { OkxBar } from '../okx/index.js';
import { expectedOpens, splitWindows, type CandleWindow, type WindowAnswer } from '../okx/candle-pages.js';
import type { Disputed } from './disputes.js';
import type { JobRow, PageRow } from './job-store.js';
import type { RunnerDeps } from './run-deps.js';
import { PeerRefusal } from './peer-sources.js';

/**
 * A peer's answer must hold every bar it claimed (else it throws, and the page goes to the next
 * source); candles that disagree with stored ones are taken out and opened as disputes.
 */
export function checkPeerAnswer(
  d: RunnerDeps,
  job: JobRow,
  peer: string,
  w: CandleWindow,
  a: WindowAnswer,
): { answer: WindowAnswer; disputed: Disputed[] } {
  const have = new Set(a.candles.map((c) => c.ts));
  const missing = expectedOpens(w, job.listTimes[w.coin] ?? null, d.now()).filter((t) => !have.has(t));
  if (missing.length > 0)
    throw new PeerRefusal(peer, `it said it holds these bars but did not deliver ${missing.length} of them`, {
      reason: 'source.missing_bars',
      params: { n: missing.length },
    });
  const split = d.disputes?.split(a.candles, w.start, w.end, d.tolerancePct?.() ?? 0);
  if (split && split.disputed.length > 0) d.disputes!.open(split.disputed, peer, d.now());
  return { answer: split ? { ...a, candles: split.keep } : a, disputed: split?.disputed ?? [] };
}

/**
 * The page's peer failed (or is gone): the next peer holding the window takes the page (null
 * returned, the page's source changed), else the exchange in 300-bar pages (returned: the pages
 * that replace it).
 */
export function reroutePage(d: RunnerDeps, job: JobRow, p: PageRow, err: unknown): PageRow[] | null {
  const from = p.source;
  if (from !== null && err !== null) d.peers?.drop(from, err);
  const bar = job.bar as OkxBar;
  const next = d.peers?.next(bar, p.coin, p.start, p.end, d.now()) ?? null;
  const parts = next === null ? splitWindows(p.coin, bar, p.start, p.end) : [{ start: p.start, end: p.end }];
  if (parts.length === 1) {
    d.jobs.setSource(p, next);
    p.source = next;
    return null;
  }
  return d.jobs.replacePage(
    p,
    parts.map((w) => ({ start: w.start, end: w.end, source: null })),
  );
}
