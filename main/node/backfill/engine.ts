/**
 * The backfill service: validates and plans jobs, runs one at a time (a second start is refused
 * as busy, not queued), stops gracefully, resumes stopped or interrupted jobs (at start when the
 * setting says so), and reports progress as events and a job-scoped log.
 */
import type { BackfillBar, BackfillProgress, BackfillStatus } from '../../../preload/contract/backfill.js';
import type { ComponentStatus, LogLine } from '../../../preload/contract/core.js';
import { HandlerError } from '../../../preload/contract/result.js';
import type { Component } from '../component.js';
import type { EventBus } from '../events/bus.js';
import type { Logger, NodeLog } from '../log/logger.js';
import type { MarketService } from '../market/market-service.js';
import type { OkxRestClient } from '../okx/index.js';
import type { Store } from '../store/store.js';
import { BackfillJobStore, type JobRow } from './job-store.js';
import { planJob, type PlanInput } from './plan.js';
import { DEFAULT_RETRY, JobRunner, type RetryPolicy } from './runner.js';
import { candleCodeOf, type PeerSources } from './peer-sources.js';
import { PeerRun } from './peer-run.js';
import { Disputes } from './disputes.js';
import type { CrossCheckDeps } from './peer-crosscheck.js';
import { askSources } from './source-ask.js';
import type { SourceRecords } from './source-records.js';
import type { OkxBar } from '../okx/index.js';

export interface BackfillDeps {
  store: Store;
  market: MarketService;
  rest: OkxRestClient;
  bus: EventBus;
  nodeLog: NodeLog;
  coins: () => readonly string[];
  resumeOnStart: () => boolean;
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Lines kept in the job-scoped log. */
  logLines?: number;
  /** The receiver's peers as sources asked before the exchange (issue 12); none: exchange only. */
  peers?: { sources: PeerSources; records: SourceRecords };
  /** The exchange host a page is credited to. */
  exchangeHost?: () => string;
  /** Difference in a candle's open (percent) beyond which two sources disagree; 0 = any (the default). */
  disputeTolerancePct?: () => number;
}

const PROGRESS_EVERY_MS = 250;

export class BackfillEngine implements Component {
  readonly name = 'backfill';
  readonly jobs: BackfillJobStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly retry: RetryPolicy;
  private readonly ring: LogLine[] = [];
  private runner: JobRunner | null = null;
  private lastJobId: number | null = null;
  /** Cross-checks of peers' values against stored ones (only with peers). */
  readonly disputes: Disputes | null;
  /** Peers asked when a job was planned, handed to its first run. */
  private readonly planned = new Map<number, PeerRun>();
  private nodeStopping = false;
  private progressTimer: NodeJS.Timeout | undefined;
  private lastProgressAt = 0;
  private detachLog: (() => void) | undefined;

  constructor(private readonly d: BackfillDeps) {
    this.jobs = new BackfillJobStore(d.store);
    this.disputes = d.peers ? new Disputes(d.store) : null;
    this.log = d.nodeLog.scope('backfill');
    this.now = d.now ?? Date.now;
    this.retry = { ...DEFAULT_RETRY, ...d.retry };
    const cap = d.logLines ?? 2_000;
    this.detachLog = d.nodeLog.onLine((l) => {
      if (l.source !== 'backfill') return;
      this.ring.push(l);
      if (this.ring.length > cap) this.ring.splice(0, this.ring.length - cap);
    });
  }

  start(): void {
    this.nodeStopping = false;
    const left = this.jobs.interruptLeftovers();
    if (left.length === 0) return;
    this.log.warn(
      `backfill job${left.length > 1 ? 's' : ''} ${left.map((i) => `#${i}`).join(', ')} did not finish last time (crash or quit)`,
    );
    if (this.d.resumeOnStart()) {
      const id = Math.max(...left);
      this.log.info(`resuming job #${id} at start (setting "resume backfill at start" is on)`);
      this.run(this.jobs.job(id)!);
    }
  }

  async stop(): Promise<void> {
    this.nodeStopping = true;
    await this.halt('interrupted');
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.detachLog?.();
    this.detachLog = undefined;
    await this.d.peers?.sources.close();
  }

  status(): ComponentStatus {
    const p = this.progress();
    if (!this.runner || !p) return { name: this.name, state: 'idle', detail: 'no backfill running', text: { key: 'backfill.none' } };
    const params = { id: p.jobId, done: p.pagesDone, total: p.pagesTotal };
    return {
      name: this.name,
      state: 'running',
      detail: `job #${p.jobId}: ${p.pagesDone}/${p.pagesTotal} pages`,
      text: { key: 'backfill.job', params },
    };
  }

  /** Validates, plans and starts a job. Refused as busy while another one runs. */
  async startJob(input: { from: number; to: number; coins?: string[]; bar: BackfillBar }): Promise<BackfillStatus> {
    this.assertIdle();
    const coins = input.coins ?? [...this.d.coins()];
    const now = this.now();
    const code = candleCodeOf(input.bar);
    const bar = input.bar as OkxBar;
    const to = Math.min(input.to, now);
    const ask =
      this.d.peers && code
        ? askSources(
            { peers: this.peerDeps()!, crossCheck: this.disputes ? () => this.crossCheckDeps() : null },
            { code, bar, coins, from: input.from, to, now },
          )
        : null;
    const plan = await planJob({ store: this.d.store, rest: this.d.rest, now, log: this.log, segment: ask?.segment }, {
      ...input,
      coins,
    } satisfies PlanInput);
    const { peers, checked } = ask ? await ask.settled() : { peers: null, checked: null };
    // The instruments call awaited above: another start may have slipped in meanwhile.
    this.assertIdle();
    const id = this.jobs.createJob(
      { bar: input.bar, from: plan.from, to: plan.to, coins, listTimes: plan.listTimes, now: this.now() },
      plan.pages,
    );
    if (peers) this.planned.set(id, peers);
    if (checked?.requests) this.jobs.addRequests(id, checked.requests);
    if (checked?.disputed)
      this.log.warn(`job #${id}: ${checked.disputed} cell(s) differed between peers; the exchange decided ${checked.decided}`);
    const fromPeers = plan.pages.filter((p) => p.source !== null).length;
    if (peers) this.log.info(`job #${id}: ${fromPeers} of ${plan.pages.length} pages planned from ${peers.covers.length} peer(s)`);
    this.log.info(
      `job #${id}: ${coins.length} coins, ${input.bar}, ${new Date(plan.from).toISOString()} → ${new Date(plan.to).toISOString()}, ${plan.pages.length} pages${plan.notes.length ? `; ${plan.notes.join('; ')}` : ''}`,
    );
    this.run(this.jobs.job(id)!);
    return this.statusOf();
  }

  async stopJob(): Promise<BackfillStatus> {
    if (!this.runner)
      throw new HandlerError('conflict', 'No backfill job is running, so there is nothing to stop.', { reason: 'backfill.not_running' });
    await this.halt('stopped');
    return this.statusOf();
  }

  resume(jobId?: number): BackfillStatus {
    this.assertIdle();
    const job = jobId !== undefined ? this.jobs.job(jobId) : (this.jobs.resumable()[0] ?? null);
    if (!job)
      throw new HandlerError(
        'not_found',
        jobId !== undefined ? `There is no backfill job #${jobId}.` : 'There is no stopped or interrupted backfill job to resume.',
        jobId !== undefined ? { reason: 'backfill.job_not_found', params: { id: jobId } } : { reason: 'backfill.nothing_to_resume' },
      );
    if (job.state === 'done' && this.jobs.counts(job.id).queued === 0) {
      throw new HandlerError('conflict', `Backfill job #${job.id} is already complete; start a new one to fetch again.`, {
        reason: 'backfill.job_complete',
        params: { id: job.id },
      });
    }
    this.log.info(`resuming job #${job.id} (${job.state})`);
    this.run(job);
    return this.statusOf();
  }

  /** Makes the current (or last) job's queued pages due now; reopens a finished job that left some. */
  retryNow(pageIds?: number[]): BackfillStatus {
    const job = this.runner?.job ?? this.latestJob();
    if (!job)
      throw new HandlerError('not_found', 'There is no backfill job yet, so the retry queue is empty.', { reason: 'backfill.no_job' });
    const n = this.jobs.wake(job.id, this.now(), pageIds);
    if (n === 0) {
      throw new HandlerError('not_found', pageIds ? 'None of those pages is in the retry queue.' : 'The retry queue is empty.', {
        reason: pageIds ? 'backfill.pages_not_queued' : 'backfill.queue_empty',
      });
    }
    this.log.info(`retry now: ${n} page${n === 1 ? '' : 's'} of job #${job.id}`);
    if (this.runner) this.runner.reloadQueue();
    else this.run(this.jobs.job(job.id)!);
    return this.statusOf();
  }

  statusOf(): BackfillStatus {
    const job = this.runner ? this.jobs.job(this.runner.job.id) : this.latestJob();
    return {
      job: job ? publicJob(job) : null,
      progress: this.progress(),
      retryQueue: job ? this.jobs.retryQueue(job.id) : [],
      resumable: this.jobs
        .resumable()
        .filter((j) => j.id !== job?.id)
        .map((j) => ({ id: j.id, state: j.state, from: j.from, to: j.to, bar: j.bar, coins: j.coins.length })),
      resumeOnStart: this.d.resumeOnStart(),
      sources: job ? this.jobs.bySource(job.id) : [],
      recentPages: job ? this.jobs.recentPages(job.id) : [],
      log: [...this.ring],
    };
  }

  /** Progress of the running job, or the final figures of the last one. */
  progress(): BackfillProgress | null {
    if (this.runner) {
      const s = this.runner.snapshot();
      const state = this.jobs.job(this.runner.job.id)?.state ?? 'running';
      return {
        jobId: this.runner.job.id,
        state,
        ...s,
        savedRequests: this.jobs.savedRequests(this.runner.job.id),
        rateLimited: this.rateLimited(),
        percent: pct(s.pagesDone, s.pagesTotal),
      };
    }
    const job = this.latestJob();
    if (!job) return null;
    const c = this.jobs.counts(job.id);
    return {
      jobId: job.id,
      state: job.state,
      pagesTotal: c.total,
      pagesDone: c.done,
      pagesQueued: c.queued,
      pagesParked: c.parked,
      bars: job.bars,
      rowsWritten: job.rowsWritten,
      requests: job.requests,
      savedRequests: this.jobs.savedRequests(job.id),
      requestsPerSec: 0,
      limitPerSec: 0,
      rateLimited: this.rateLimited(),
      etaMs: null,
      current: null,
      percent: pct(c.done, c.total),
    };
  }

  private crossCheckDeps(): CrossCheckDeps {
    return {
      store: this.d.store,
      grid: this.d.market.grid,
      rest: this.d.rest,
      disputes: this.disputes!,
      log: this.log,
      now: this.now,
      exchangeHost: this.d.exchangeHost ?? (() => 'exchange'),
      tolerancePct: this.d.disputeTolerancePct?.() ?? 0,
    };
  }

  private peerDeps() {
    return this.d.peers && { ...this.d.peers, log: this.log, now: this.now };
  }

  private latestJob(): JobRow | null {
    return this.lastJobId !== null ? this.jobs.job(this.lastJobId) : this.jobs.latest();
  }

  private rateLimited(): number {
    const s = this.d.rest.stats();
    return s.candles.rateLimited + s.historyCandles.rateLimited;
  }

  private assertIdle(): void {
    if (this.nodeStopping)
      throw new HandlerError('unavailable', 'The node is stopping; backfill is not accepting work.', { reason: 'node_stopping' });
    if (this.runner) {
      const p = this.progress();
      throw new HandlerError(
        'busy',
        `Backfill job #${this.runner.job.id} is already running (${p?.pagesDone ?? 0} of ${p?.pagesTotal ?? 0} pages); stop it or wait for it to finish. Jobs are not queued.`,
        { reason: 'backfill.busy', params: { id: this.runner.job.id, done: p?.pagesDone ?? 0, total: p?.pagesTotal ?? 0 } },
      );
    }
  }

  private run(job: JobRow): void {
    this.jobs.setState(job.id, 'running');
    this.lastJobId = job.id;
    const runner = new JobRunner(
      {
        store: this.d.store,
        jobs: this.jobs,
        rest: this.d.rest,
        grid: this.d.market.grid,
        log: this.log,
        now: this.now,
        retry: this.retry,
        onChange: () => this.emitProgress(false),
        peers: this.planned.get(job.id) ?? (this.d.peers ? new PeerRun(this.peerDeps()!, []) : undefined),
        exchangeHost: this.d.exchangeHost ?? (() => 'exchange'),
        disputes: this.disputes ?? undefined,
        tolerancePct: this.d.disputeTolerancePct,
      },
      this.jobs.job(job.id)!,
    );
    this.planned.delete(job.id);
    this.runner = runner;
    this.emitProgress(true);
    void runner.finished.then(
      (how) => this.ended(runner, how),
      (e: unknown) => {
        this.log.error(`job #${job.id} stopped on an unexpected error: ${(e as Error).message}`);
        return this.ended(runner, 'stopped');
      },
    );
  }

  private ended(runner: JobRunner, how: 'finished' | 'stopped'): void {
    if (this.runner === runner) this.runner = null;
    if (!this.d.store.isOpen) return;
    const id = runner.job.id;
    this.jobs.addActive(id, runner.activeMs);
    const c = this.jobs.counts(id);
    if (how === 'stopped') {
      const state = this.nodeStopping ? 'interrupted' : 'stopped';
      this.jobs.setState(id, state);
      this.log.info(`job #${id} ${state} at ${c.done}/${c.total} pages; resume continues from there`);
    } else {
      this.jobs.setState(id, 'done', this.now());
      const job = this.jobs.job(id)!;
      this.log.info(
        `job #${id} finished: ${c.done}/${c.total} pages, ${job.bars} candles, ${job.requests} requests in ${(job.activeMs / 1000).toFixed(1)} s${c.queued ? `; ${c.queued} pages left in the retry queue` : ''}`,
      );
      this.d.bus.emit('backfill.finished', {
        jobId: id,
        rows: job.bars,
        coins: job.coins.length,
        durationMs: job.activeMs,
        failed: c.queued,
      });
    }
    this.emitProgress(true);
  }

  private async halt(state: 'stopped' | 'interrupted'): Promise<void> {
    const r = this.runner;
    if (!r) return;
    this.jobs.setState(r.job.id, 'stopping');
    this.log.info(`stopping job #${r.job.id} (${state === 'stopped' ? 'asked' : 'node stopping'}); pages in flight finish first`);
    this.emitProgress(true);
    await r.stop();
    // ended() runs in the finished promise's then; let it.
    await new Promise((res) => setImmediate(res));
  }

  /** Throttled: at most one event per 250 ms, plus one on every state change. */
  private emitProgress(force: boolean): void {
    const wall = Date.now();
    if (!force && wall - this.lastProgressAt < PROGRESS_EVERY_MS) {
      if (!this.progressTimer) {
        this.progressTimer = setTimeout(
          () => {
            this.progressTimer = undefined;
            this.emitProgress(true);
          },
          PROGRESS_EVERY_MS - (wall - this.lastProgressAt),
        );
        this.progressTimer.unref();
      }
      return;
    }
    this.lastProgressAt = wall;
    if (!this.d.store.isOpen) return;
    const p = this.progress();
    if (p) this.d.bus.emit('backfill.progress', p);
  }
}

const pct = (done: number, total: number): number => (total === 0 ? 100 : Math.floor((done / total) * 1000) / 10);

function publicJob(j: JobRow) {
  return {
    id: j.id,
    bar: j.bar,
    from: j.from,
    to: j.to,
    coins: j.coins,
    state: j.state,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
    activeMs: j.activeMs,
    lateListed: j.lateListed,
  };
}
