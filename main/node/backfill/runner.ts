/**
 * One run of one backfill job: keeps each endpoint's pacing queue fed (never more pages in flight
 * than the queue may start in one window, so the collector's own calls are not starved), commits
 * each page's rows and its "done" mark in one transaction, and sends failures to the retry queue
 * with exponential backoff. Ends when nothing is left but parked pages, or when stopped.
 */
import type { BackfillProgress } from '../../../preload/contract/backfill.js';
import { formatDateTime } from '../market/grid-time.js';
import type { GridWriter } from '../market/grid-writer.js';
import type { Logger } from '../log/logger.js';
import { OKX_ENDPOINTS, OKX_LIMIT_WINDOW_MS, OkxError, type OkxBar, type OkxRestClient } from '../okx/index.js';
import type { Store } from '../store/store.js';
import {
  endpointFor,
  expectedOpens,
  fetchWindow,
  type CandleEndpoint,
  type CandleInput,
  type CandleWindow,
  type WindowAnswer,
} from '../okx/candle-pages.js';
import type { BackfillJobStore, JobRow, PageRow } from './job-store.js';
import { backoffDelay, type BackoffPolicy } from '../timing/backoff.js';
import { splitWindows } from '../okx/candle-pages.js';
import type { PeerRun } from './peer-run.js';
import type { Disputed, Disputes } from './disputes.js';
import { OKX_BARS } from '../okx/index.js';

/** How a failed page is retried: its waits follow the node's one backoff (`timing/backoff.ts`). */
export interface RetryPolicy extends BackoffPolicy {
  /** After this many attempts a page is parked: it stays in the queue with its reason until "retry now". */
  maxAttempts: number;
  /** Delay before re-asking a page whose answer had a hole, to tell a real gap from a short answer. */
  gapConfirmMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 8, gapConfirmMs: 500 };

export interface RunnerDeps {
  store: Store;
  jobs: BackfillJobStore;
  rest: OkxRestClient;
  grid: GridWriter;
  log: Logger;
  now: () => number;
  retry: RetryPolicy;
  /** Told after every page (done or failed). */
  onChange: () => void;
  /** The peers of this run (pages with a source); none: every page goes to the exchange. */
  peers?: PeerRun;
  /** The exchange host, named as a page's source. */
  exchangeHost: () => string;
  /** Cross-checks a peer's candles with those already stored (issue 12); none: peers' values are taken as they come. */
  disputes?: Disputes;
  /** Difference in the open (percent) beyond which two sources disagree; 0 = any. */
  tolerancePct?: () => number;
}

/** The run's part of the job's progress; the engine adds the job's id and state, 429 count and percent. */
export type RunSnapshot = Omit<BackfillProgress, 'jobId' | 'state' | 'rateLimited' | 'percent' | 'savedRequests'>;

const ENDPOINTS: readonly CandleEndpoint[] = ['candles', 'historyCandles'];
const RATE_WINDOW_MS = 5_000;
/** Pages per commit transaction. */
const COMMIT_BATCH = 8;
/** Range pulls in flight per run (peers answer from their disk; more would only queue there). */
const PEER_CONCURRENCY = 4;
type Via = CandleEndpoint | 'peer';

export class JobRunner {
  readonly finished: Promise<'finished' | 'stopped'>;
  private readonly open = new Map<number, PageRow>();
  private readonly inFlightIds = new Set<number>();
  private readonly committing = new Map<number, { p: PageRow; e: Via; a: WindowAnswer; noCandle: number }>();
  private peerInFlight = 0;
  private tieBreaks = 0;
  private flushScheduled = false;
  private readonly inFlight: Record<CandleEndpoint, number> = { candles: 0, historyCandles: 0 };
  private readonly used = new Set<CandleEndpoint>();
  private readonly answers: number[] = [];
  private readonly startedAt: number;
  private stopping = false;
  private notify: (() => void) | null = null;
  private pagesTotal: number;
  private pagesDone: number;
  private bars: number;
  private rowsWritten: number;
  private requests: number;
  private current: string | null = null;

  constructor(
    private readonly d: RunnerDeps,
    readonly job: JobRow,
  ) {
    for (const p of d.jobs.openPages(job.id)) this.open.set(p.id, p);
    const c = d.jobs.counts(job.id);
    this.pagesTotal = c.total;
    this.pagesDone = c.done;
    this.bars = job.bars;
    this.rowsWritten = job.rowsWritten;
    this.requests = job.requests;
    this.startedAt = Date.now();
    this.finished = this.loop();
  }

  /** Graceful: nothing new is sent; pages in flight finish (and commit) first. */
  stop(): Promise<'finished' | 'stopped'> {
    this.stopping = true;
    this.wakeUp();
    return this.finished;
  }

  /** Re-reads the retry queue after "retry now" changed it in the store. */
  reloadQueue(): void {
    for (const p of this.d.jobs.openPages(this.job.id)) if (!this.inFlightIds.has(p.id)) this.open.set(p.id, p);
    this.wakeUp();
  }

  get activeMs(): number {
    return Date.now() - this.startedAt;
  }

  snapshot(): RunSnapshot {
    const now = this.d.now();
    const wall = Date.now();
    while (this.answers.length && this.answers[0]! < wall - RATE_WINDOW_MS) this.answers.shift();
    const span = Math.min(RATE_WINDOW_MS, Math.max(1_000, wall - this.startedAt));
    let queued = 0;
    let parked = 0;
    const remaining: Record<CandleEndpoint, number> = { candles: 0, historyCandles: 0 };
    for (const p of this.open.values()) {
      if (p.state === 'failed') {
        queued += 1;
        if (p.nextTryAt === null) {
          parked += 1;
          continue;
        }
      }
      remaining[endpointFor(this.job.bar, p.start, now)] += 1;
    }
    const stats = this.d.rest.stats();
    let eta = 0;
    let limit = 0;
    for (const e of ENDPOINTS) {
      if (remaining[e] > 0 || this.used.has(e)) limit += OKX_ENDPOINTS[e].limit / (OKX_LIMIT_WINDOW_MS / 1000);
      const perMs = stats[e].allowedPerWindow / stats[e].windowMs;
      eta = Math.max(eta, remaining[e] / perMs);
    }
    return {
      pagesTotal: this.pagesTotal,
      pagesDone: this.pagesDone,
      pagesQueued: queued,
      pagesParked: parked,
      bars: this.bars,
      rowsWritten: this.rowsWritten,
      requests: this.requests,
      requestsPerSec: this.answers.length / (span / 1000),
      limitPerSec: limit,
      etaMs: this.open.size - parked > 0 ? Math.round(eta) : null,
      current: this.current,
    };
  }

  private wakeUp(): void {
    const n = this.notify;
    this.notify = null;
    n?.();
  }

  private wait(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const t = ms === null ? undefined : setTimeout(() => this.wakeUp(), Math.max(0, ms));
      this.notify = () => {
        if (t) clearTimeout(t);
        resolve();
      };
    });
  }

  private async loop(): Promise<'finished' | 'stopped'> {
    // Let the constructor return (and the caller record the run) before the first page goes out.
    await Promise.resolve();
    for (;;) {
      if (!this.stopping) this.fill();
      const busy = this.inFlightIds.size > 0 || this.tieBreaks > 0;
      if (!busy && this.stopping) return 'stopped';
      if (busy) {
        await this.wait(null);
        continue;
      }
      let next: number | null = null;
      for (const p of this.open.values()) if (p.state === 'failed' && p.nextTryAt !== null) next = Math.min(next ?? Infinity, p.nextTryAt);
      if (next === null) return 'finished';
      await this.wait(next - this.d.now());
    }
  }

  /** Starts every page that is due, as long as its endpoint has room. */
  private fill(): void {
    const now = this.d.now();
    const stats = this.d.rest.stats();
    // One window's worth in flight per endpoint keeps the pacing queue full without flooding it.
    const room = (e: CandleEndpoint) => stats[e].allowedPerWindow + 2 - this.inFlight[e];
    for (const p of [...this.open.values()]) {
      const exchangeFull = room('candles') <= 0 && room('historyCandles') <= 0;
      if (exchangeFull && this.peerInFlight >= PEER_CONCURRENCY) return;
      if (this.inFlightIds.has(p.id)) continue;
      if (p.state === 'failed' && (p.nextTryAt === null || p.nextTryAt > now)) continue;
      if (p.source !== null && !this.d.peers?.usable(p.source)) this.reroute(p, null);
      if (p.source !== null) {
        if (this.peerInFlight < PEER_CONCURRENCY) this.launchPeer(p);
        continue;
      }
      if (!this.open.has(p.id)) continue;
      const e = endpointFor(this.job.bar, p.start, now);
      if (room(e) <= 0) continue;
      this.launch(p, e);
    }
  }

  private launch(p: PageRow, e: CandleEndpoint): void {
    const w: CandleWindow = { coin: p.coin, bar: this.job.bar as OkxBar, start: p.start, end: p.end };
    this.inFlight[e] += 1;
    this.inFlightIds.add(p.id);
    this.used.add(e);
    this.current = `${p.coin} ${formatDateTime(p.start)} → ${formatDateTime(p.end)} (${e === 'candles' ? 'candles' : 'history-candles'})`;
    fetchWindow(this.d.rest, w, e)
      .then(
        (a) => this.accept(p, w, e, a),
        (err: unknown) => this.reject(p, e, err),
      )
      .catch((err: unknown) => this.d.log.error(`backfill page ${p.id} could not be recorded: ${(err as Error).message}`))
      .finally(() => {
        this.inFlight[e] -= 1;
        // A page waiting for its commit stays "in flight" so it is not sent again meanwhile.
        if (!this.committing.has(p.id)) this.inFlightIds.delete(p.id);
        this.answers.push(Date.now());
        this.requests += 1;
        this.d.onChange();
        this.wakeUp();
      });
  }

  /** A range pull from the page's peer; anything wrong with it sends the page to the next source. */
  private launchPeer(p: PageRow): void {
    const w: CandleWindow = { coin: p.coin, bar: this.job.bar as OkxBar, start: p.start, end: p.end };
    const peer = p.source!;
    this.peerInFlight += 1;
    this.inFlightIds.add(p.id);
    this.current = `${p.coin} ${formatDateTime(p.start)} → ${formatDateTime(p.end)} (${this.d.peers!.name(peer)})`;
    this.d
      .peers!.pull(peer, w)
      .then((a) => {
        if (!this.d.store.isOpen) return;
        const have = new Set(a.candles.map((c) => c.ts));
        const missing = expectedOpens(w, this.job.listTimes[p.coin] ?? null, this.d.now()).filter((t) => !have.has(t));
        if (missing.length > 0) throw new Error(`it said it holds these bars but did not deliver ${missing.length} of them`);
        const split = this.d.disputes?.split(a.candles, p.start, p.end, this.d.tolerancePct?.() ?? 0);
        if (split && split.disputed.length > 0) {
          this.d.disputes!.open(split.disputed, peer, this.d.now());
          void this.tieBreak(p, peer, split.disputed);
        }
        this.accept(p, w, 'peer', split ? { ...a, candles: split.keep } : a);
      })
      .catch((err: unknown) => {
        if (this.d.store.isOpen) this.reroute(p, err);
      })
      .finally(() => {
        this.peerInFlight -= 1;
        if (!this.committing.has(p.id)) this.inFlightIds.delete(p.id);
        this.d.onChange();
        this.wakeUp();
      });
  }

  /**
   * Asks the exchange once (one request, at most 300 bars) about a page's disputed cells; its
   * values are written and decide each dispute. Cells it cannot decide stay disputed (BF001).
   */
  private async tieBreak(p: PageRow, peer: string, disputed: Disputed[]): Promise<void> {
    this.tieBreaks += 1;
    const bar = this.job.bar as OkxBar;
    const tol = this.d.tolerancePct?.() ?? 0;
    const first = Math.min(...disputed.map((x) => x.candle.ts));
    const last = Math.max(...disputed.map((x) => x.candle.ts));
    const w = splitWindows(p.coin, bar, first, last + OKX_BARS[bar].ms)[0]!;
    try {
      const a = await fetchWindow(this.d.rest, w, endpointFor(bar, w.start, this.d.now()));
      this.requests += 1;
      if (!this.d.store.isOpen) return;
      this.d.jobs.addRequests(this.job.id, 1);
      const byTs = new Map(a.candles.map((c) => [c.ts, c]));
      const host = this.d.exchangeHost();
      const now = this.d.now();
      let peerWrong = 0;
      const write: CandleInput[] = [];
      for (const x of disputed) {
        const ex = byTs.get(x.candle.ts);
        if (!ex) continue;
        const wrong = this.d.disputes!.decide(x, peer, ex.open, host, tol, now);
        if (wrong.includes(peer)) peerWrong += 1;
        write.push(ex);
        this.d.log.warn(
          `${p.coin} ${formatDateTime(x.candle.ts)}: open ${x.storedOpen} (stored) vs ${x.candle.open} (${this.d.peers!.name(peer)}); ${host} says ${ex.open}${wrong.length ? `: ${wrong.map((s) => (s === 'stored' ? 'the stored value' : this.d.peers!.name(s))).join(' and ')} was wrong` : ''}`,
        );
      }
      this.d.store.write(() => this.d.grid.writeCandles(write, bar === '30m' ? { gridSource: 'backfill' } : {}));
      if (peerWrong > 0) this.d.peers!.disagreed(peer, peerWrong);
    } catch (err) {
      this.d.log.warn(
        `${p.coin}: the exchange could not decide ${disputed.length} disputed cells (${(err as Error).message}); they stay disputed`,
      );
    } finally {
      this.tieBreaks -= 1;
      this.d.onChange();
      this.wakeUp();
    }
  }

  /** The page's peer failed (or is gone): the next peer holding the window, else the exchange in 300-bar pages. */
  private reroute(p: PageRow, err: unknown): void {
    const from = p.source;
    if (from !== null && err !== null) this.d.peers?.drop(from, err);
    const bar = this.job.bar as OkxBar;
    const next = this.d.peers?.next(bar, p.coin, p.start, p.end, this.d.now()) ?? null;
    const parts = next === null ? splitWindows(p.coin, bar, p.start, p.end) : [{ start: p.start, end: p.end }];
    if (parts.length === 1) {
      this.d.jobs.setSource(p, next);
      p.source = next;
      return;
    }
    this.open.delete(p.id);
    for (const q of this.d.jobs.replacePage(
      p,
      parts.map((w) => ({ start: w.start, end: w.end, source: null })),
    ))
      this.open.set(q.id, q);
    this.pagesTotal += parts.length - 1;
  }

  private accept(p: PageRow, w: CandleWindow, e: Via, a: WindowAnswer): void {
    if (!this.d.store.isOpen) return;
    const now = this.d.now();
    const listTime = this.job.listTimes[p.coin] ?? null;
    const have = new Set(a.candles.map((c) => c.ts));
    // A peer's page was checked whole before its disputed candles were taken out.
    const missing = e === 'peer' ? [] : expectedOpens(w, listTime, now).filter((t) => !have.has(t));
    if (missing.length > 0) {
      // A hole may be a short answer or a real gap at the exchange: ask once more, and accept
      // the same hole twice as "no candle at the exchange".
      const sig = `${missing.length}:${missing[0]}:${missing[missing.length - 1]}`;
      if (p.gapSig !== sig) {
        this.retryLater(
          p,
          e,
          `${missing.length} of ${missing.length + have.size} bars missing in the answer (asking again to confirm)`,
          sig,
          this.d.retry.gapConfirmMs,
        );
        return;
      }
    }
    if (a.outside > 0 || a.duplicates > 0) {
      this.d.log.debug(`${p.coin} page ${p.id}: dropped ${a.outside} rows outside the window and ${a.duplicates} duplicates`);
    }
    this.committing.set(p.id, { p, e, a, noCandle: missing.length });
    // Commits run as their own macrotask, after pending answers: a burst of page writes must not
    // hold back the answers whose arrival frees the pacing slots.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes waiting pages, a few per transaction; each page's rows and its "done" mark commit together. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = [...this.committing.values()].slice(0, COMMIT_BATCH);
    if (batch.length === 0) return;
    try {
      if (!this.d.store.isOpen) return;
      const now = this.d.now();
      this.d.store.write(() => {
        for (const { p, e, a, noCandle } of batch) {
          const r = this.d.grid.writeCandles(a.candles, this.job.bar === '30m' ? { gridSource: 'backfill' } : {});
          if (r.rejected.length > 0) this.d.log.warn(`${p.coin}: ${r.rejected.length} candles refused (${r.rejected[0]!.reason})`);
          const rows = r.changed + (r.grid?.changed ?? 0) + (r.grid?.baselinesChanged ?? 0);
          const peer = e === 'peer' && p.source !== null ? p.source : null;
          this.d.jobs.markDone(p, {
            endpoint: e,
            bars: a.candles.length - r.rejected.length,
            noCandle,
            rowsWritten: rows,
            now,
            servedBy: peer ? this.d.peers!.name(peer) : this.d.exchangeHost(),
            saved: peer ? splitWindows(p.coin, this.job.bar as OkxBar, p.start, p.end).length : 0,
          });
          if (peer) this.d.peers!.served(peer, 1);
          this.bars += a.candles.length - r.rejected.length;
          this.rowsWritten += rows;
        }
      });
      for (const { p, a, noCandle } of batch) {
        this.open.delete(p.id);
        this.pagesDone += 1;
        this.d.log.debug(
          `${p.coin} ${formatDateTime(p.start)}: ${a.candles.length} bars${noCandle ? `, ${noCandle} without a candle at the exchange` : ''}`,
        );
      }
    } catch (err) {
      // Nothing of the batch was committed: its pages stay open and go out again.
      this.d.log.error(`could not store ${batch.length} backfill pages: ${(err as Error).message}`);
    } finally {
      for (const { p } of batch) {
        this.committing.delete(p.id);
        this.inFlightIds.delete(p.id);
      }
      if (this.committing.size > 0) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
      this.d.onChange();
      this.wakeUp();
    }
  }

  private reject(p: PageRow, e: CandleEndpoint, err: unknown): void {
    if (!this.d.store.isOpen) return;
    const kind = err instanceof OkxError ? err.kind : 'network';
    const message = err instanceof Error ? err.message : String(err);
    // A refused request (unknown instrument, bad parameter) will not pass by waiting.
    if (kind === 'bad_request') {
      this.park(p, e, `${kind}: ${message}`, p.attempts + 1);
      return;
    }
    const delay = backoffDelay(p.attempts + 1, this.d.retry);
    this.retryLater(p, e, `${kind}: ${message}`, null, delay);
  }

  private retryLater(p: PageRow, e: Via, error: string, gapSig: string | null, delayMs: number): void {
    const attempts = p.attempts + 1;
    if (attempts >= this.d.retry.maxAttempts) {
      this.park(p, e, error, attempts);
      return;
    }
    const nextTryAt = this.d.now() + Math.round(delayMs);
    this.d.jobs.markFailed(p, { attempts, error, nextTryAt, gapSig, endpoint: e });
    Object.assign(p, { state: 'failed', attempts, lastError: error, nextTryAt, gapSig });
    this.d.log.warn(`${p.coin} ${formatDateTime(p.start)}: attempt ${attempts} failed (${error}); retrying in ${Math.round(delayMs)} ms`);
  }

  private park(p: PageRow, e: Via, error: string, attempts: number): void {
    this.d.jobs.markFailed(p, { attempts, error, nextTryAt: null, gapSig: null, endpoint: e });
    Object.assign(p, { state: 'failed', attempts, lastError: error, nextTryAt: null, gapSig: null });
    this.d.log.error(
      `${p.coin} ${formatDateTime(p.start)}: giving up after ${attempts} attempts (${error}); the page stays in the retry queue`,
    );
  }
}
