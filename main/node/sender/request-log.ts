import type { Statement } from 'better-sqlite3';
import type { SenderCounters, SenderLogEntry, SenderStats } from '../../../preload/contract/sender.js';
import type { Db } from '../store/db.js';

/** What the server records per request (a log entry before it has an id); `items` attributes a batch to its datasets. */
export type RequestRecord = Omit<SenderLogEntry, 'id'> & {
  items?: { dataset: string; rows: number; bytes: number; ok: boolean }[];
};

const TOTAL = '*';
const zero = (): SenderCounters => ({ requests: 0, ok: 0, failed: 0, rows: 0, bytes: 0, lastTs: null });

function add(c: SenderCounters, ok: boolean, rows: number, bytes: number, ts: number): void {
  c.requests += 1;
  if (ok) c.ok += 1;
  else c.failed += 1;
  c.rows += rows;
  c.bytes += bytes;
  c.lastTs = ts;
}

/**
 * The request log: a bounded ring of the newest entries plus counters per dataset that survive
 * restarts. Counters are live in memory; SQLite gets both in one short transaction every
 * `flushMs`, so serving a request never waits for a disk write.
 */
export class RequestLog {
  private readonly counters = new Map<string, SenderCounters>();
  private readonly dirty = new Map<string, SenderCounters>();
  private buffer: RequestRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastRequest: SenderStats['lastRequest'] = null;
  private version = 0;
  private readonly insert: Statement;
  private readonly bump: Statement;
  private readonly trim: Statement;

  constructor(
    private readonly db: Db,
    private readonly opts: { ring: number; flushMs: number } = { ring: 10_000, flushMs: 250 },
  ) {
    const rows = db.prepare('SELECT * FROM sender_counters').all() as {
      dataset: string;
      requests: number;
      ok: number;
      failed: number;
      rows: number;
      bytes: number;
      last_ts: number | null;
    }[];
    for (const r of rows) {
      this.counters.set(r.dataset, { requests: r.requests, ok: r.ok, failed: r.failed, rows: r.rows, bytes: r.bytes, lastTs: r.last_ts });
    }
    const last = db.prepare('SELECT ts, client, path, dataset, status FROM sender_requests ORDER BY id DESC LIMIT 1').get() as
      SenderStats['lastRequest'] | undefined;
    this.lastRequest = last ?? null;
    this.insert = db.prepare(
      `INSERT INTO sender_requests (ts, client, method, path, dataset, status, rows, bytes, duration_ms, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.bump = db.prepare(
      `INSERT INTO sender_counters (dataset, requests, ok, failed, rows, bytes, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(dataset) DO UPDATE SET requests = requests + excluded.requests, ok = ok + excluded.ok,
       failed = failed + excluded.failed, rows = rows + excluded.rows, bytes = bytes + excluded.bytes,
       last_ts = excluded.last_ts`,
    );
    this.trim = db.prepare('DELETE FROM sender_requests WHERE id <= (SELECT MAX(id) FROM sender_requests) - ?');
  }

  record(r: RequestRecord): void {
    const ok = r.status < 400;
    const touch = (dataset: string, okItem: boolean, rows: number, bytes: number) => {
      for (const m of [this.counters, this.dirty]) {
        let c = m.get(dataset);
        if (!c) m.set(dataset, (c = zero()));
        add(c, okItem, rows, bytes, r.ts);
      }
    };
    touch(TOTAL, ok, r.rows, r.bytes);
    if (r.items) for (const i of r.items) touch(i.dataset, i.ok, i.rows, i.bytes);
    else if (r.dataset) touch(r.dataset, ok, r.rows, r.bytes);
    this.lastRequest = { ts: r.ts, client: r.client, path: r.path, dataset: r.dataset, status: r.status };
    this.buffer.push(r);
    this.version += 1;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.opts.flushMs);
      this.timer.unref();
    }
  }

  /** A connection refused before any request could be read (plain HTTP on the TLS port, a failed handshake): a 400 with `why` as its path. */
  refused(client: string, why: string): void {
    this.record({
      ts: Date.now(),
      client,
      method: '-',
      path: why,
      dataset: null,
      status: 400,
      rows: 0,
      bytes: 0,
      durationMs: 0,
      error: 'bad_input',
    });
  }

  /** Writes buffered entries and counter deltas in one transaction and trims the ring. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A connection that ends while the node stops (a refused handshake) may be recorded after close.
    if ((this.buffer.length === 0 && this.dirty.size === 0) || !this.db.open) return;
    const entries = this.buffer;
    const deltas = [...this.dirty];
    this.buffer = [];
    this.dirty.clear();
    this.db.transaction(() => {
      for (const e of entries) {
        this.insert.run(e.ts, e.client, e.method, e.path, e.dataset, e.status, e.rows, e.bytes, e.durationMs, e.error);
      }
      for (const [dataset, c] of deltas) this.bump.run(dataset, c.requests, c.ok, c.failed, c.rows, c.bytes, c.lastTs);
      this.trim.run(this.opts.ring);
    })();
  }

  /** Bumps whenever something was recorded: lets the stats event fire only on change. */
  get changeVersion(): number {
    return this.version;
  }

  totals(): SenderCounters {
    return { ...(this.counters.get(TOTAL) ?? zero()) };
  }

  perDataset(): Record<string, SenderCounters> {
    const out: Record<string, SenderCounters> = {};
    for (const [k, v] of this.counters) if (k !== TOTAL) out[k] = { ...v };
    return out;
  }

  last(): SenderStats['lastRequest'] {
    return this.lastRequest;
  }

  query(q: { limit: number; beforeId?: number; dataset?: string; client?: string; outcome?: 'ok' | 'failed' }): SenderLogEntry[] {
    this.flush();
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, arg: string | number) => {
      where.push(clause);
      args.push(arg);
    };
    if (q.beforeId !== undefined) add('id < ?', q.beforeId);
    if (q.dataset) add('dataset = ?', q.dataset);
    if (q.client) add('client = ?', q.client);
    if (q.outcome) where.push(q.outcome === 'ok' ? 'status < 400' : 'status >= 400');
    const sql = `SELECT id, ts, client, method, path, dataset, status, rows, bytes, duration_ms AS durationMs, error
      FROM sender_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, q.limit) as SenderLogEntry[];
  }

  close(): void {
    this.flush();
  }
}
