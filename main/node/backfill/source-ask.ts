/**
 * The peer side of planning a job: every usable peer's coverage, asked while the plan fetches the
 * instrument list; where two peers disagree on a day, the cross-check lets the exchange decide
 * first; then the segmenter that gives each covered run of days to a peer (source-plan.ts).
 */
import type { OkxBar } from '../okx/index.js';
import { crossCheck, type CrossCheck, type CrossCheckDeps } from './peer-crosscheck.js';
import { PeerRun } from './peer-run.js';
import type { Segmenter } from './plan.js';
import { sourcedPages } from './source-plan.js';

export interface SourceAsk {
  /** For planJob: resolves once the peers answered (undefined: every page goes to the exchange). */
  segment: Promise<Segmenter | undefined>;
  /** The run and the cross-check's outcome, once `segment` has resolved. */
  settled(): Promise<{ peers: PeerRun; checked: CrossCheck | null }>;
}

export function askSources(
  d: { peers: Parameters<typeof PeerRun.ask>[0]; crossCheck: (() => CrossCheckDeps) | null },
  job: { code: string; bar: OkxBar; coins: readonly string[]; from: number; to: number; now: number },
): SourceAsk {
  let checked: CrossCheck | null = null;
  const asked = PeerRun.ask(d.peers, job.code, job.from, job.to);
  const segment = asked.then(async (run): Promise<Segmenter | undefined> => {
    // Two peers holding a day with different values: the exchange decides before the plan takes it from either.
    if (d.crossCheck && run.covers.length > 1) checked = await crossCheck(d.crossCheck(), run, job.bar, job.coins, job.from, job.to);
    const skips = checked?.skips;
    return run.covers.length ? (coin, start, end) => sourcedPages(run.covers, coin, job.bar, start, end, job.now, skips) : undefined;
  });
  // planJob may refuse the input before it awaits this; a failure is logged where it happens.
  segment.catch(() => undefined);
  return { segment, settled: async () => ({ peers: await asked, checked }) };
}
