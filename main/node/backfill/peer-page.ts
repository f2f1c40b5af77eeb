/** The peer-page path's check of a range pull's answer, before the run accepts it. */
import { expectedOpens, type CandleWindow, type WindowAnswer } from '../okx/candle-pages.js';
import type { Disputed } from './disputes.js';
import type { JobRow } from './job-store.js';
import type { RunnerDeps } from './run-deps.js';

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
  if (missing.length > 0) throw new Error(`it said it holds these bars but did not deliver ${missing.length} of them`);
  const split = d.disputes?.split(a.candles, w.start, w.end, d.tolerancePct?.() ?? 0);
  if (split && split.disputed.length > 0) d.disputes!.open(split.disputed, peer, d.now());
  return { answer: split ? { ...a, candles: split.keep } : a, disputed: split?.disputed ?? [] };
}
