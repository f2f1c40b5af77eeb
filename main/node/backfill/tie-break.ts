/**
 * The exchange's word on a peer page's disputed cells (issue 12): one request (at most 300 bars);
 * its values are written and decide each dispute. Cells it cannot decide stay disputed (BF001).
 */
import { formatDateTime } from '../market/grid-time.js';
import { OKX_BARS, type OkxBar } from '../okx/index.js';
import { endpointFor, fetchWindow, splitWindows, type CandleInput } from '../okx/candle-pages.js';
import type { JobRow, PageRow } from './job-store.js';
import type { Disputed } from './disputes.js';
import type { RunnerDeps } from './run-deps.js';

/** Resolves to the number of exchange requests made (0 or 1); never rejects. */
export async function tieBreak(d: RunnerDeps, job: JobRow, p: PageRow, peer: string, disputed: Disputed[]): Promise<number> {
  const bar = job.bar as OkxBar;
  const tol = d.tolerancePct?.() ?? 0;
  const first = Math.min(...disputed.map((x) => x.candle.ts));
  const last = Math.max(...disputed.map((x) => x.candle.ts));
  const w = splitWindows(p.coin, bar, first, last + OKX_BARS[bar].ms)[0]!;
  let requests = 0;
  try {
    const a = await fetchWindow(d.rest, w, endpointFor(bar, w.start, d.now()));
    requests += 1;
    if (!d.store.isOpen) return requests;
    d.jobs.addRequests(job.id, 1);
    const byTs = new Map(a.candles.map((c) => [c.ts, c]));
    const host = d.exchangeHost();
    const now = d.now();
    let peerWrong = 0;
    const write: CandleInput[] = [];
    for (const x of disputed) {
      const ex = byTs.get(x.candle.ts);
      if (!ex) continue;
      const wrong = d.disputes!.decide(x, peer, ex.open, host, tol, now);
      if (wrong.includes(peer)) peerWrong += 1;
      write.push(ex);
      d.log.warn(
        `${p.coin} ${formatDateTime(x.candle.ts)}: open ${x.storedOpen} (stored) vs ${x.candle.open} (${d.peers!.name(peer)}); ${host} says ${ex.open}${wrong.length ? `: ${wrong.map((s) => (s === 'stored' ? 'the stored value' : d.peers!.name(s))).join(' and ')} was wrong` : ''}`,
      );
    }
    d.store.write(() => d.grid.writeCandles(write, bar === '30m' ? { gridSource: 'backfill' } : {}));
    if (peerWrong > 0) d.peers!.disagreed(peer, peerWrong);
  } catch (err) {
    d.log.warn(
      `${p.coin}: the exchange could not decide ${disputed.length} disputed cells (${(err as Error).message}); they stay disputed`,
    );
  }
  return requests;
}
