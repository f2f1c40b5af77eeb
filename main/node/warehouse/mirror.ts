import type pg from 'pg';
import type { ComponentStatus, WarehouseDatasetStatus, WarehouseStatus } from '../../../preload/contract.js';
import type { Component } from '../component.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { EventBus } from '../events/bus.js';
import type { Db } from '../store/db.js';
import { backoffDelay, type BackoffPolicy } from '../timing/backoff.js';
import { BacklogCounter, LAG_CAP } from './backlog.js';
import { connect, describePgError, parseWarehouseUrl } from './connection.js';
import { dataErrorSentence, isDataError, preparePage, writePage } from './page-writer.js';
import { ensureSchema, mirrorTableOf, tempTableSql, type MirrorTable } from './schema.js';

export interface MirrorTarget {
  url: string;
  password: string | null;
  /** Dataset codes to mirror (already resolved: every syncable one when the user chose none). */
  datasets: string[];
}

export type MirrorDatasetStatus = WarehouseDatasetStatus;
export type MirrorStatus = WarehouseStatus;

interface Deps {
  db: Db;
  registry: DatasetRegistry;
  bus: EventBus;
  /** The store's origin id: the cursor's node_id. */
  nodeId: string;
  log: { info(m: string): void; warn(m: string): void };
  target: () => MirrorTarget | null;
  pageRows?: number;
  backoff?: BackoffPolicy;
  /** How often to look for changes without an event (ms). */
  pollMs?: number;
}

interface Progress {
  seq: number;
  rows: number;
  lastWriteAt: number | null;
  error: string | null;
  code: string;
  lag?: { at: number; rows: number; seq: number; maxSeq: number };
}

/**
 * Mirrors the node's syncable datasets into PostgreSQL: each change page (rows with seq > the
 * cursor) is COPYed into a temporary table and merged by key, and the cursor in
 * coin_sync.cursors moves in the same transaction — so a crash at any point repeats at most a
 * page that never committed, and rows are idempotent by key across several nodes.
 */
export class WarehouseMirror implements Component {
  readonly name = 'warehouse';
  private state: MirrorStatus['state'] = 'off';
  private lastError: string | null = null;
  private timescale = false;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private dirty = true;
  private client: pg.Client | null = null;
  private readonly progress = new Map<string, Progress>();
  private offChanged: (() => void) | null = null;
  private generation = 0;

  constructor(private readonly deps: Deps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.offChanged = this.deps.bus.on('data.changed', () => this.poke());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.offChanged?.();
    this.poke();
    await this.loop;
    this.loop = null;
    await this.dropClient();
    this.state = 'off';
  }

  /** Settings changed: reconnect with the new target. */
  reconfigure(): void {
    this.generation += 1;
    this.progress.clear();
    this.poke();
  }

  status(): ComponentStatus {
    const detail = this.state === 'error' ? (this.lastError ?? undefined) : this.state;
    // The UI says the state in its language (comp.warehouse.*); an error keeps the server's own sentence.
    const text = this.state === 'error' ? undefined : { key: `warehouse.${this.state}` };
    return { name: this.name, state: this.state === 'error' ? 'error' : this.state === 'off' ? 'idle' : 'running', detail, text };
  }

  mirrorStatus(): MirrorStatus {
    const target = this.deps.target();
    const datasets = (target?.datasets ?? []).filter((c) => this.deps.registry.has(c));
    return {
      state: target ? this.state : 'off',
      lastError: this.lastError,
      timescale: this.timescale,
      datasets: datasets.map((code) => {
        const p = this.progress.get(code);
        const nodeSeq = this.deps.registry.maxSeq(code);
        const mirroredSeq = p?.seq ?? 0;
        const lagRows = p ? this.lagOf(p, nodeSeq) : this.backlog(code, 0, nodeSeq);
        return {
          code,
          table: `coin_sync.${code.toLowerCase()}`,
          nodeSeq,
          mirroredSeq,
          lagRows,
          rows: p?.rows ?? 0,
          lastWriteAt: p?.lastWriteAt ?? null,
          error: p?.error ?? null,
        };
      }),
    };
  }

  /**
   * Rows with seq > the cursor: 0 without a query when the cursor is at the table's max seq;
   * otherwise counted (a range scan on the seq index) at most once a second.
   */
  private backlogCounter: BacklogCounter | null = null;
  private backlog(code: string, since: number, tableMaxSeq: number): number {
    this.backlogCounter ??= new BacklogCounter(this.deps.db, this.deps.registry);
    return this.backlogCounter.rows(code, since, tableMaxSeq);
  }

  private lagOf(p: Progress, tableMaxSeq: number): number {
    if (p.seq >= tableMaxSeq) return 0;
    const now = Date.now();
    const same = p.lag && p.lag.seq === p.seq && p.lag.maxSeq === tableMaxSeq;
    // A small backlog is recounted whenever it moves; a long one at most once a second.
    if (!p.lag || (!same && (p.lag.rows < LAG_CAP || now - p.lag.at > 1_000))) {
      const rows = this.backlog(p.code, p.seq, tableMaxSeq);
      p.lag = { at: now, rows, seq: p.seq, maxSeq: tableMaxSeq };
    }
    return p.lag.rows;
  }

  /** Sum of rows not yet mirrored (0 when the warehouse is off): what "safe to close" waits for. */
  lagRows(): number {
    if (!this.deps.target()) return 0;
    return this.mirrorStatus().datasets.reduce((a, d) => a + (d.error ? 0 : d.lagRows), 0);
  }

  private poke(): void {
    this.dirty = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async sleep(ms: number): Promise<void> {
    if (this.dirty || !this.running) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    let gen = -1;
    while (this.running) {
      const target = this.deps.target();
      if (!target) {
        this.state = 'off';
        await this.dropClient();
        this.dirty = false;
        await this.sleep(this.deps.pollMs ?? 1_000);
        continue;
      }
      try {
        if (!this.client || gen !== this.generation) {
          await this.dropClient();
          gen = this.generation;
          this.state = 'connecting';
          this.client = await connect(target.url, target.password);
          await this.prepare(this.client, target);
        }
        this.dirty = false;
        await this.drainAll(this.client, target);
        this.state = 'ok';
        this.lastError = null;
        failures = 0;
        await this.sleep(this.deps.pollMs ?? 1_000);
      } catch (e) {
        failures += 1;
        const p = safeParse(target.url);
        const err = p ? describePgError(e, p) : e instanceof Error ? e : new Error(String(e));
        if (this.lastError !== err.message) this.deps.log.warn(`warehouse: ${err.message}`);
        this.state = 'error';
        this.lastError = err.message;
        await this.dropClient();
        this.dirty = false;
        await this.sleep(backoffDelay(failures, this.deps.backoff ?? { baseMs: 500, maxMs: 30_000 }));
      }
    }
  }

  private tables = new Map<string, MirrorTable>();

  /**
   * Every syncable dataset's mirror table with its SQLite source table (what tests compare), and the
   * dataset's row filter on it (`where`, "col = ? AND " per column, with `whereArgs`; KL001…KLD01).
   */
  mirrorTables(): { source: string; where: string; whereArgs: (string | number)[]; table: MirrorTable }[] {
    const codes = this.deps.registry.codes().filter((c) => this.deps.registry.kindOf(c) === 'syncable');
    return codes.map((c) => {
      const src = this.deps.registry.tableOf(c);
      return { source: src.table, where: src.where, whereArgs: src.whereArgs, table: mirrorTableOf(this.deps.db, c, src) };
    });
  }

  private async prepare(client: pg.Client, target: MirrorTarget): Promise<void> {
    this.tables = new Map(this.mirrorTables().map((t) => [t.table.code, t.table]));
    const res = await ensureSchema(client, [...this.tables.values()]);
    this.timescale = res.timescale;
    const cur = await client.query<{ dataset: string; seq: string }>('SELECT dataset, seq FROM coin_sync.cursors WHERE node_id = $1', [
      this.deps.nodeId,
    ]);
    const seqOf = new Map(cur.rows.map((r) => [r.dataset, Number(r.seq)]));
    for (const code of target.datasets) {
      const t = this.tables.get(code);
      if (!t) continue;
      const rows = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${t.qualified}`);
      this.progress.set(code, {
        seq: seqOf.get(code) ?? 0,
        rows: Number(rows.rows[0]?.n ?? 0),
        lastWriteAt: null,
        error: null,
        code,
      });
      await client.query(tempTableSql(t));
    }
  }

  private async drainAll(client: pg.Client, target: MirrorTarget): Promise<void> {
    for (const code of target.datasets) {
      const t = this.tables.get(code);
      const p = this.progress.get(code);
      if (!t || !p || p.error) continue;
      const limit = this.deps.pageRows ?? 10_000;
      // The next page is read and encoded while PostgreSQL merges the current one.
      let next = preparePage(this.deps.registry, t, p.seq, limit);
      while (this.running) {
        const page = await next;
        if (page.rows === 0) break;
        next = preparePage(this.deps.registry, t, page.lastSeq, limit);
        try {
          p.rows += await writePage(client, t, page, this.deps.nodeId);
        } catch (e) {
          next.catch(() => {});
          if (!isDataError(e)) throw e;
          // The table no longer fits (altered by hand): this dataset stops, the others go on.
          p.error = dataErrorSentence(t.qualified, e);
          this.deps.log.warn(`warehouse: ${p.error}`);
          break;
        }
        p.seq = page.lastSeq;
        p.lastWriteAt = Date.now();
      }
      if (!this.running) await next.catch(() => {});
    }
  }

  private async dropClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => {});
  }
}

function safeParse(url: string) {
  try {
    return parseWarehouseUrl(url);
  } catch {
    return null;
  }
}
