/**
 * Persistence of backfill jobs and pages (migration 004). A page's row is also its retry-queue
 * entry. `markDone` runs inside the caller's transaction, next to the rows the page wrote, so a
 * crash either keeps both or neither: a finished page is never fetched again after a restart.
 */
import type { BackfillBar, BackfillJob, BackfillJobState, RetryEntry } from '../../../preload/contract/backfill.js';
import type { Store } from '../store/store.js';

export type PageState = 'pending' | 'done' | 'failed';

export interface PageRow {
  id: number;
  jobId: number;
  coin: string;
  start: number;
  end: number;
  state: PageState;
  attempts: number;
  lastError: string | null;
  nextTryAt: number | null;
  gapSig: string | null;
  /** The peer (id) this page is asked of; null = the exchange. */
  source: string | null;
}

export interface JobRow extends BackfillJob {
  listTimes: Record<string, number | null>;
  bars: number;
  rowsWritten: number;
  requests: number;
}

export interface PageCounts {
  total: number;
  done: number;
  queued: number;
  parked: number;
}

interface RawJob {
  id: number;
  bar: string;
  from_ts: number;
  to_ts: number;
  coins: string;
  list_times: string;
  state: string;
  created_at: number;
  finished_at: number | null;
  active_ms: number;
  bars: number;
  rows_written: number;
  requests: number;
}
interface RawPage {
  id: number;
  job_id: number;
  coin: string;
  start_ts: number;
  end_ts: number;
  state: string;
  attempts: number;
  last_error: string | null;
  next_try_at: number | null;
  gap_sig: string | null;
  source: string | null;
}

const toPage = (r: RawPage): PageRow => ({
  id: r.id,
  jobId: r.job_id,
  coin: r.coin,
  start: r.start_ts,
  end: r.end_ts,
  state: r.state as PageState,
  attempts: r.attempts,
  lastError: r.last_error,
  nextTryAt: r.next_try_at,
  gapSig: r.gap_sig,
  source: r.source,
});

function toJob(r: RawJob): JobRow {
  const listTimes = JSON.parse(r.list_times) as Record<string, number | null>;
  const lateListed = Object.entries(listTimes)
    .filter((e): e is [string, number] => e[1] !== null && e[1] > r.from_ts)
    .map(([coin, listTime]) => ({ coin, listTime }));
  return {
    id: r.id,
    bar: r.bar as BackfillBar,
    from: r.from_ts,
    to: r.to_ts,
    coins: JSON.parse(r.coins) as string[],
    state: r.state as BackfillJobState,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    activeMs: r.active_ms,
    lateListed,
    listTimes,
    bars: r.bars,
    rowsWritten: r.rows_written,
    requests: r.requests,
  };
}

export class BackfillJobStore {
  private readonly q;

  constructor(private readonly store: Store) {
    const db = store.db;
    this.q = {
      insertJob: db.prepare(
        `INSERT INTO backfill_jobs (bar, from_ts, to_ts, coins, list_times, state, created_at) VALUES (?, ?, ?, ?, ?, 'running', ?)`,
      ),
      insertPage: db.prepare(
        `INSERT INTO backfill_pages (job_id, coin, start_ts, end_ts, state, source) VALUES (?, ?, ?, ?, 'pending', ?) RETURNING *`,
      ),
      deletePage: db.prepare(`DELETE FROM backfill_pages WHERE id = ? AND state != 'done'`),
      setSource: db.prepare('UPDATE backfill_pages SET source = ? WHERE id = ?'),
      bySource: db.prepare(
        `SELECT served_by AS servedBy, source IS NOT NULL AS peer, COUNT(*) AS pages, SUM(bars) AS bars, SUM(saved) AS saved
         FROM backfill_pages WHERE job_id = ? AND state = 'done' GROUP BY served_by ORDER BY pages DESC`,
      ),
      recent: db.prepare(
        `SELECT id, coin, start_ts, end_ts, bars, served_by, source IS NOT NULL AS peer FROM backfill_pages
         WHERE job_id = ? AND state = 'done' ORDER BY done_at DESC, id DESC LIMIT ?`,
      ),
      addSaved: db.prepare('UPDATE backfill_jobs SET saved_requests = saved_requests + ? WHERE id = ?'),
      saved: db.prepare('SELECT saved_requests FROM backfill_jobs WHERE id = ?').pluck(true),
      job: db.prepare('SELECT * FROM backfill_jobs WHERE id = ?'),
      latest: db.prepare('SELECT * FROM backfill_jobs ORDER BY id DESC LIMIT 1'),
      resumable: db.prepare(`SELECT * FROM backfill_jobs WHERE state IN ('stopped', 'interrupted') ORDER BY id DESC LIMIT 20`),
      setState: db.prepare('UPDATE backfill_jobs SET state = ?, finished_at = ? WHERE id = ?'),
      interruptAll: db.prepare(`UPDATE backfill_jobs SET state = 'interrupted' WHERE state IN ('running', 'stopping') RETURNING id`),
      addActive: db.prepare('UPDATE backfill_jobs SET active_ms = active_ms + ? WHERE id = ?'),
      addCounters: db.prepare(
        'UPDATE backfill_jobs SET bars = bars + ?, rows_written = rows_written + ?, requests = requests + ? WHERE id = ?',
      ),
      openPages: db.prepare(`SELECT * FROM backfill_pages WHERE job_id = ? AND state != 'done' ORDER BY start_ts, id`),
      counts: db.prepare(
        `SELECT COUNT(*) AS total, SUM(state = 'done') AS done, SUM(state = 'failed') AS queued,
                SUM(state = 'failed' AND next_try_at IS NULL) AS parked FROM backfill_pages WHERE job_id = ?`,
      ),
      done: db.prepare(
        `UPDATE backfill_pages SET state = 'done', attempts = attempts + 1, last_error = NULL, next_try_at = NULL,
           gap_sig = NULL, endpoint = ?, bars = ?, no_candle = ?, done_at = ?, served_by = ?, saved = ? WHERE id = ? AND state != 'done'`,
      ),
      failed: db.prepare(
        `UPDATE backfill_pages SET state = 'failed', attempts = ?, last_error = ?, next_try_at = ?, gap_sig = ?, endpoint = ? WHERE id = ?`,
      ),
      queue: db.prepare(
        `SELECT id, coin, start_ts, end_ts, attempts, last_error, next_try_at FROM backfill_pages
         WHERE job_id = ? AND state = 'failed' ORDER BY next_try_at IS NULL, next_try_at, start_ts LIMIT ?`,
      ),
      wake: db.prepare(`UPDATE backfill_pages SET next_try_at = ?, attempts = 0 WHERE job_id = ? AND state = 'failed'`),
      wakeOne: db.prepare(`UPDATE backfill_pages SET next_try_at = ?, attempts = 0 WHERE job_id = ? AND id = ? AND state = 'failed'`),
    };
  }

  createJob(
    j: { bar: BackfillBar; from: number; to: number; coins: string[]; listTimes: Record<string, number | null>; now: number },
    pages: readonly { coin: string; start: number; end: number; source?: string | null }[],
  ): number {
    return this.store.write(() => {
      const id = Number(
        this.q.insertJob.run(j.bar, j.from, j.to, JSON.stringify(j.coins), JSON.stringify(j.listTimes), j.now).lastInsertRowid,
      );
      for (const p of pages) this.q.insertPage.run(id, p.coin, p.start, p.end, p.source ?? null);
      return id;
    });
  }

  job(id: number): JobRow | null {
    const r = this.q.job.get(id) as RawJob | undefined;
    return r ? toJob(r) : null;
  }

  latest(): JobRow | null {
    const r = this.q.latest.get() as RawJob | undefined;
    return r ? toJob(r) : null;
  }

  resumable(): JobRow[] {
    return (this.q.resumable.all() as RawJob[]).map(toJob);
  }

  setState(id: number, state: BackfillJobState, finishedAt: number | null = null): void {
    this.store.write(() => this.q.setState.run(state, finishedAt, id));
  }

  /** Jobs left running by a crash or kill: they become "interrupted". */
  interruptLeftovers(): number[] {
    return this.store.write(() => (this.q.interruptAll.all() as { id: number }[]).map((r) => r.id));
  }

  addActive(id: number, ms: number): void {
    if (ms > 0) this.store.write(() => this.q.addActive.run(Math.round(ms), id));
  }

  openPages(jobId: number): PageRow[] {
    return (this.q.openPages.all(jobId) as RawPage[]).map(toPage);
  }

  counts(jobId: number): PageCounts {
    const r = this.q.counts.get(jobId) as { total: number; done: number | null; queued: number | null; parked: number | null };
    return { total: r.total, done: r.done ?? 0, queued: r.queued ?? 0, parked: r.parked ?? 0 };
  }

  /** Call inside the transaction that wrote the page's rows. */
  markDone(
    p: PageRow,
    r: { endpoint: string; bars: number; noCandle: number; rowsWritten: number; now: number; servedBy: string; saved: number },
  ): void {
    this.q.done.run(r.endpoint, r.bars, r.noCandle, r.now, r.servedBy, r.saved, p.id);
    // `requests` counts the exchange's: a page a peer served cost it none.
    this.q.addCounters.run(r.bars, r.rowsWritten, p.source === null ? 1 : 0, p.jobId);
    if (r.saved > 0) this.q.addSaved.run(r.saved, p.jobId);
  }

  /** Asks a page of another peer (or, null, of the exchange). */
  setSource(p: PageRow, source: string | null): void {
    this.store.write(() => this.q.setSource.run(source, p.id));
  }

  /** Replaces an open page by smaller ones (a peer page going to the exchange, 300 bars a request). */
  replacePage(p: PageRow, parts: readonly { start: number; end: number; source: string | null }[]): PageRow[] {
    return this.store.write(() => {
      this.q.deletePage.run(p.id);
      return parts.map((w) => toPage(this.q.insertPage.get(p.jobId, p.coin, w.start, w.end, w.source) as RawPage));
    });
  }

  /** Done pages per source: who served how much, and the exchange requests the peers saved. */
  bySource(jobId: number): { servedBy: string; peer: boolean; pages: number; bars: number; saved: number }[] {
    return (
      this.q.bySource.all(jobId) as { servedBy: string | null; peer: number; pages: number; bars: number | null; saved: number | null }[]
    ).map((r) => ({ servedBy: r.servedBy ?? 'exchange', peer: r.peer === 1, pages: r.pages, bars: r.bars ?? 0, saved: r.saved ?? 0 }));
  }

  /** The latest done pages with where each came from. */
  recentPages(
    jobId: number,
    limit = 50,
  ): { pageId: number; coin: string; from: number; to: number; bars: number; servedBy: string; peer: boolean }[] {
    return (
      this.q.recent.all(jobId, limit) as {
        id: number;
        coin: string;
        start_ts: number;
        end_ts: number;
        bars: number | null;
        served_by: string | null;
        peer: number;
      }[]
    ).map((r) => ({
      pageId: r.id,
      coin: r.coin,
      from: r.start_ts,
      to: r.end_ts,
      bars: r.bars ?? 0,
      servedBy: r.served_by ?? 'exchange',
      peer: r.peer === 1,
    }));
  }

  /** Exchange requests made outside a page (tie-breakers). */
  addRequests(jobId: number, n: number): void {
    this.store.write(() => this.q.addCounters.run(0, 0, n, jobId));
  }

  savedRequests(jobId: number): number {
    return (this.q.saved.get(jobId) as number | undefined) ?? 0;
  }

  markFailed(p: PageRow, r: { attempts: number; error: string; nextTryAt: number | null; gapSig: string | null; endpoint: string }): void {
    this.store.write(() => {
      this.q.failed.run(r.attempts, r.error, r.nextTryAt, r.gapSig, r.endpoint, p.id);
      this.q.addCounters.run(0, 0, p.source === null ? 1 : 0, p.jobId);
    });
  }

  retryQueue(jobId: number, limit = 500): RetryEntry[] {
    return (
      this.q.queue.all(jobId, limit) as {
        id: number;
        coin: string;
        start_ts: number;
        end_ts: number;
        attempts: number;
        last_error: string | null;
        next_try_at: number | null;
      }[]
    ).map((r) => ({
      pageId: r.id,
      coin: r.coin,
      from: r.start_ts,
      to: r.end_ts,
      attempts: r.attempts,
      lastError: r.last_error ?? '',
      nextTryAt: r.next_try_at,
    }));
  }

  /** Makes queued pages due at `now` (all, or the given ids); returns how many. */
  wake(jobId: number, now: number, pageIds?: readonly number[]): number {
    return this.store.write(() => {
      if (!pageIds) return this.q.wake.run(now, jobId).changes;
      let n = 0;
      for (const id of pageIds) n += this.q.wakeOne.run(now, jobId, id).changes;
      return n;
    });
  }
}
