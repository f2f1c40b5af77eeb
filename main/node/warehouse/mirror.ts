import type pg from 'pg';
import type { ComponentStatus, WarehouseDatasetStatus, WarehouseStatus } from '../../../preload/contract.js';
import type { Component } from '../component.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { EventBus } from '../events/bus.js';
import type { Db } from '../store/db.js';
import { backoffDelay, type BackoffPolicy } from '../timing/backoff.js';
import { BacklogCounter } from './backlog.js';
import { connect, describePgError, tryParseWarehouseUrl } from './connection.js';
import { BufferPool } from './copy-binary.js';
import { drainDataset, type Progress } from './drain.js';
import { SliceClock } from './page-reader.js';
import { componentStatus } from './component-status.js';
import { PageWorker } from './page-worker.js';
import { mirrorSources, prepareConnection, type MirrorSource } from './mirror-prepare.js';
import { writeCoins, type MirrorTable } from './schema.js';

/** A live row reaches PostgreSQL within this; lag younger than it is not "behind". */
const LIVE_GRACE_MS = 1_000;

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
  /** The configured coins (settings.coins): what coin_sync.sum27 sums. */
  coins?: () => readonly string[];
  /** The store's database file: pages are read and encoded by a worker with its own connection. */
  dbFile?: string;
  nativeBinding?: string;
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
  private readonly clock = new SliceClock();
  private readonly pool = new BufferPool();
  private worker: PageWorker | null = null;
  private coinsDirty = true;
  /** Every row committed before this time is mirrored (or: when the mirror started). */
  private caughtUpAt = Date.now();

  constructor(private readonly deps: Deps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.deps.dbFile) {
      try {
        this.worker = PageWorker.start(this.deps.dbFile, this.deps.nativeBinding);
      } catch (e) {
        this.deps.log.warn(`warehouse: pages are read on the main thread (${(e as Error).message})`);
      }
    }
    this.caughtUpAt = Date.now();
    this.offChanged = this.deps.bus.on('data.changed', () => this.poke());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.offChanged?.();
    this.poke();
    await this.loop;
    this.loop = null;
    await this.worker?.stop();
    this.worker = null;
    await this.dropClient();
    // Quitting with rows left (headless has no tray to say so): they go on the next start.
    const behind = this.state === 'off' ? 0 : this.lagRows();
    if (behind > 0) this.deps.log.info(`warehouse: stopped ${behind} rows behind; they are mirrored on the next start`);
    this.state = 'off';
  }

  /** Whether change pages are read and encoded by the worker (false: on the main thread). */
  get readsOffThread(): boolean {
    return this.worker !== null && this.worker.error === null;
  }

  /** The configured coins changed: written before the next page. */
  coinsChanged(): void {
    this.coinsDirty = true;
    this.poke();
  }

  /** Settings changed: reconnect with the new target. */
  reconfigure(): void {
    this.generation += 1;
    this.progress.clear();
    this.poke();
  }

  status(): ComponentStatus {
    return componentStatus(this.state, this.lastError, this.state === 'off' ? 0 : this.behindRows());
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
        const lagRows = p ? this.backlog.lagOf(p, nodeSeq) : this.backlog.rows(code, 0, nodeSeq);
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

  private backlogCounter: BacklogCounter | null = null;
  private get backlog(): BacklogCounter {
    this.backlogCounter ??= new BacklogCounter(this.deps.db, this.deps.registry);
    return this.backlogCounter;
  }

  /** Sum of rows not yet mirrored (0 when the warehouse is off): what "safe to close" waits for. */
  lagRows(): number {
    if (!this.deps.target()) return 0;
    return this.mirrorStatus().datasets.reduce((a, d) => a + (d.error ? 0 : d.lagRows), 0);
  }

  /**
   * Rows not yet mirrored once the mirror has been behind for longer than a live row takes: what
   * the tray's "safe to close" waits for. Live ticks keep a few rows in flight for milliseconds;
   * counting those would make the tray blink between "up to date" and "syncing".
   */
  behindRows(now = Date.now()): number {
    const lag = this.lagRows();
    return lag > 0 && now - this.caughtUpAt > LIVE_GRACE_MS ? lag : 0;
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
          this.coinsDirty = true;
          await this.prepare(this.client, target);
        }
        this.dirty = false;
        if (this.coinsDirty && this.deps.coins) {
          this.coinsDirty = false;
          await writeCoins(this.client, this.deps.nodeId, this.deps.coins());
        }
        // Every row committed before the drain began is in PostgreSQL once it returns.
        const drainFrom = Date.now();
        await this.drainAll(this.client, target);
        this.caughtUpAt = drainFrom;
        this.state = 'ok';
        this.lastError = null;
        failures = 0;
        await this.sleep(this.deps.pollMs ?? 1_000);
      } catch (e) {
        failures += 1;
        const p = tryParseWarehouseUrl(target.url);
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

  /** Every syncable dataset's mirror table with its SQLite source and row filter (mirror-prepare.ts). */
  mirrorTables(): MirrorSource[] {
    return mirrorSources(this.deps.db, this.deps.registry);
  }

  private async prepare(client: pg.Client, target: MirrorTarget): Promise<void> {
    const p = await prepareConnection(client, this.mirrorTables(), target.datasets, this.deps.nodeId);
    this.tables = p.tables;
    this.timescale = p.timescale;
    for (const [code, progress] of p.progress) this.progress.set(code, progress);
  }

  private async drainAll(client: pg.Client, target: MirrorTarget): Promise<void> {
    if (this.worker?.error) {
      this.deps.log.warn(`warehouse: ${this.worker.error}; pages are read on the main thread`);
      this.worker = null;
    }
    for (const code of target.datasets) {
      const table = this.tables.get(code);
      const progress = this.progress.get(code);
      if (!table || !progress || progress.error) continue;
      await drainDataset({
        client,
        registry: this.deps.registry,
        table,
        progress,
        nodeId: this.deps.nodeId,
        pageRows: this.deps.pageRows ?? 10_000,
        clock: this.clock,
        pool: this.pool,
        worker: this.worker,
        running: () => this.running,
        warn: (m) => this.deps.log.warn(`warehouse: ${m}`),
      });
    }
  }

  private async dropClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => {});
  }
}
