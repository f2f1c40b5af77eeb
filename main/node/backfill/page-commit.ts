/**
 * Page persistence: a batch of answered pages written in one transaction, each page's rows with
 * its "done" mark, so a page is either stored and done or neither (a resumed job refetches no
 * finished page).
 */
import { type OkxBar } from '../okx/index.js';
import { splitWindows, type CandleEndpoint, type WindowAnswer } from '../okx/candle-pages.js';
import type { JobRow, PageRow } from './job-store.js';
import type { RunnerDeps } from './run-deps.js';

export type Via = CandleEndpoint | 'peer';

/** An answered page waiting for its commit; `noCandle`: bars confirmed missing at the exchange. */
export interface PendingPage {
  p: PageRow;
  e: Via;
  a: WindowAnswer;
  noCandle: number;
}

/** Writes the batch in one transaction (throws, committing nothing, if it fails); returns the bars and rows it added. */
export function commitPages(d: RunnerDeps, job: JobRow, batch: readonly PendingPage[]): { bars: number; rowsWritten: number } {
  let bars = 0;
  let rowsWritten = 0;
  const now = d.now();
  d.store.write(() => {
    for (const { p, e, a, noCandle } of batch) {
      const r = d.grid.writeCandles(a.candles, job.bar === '30m' ? { gridSource: 'backfill' } : {});
      if (r.rejected.length > 0) d.log.warn(`${p.coin}: ${r.rejected.length} candles refused (${r.rejected[0]!.reason})`);
      const rows = r.changed + (r.grid?.changed ?? 0) + (r.grid?.baselinesChanged ?? 0);
      const peer = e === 'peer' && p.source !== null ? p.source : null;
      d.jobs.markDone(p, {
        endpoint: e,
        bars: a.candles.length - r.rejected.length,
        noCandle,
        rowsWritten: rows,
        now,
        servedBy: peer ? d.peers!.name(peer) : d.exchangeHost(),
        saved: peer ? splitWindows(p.coin, job.bar as OkxBar, p.start, p.end).length : 0,
      });
      if (peer) d.peers!.served(peer, 1);
      // The exchange's own page writes cells whose tie-break failed: its values decide them now.
      else if (d.disputes && e !== 'peer') {
        const wrong = d.disputes.settle(a.candles, d.exchangeHost(), d.tolerancePct?.() ?? 0, now);
        for (const [id, n] of wrong) d.peers?.disagreed(id, n);
      }
      bars += a.candles.length - r.rejected.length;
      rowsWritten += rows;
    }
  });
  return { bars, rowsWritten };
}
