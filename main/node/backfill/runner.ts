/**
 * One run of one backfill job: keeps each endpoint's pacing queue fed (never more pages in flight
 * than the queue may start in one window, so the collector's own calls are not starved), commits
 * each page's rows and its "done" mark in one transaction, and sends failures to the retry queue
 * with exponential backoff. Ends when nothing is left but parked pages, or when stopped.
 */
import { formatDateTime } from '../market/grid-time.js';
import type { OkxBar } from '../okx/index.js';
import { endpointFor, expectedOpens, fetchWindow, type CandleEndpoint, type CandleWindow, type WindowAnswer } from '../okx/candle-pages.js';
import type { JobRow, PageRow } from './job-store.js';
import type { RunnerDeps, RunSnapshot } from './run-deps.js';
import { runSnapshot } from './run-snapshot.js';
import { tieBreak } from './tie-break.js';
import { commitPages, type PendingPage, type Via } from './page-commit.js';
import { pageFailed, retryPageLater } from './page-retry.js';
import { checkPeerAnswer, reroutePage } from './peer-page.js';

export { DEFAULT_RETRY, type RetryPolicy, type RunnerDeps, type RunSnapshot } from './run-deps.js';

/** Pages per commit transaction, at most. */
const COMMIT_BATCH = 8;
/**
 * Candles per commit transaction, at first (a single larger page still commits whole, with its done
 * mark): peer pages hold up to 1,000 bars, and eight of them in one transaction held the event
 * loop for ~100 ms. Then as many as fit COMMIT_BUDGET_MS at the cost the last commits measured:
 * a candle costs ~10 µs in a small database and ~17 µs in a year's, where 2,000 held the loop
 * for 40 ms and, with a collection of the heap behind it, 66 ms (peer-backfill bench, 365 days).
 */
const COMMIT_CANDLES = 2_000;
const COMMIT_BUDGET_MS = 20;
const COMMIT_CANDLES_MIN = 200;
/** Range pulls in flight per run (peers answer from their disk; more would only queue there). */
const PEER_CONCURRENCY = 4;
/**
 * Until a peer first answers, one pull: its pooled connection is warm from the coverage ask,
 * while three more would each open a TLS connection that the peer handshakes before it sends
 * the first page (~30 ms of a 14-day job's start; tests/bench/peer-backfill.bench.ts).
 */
const PEER_FIRST = 1;

export class JobRunner {
  readonly finished: Promise<'finished' | 'stopped'>;
  private readonly open = new Map<number, PageRow>();
  private readonly inFlightIds = new Set<number>();
  private readonly committing = new Map<number, PendingPage>();
  private peerInFlight = 0;
  private peerAnswered = false;
  /** Candles the next commit may take (see COMMIT_BUDGET_MS). */
  private commitCandles = COMMIT_CANDLES;
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
    return runSnapshot(this.d, this.job.bar, this.open.values(), this.used, this.answers, this.startedAt, {
      pagesTotal: this.pagesTotal,
      pagesDone: this.pagesDone,
      bars: this.bars,
      rowsWritten: this.rowsWritten,
      requests: this.requests,
      current: this.current,
    });
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
    // One window's worth in flight per endpoint keeps the pacing queue full without flooding it.
    const room = (e: CandleEndpoint) => this.d.rest.allowedPerWindow(e) + 2 - this.inFlight[e];
    for (const p of [...this.open.values()]) {
      const exchangeFull = room('candles') <= 0 && room('historyCandles') <= 0;
      if (exchangeFull && this.peerInFlight >= this.peerRoom()) return;
      if (this.inFlightIds.has(p.id)) continue;
      if (p.state === 'failed' && (p.nextTryAt === null || p.nextTryAt > now)) continue;
      if (p.source !== null && !this.d.peers?.usable(p.source)) this.reroute(p, null);
      if (p.source !== null) {
        if (this.peerInFlight < this.peerRoom()) this.launchPeer(p);
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
        (err: unknown) => pageFailed(this.d, p, e, err),
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
  private peerRoom(): number {
    return this.peerAnswered ? PEER_CONCURRENCY : PEER_FIRST;
  }

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
        const { answer, disputed } = checkPeerAnswer(this.d, this.job, peer, w, a);
        if (disputed.length > 0) void this.tieBreak(p, peer, disputed);
        this.accept(p, w, 'peer', answer);
      })
      .catch((err: unknown) => {
        if (this.d.store.isOpen) this.reroute(p, err);
      })
      .finally(() => {
        this.peerAnswered = true;
        this.peerInFlight -= 1;
        if (!this.committing.has(p.id)) this.inFlightIds.delete(p.id);
        this.d.onChange();
        this.wakeUp();
      });
  }

  /** The exchange decides a peer page's disputed cells (tie-break.ts); the run waits for it before it ends. */
  private async tieBreak(p: PageRow, peer: string, disputed: Parameters<typeof tieBreak>[4]): Promise<void> {
    this.tieBreaks += 1;
    try {
      this.requests += await tieBreak(this.d, this.job, p, peer, disputed);
    } finally {
      this.tieBreaks -= 1;
      this.d.onChange();
      this.wakeUp();
    }
  }

  /** The page's peer failed (or is gone): the next peer holding the window, else the exchange in 300-bar pages. */
  private reroute(p: PageRow, err: unknown): void {
    const parts = reroutePage(this.d, this.job, p, err);
    if (parts === null) return;
    this.open.delete(p.id);
    for (const q of parts) this.open.set(q.id, q);
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
        retryPageLater(
          this.d,
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

  /** The next commit's size: what fits the budget at this one's cost per candle, moving halfway there. */
  private tuneCommit(candles: number, ms: number): void {
    if (candles < 100) return;
    const fits = (COMMIT_BUDGET_MS * candles) / Math.max(ms, 0.1);
    const next = (this.commitCandles + Math.min(fits, COMMIT_CANDLES)) / 2;
    this.commitCandles = Math.round(Math.max(COMMIT_CANDLES_MIN, next));
  }

  /** Writes waiting pages, a few per transaction; each page's rows and its "done" mark commit together. */
  private flush(): void {
    this.flushScheduled = false;
    const batch: PendingPage[] = [];
    let candles = 0;
    for (const pending of this.committing.values()) {
      if (batch.length >= COMMIT_BATCH || (batch.length > 0 && candles + pending.a.candles.length > this.commitCandles)) break;
      batch.push(pending);
      candles += pending.a.candles.length;
    }
    if (batch.length === 0) return;
    try {
      if (!this.d.store.isOpen) return;
      const t0 = performance.now();
      const added = commitPages(this.d, this.job, batch);
      this.tuneCommit(candles, performance.now() - t0);
      this.bars += added.bars;
      this.rowsWritten += added.rowsWritten;
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
}
