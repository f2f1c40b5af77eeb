/** A run's progress as the engine reports it: pages left per endpoint, request rate and ETA. */
import { OKX_ENDPOINTS, OKX_LIMIT_WINDOW_MS } from '../okx/index.js';
import { endpointFor, type CandleEndpoint } from '../okx/candle-pages.js';
import type { JobRow, PageRow } from './job-store.js';
import type { RunnerDeps, RunSnapshot } from './run-deps.js';

export const ENDPOINTS: readonly CandleEndpoint[] = ['candles', 'historyCandles'];
export const RATE_WINDOW_MS = 5_000;

export interface RunCounters {
  pagesTotal: number;
  pagesDone: number;
  bars: number;
  rowsWritten: number;
  requests: number;
  current: string | null;
}

/** `answers`: wall-clock times of recent answers, oldest first; those older than the rate window are dropped from it. */
export function runSnapshot(
  d: Pick<RunnerDeps, 'now' | 'rest'>,
  bar: JobRow['bar'],
  open: Iterable<PageRow>,
  used: ReadonlySet<CandleEndpoint>,
  answers: number[],
  startedAt: number,
  c: RunCounters,
): RunSnapshot {
  const now = d.now();
  const wall = Date.now();
  while (answers.length && answers[0]! < wall - RATE_WINDOW_MS) answers.shift();
  const span = Math.min(RATE_WINDOW_MS, Math.max(1_000, wall - startedAt));
  let queued = 0;
  let parked = 0;
  let openCount = 0;
  const remaining: Record<CandleEndpoint, number> = { candles: 0, historyCandles: 0 };
  for (const p of open) {
    openCount += 1;
    if (p.state === 'failed') {
      queued += 1;
      if (p.nextTryAt === null) {
        parked += 1;
        continue;
      }
    }
    remaining[endpointFor(bar, p.start, now)] += 1;
  }
  const stats = d.rest.stats();
  let eta = 0;
  let limit = 0;
  for (const e of ENDPOINTS) {
    if (remaining[e] > 0 || used.has(e)) limit += OKX_ENDPOINTS[e].limit / (OKX_LIMIT_WINDOW_MS / 1000);
    const perMs = stats[e].allowedPerWindow / stats[e].windowMs;
    eta = Math.max(eta, remaining[e] / perMs);
  }
  return {
    pagesTotal: c.pagesTotal,
    pagesDone: c.pagesDone,
    pagesQueued: queued,
    pagesParked: parked,
    bars: c.bars,
    rowsWritten: c.rowsWritten,
    requests: c.requests,
    requestsPerSec: answers.length / (span / 1000),
    limitPerSec: limit,
    etaMs: openCount - parked > 0 ? Math.round(eta) : null,
    current: c.current,
  };
}
