/**
 * Retention (Settings › Data): a periodic prune that deletes the rows of each time-series dataset
 * older than its window (settings.retention, days per code; a code not listed is kept forever). It
 * deletes in small batches, each its own short write transaction, yielding to the event loop
 * between batches, so collectors and IPC never wait on a prune. Deletions are local: a peer keeps
 * its own window (seq paging carries no deletes, and a pruned row's old seq is never sent again).
 */
import fs from 'node:fs';
import type { ComponentStatus } from '../../../preload/contract/core.js';
import type { Retention } from '../../../preload/contract/data-settings.js';
import type { Component } from '../component.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { yieldToLoop } from '../timing/yield.js';
import type { DatasetRegistry } from './registry.js';
import { measureStorage, measureStorageOffThread, type DatasetStorage } from './storage.js';

const DAY = 86_400_000;

const fileBytes = (p: string): number => {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
};
/** Rows per delete transaction: a few ms of write lock each. */
export const PRUNE_BATCH = 2_000;

export interface PruneResult {
  deleted: Record<string, number>;
  batches: number;
  /** The longest single delete transaction, ms. */
  longestBatchMs: number;
}

export interface RetentionOptions {
  store: Store;
  registry: DatasetRegistry;
  retention: () => Retention;
  log: Logger;
  now?: () => number;
  /** Time between prunes. Default 1 hour; the first runs a minute after start. */
  everyMs?: number;
  firstAfterMs?: number;
  /** Told which tables lost rows, so caches over them (the sum series' closed days) are dropped. */
  onPruned?: (tables: string[]) => void;
  /** Measure storage in a worker with its own read-only connection (the running node); tests may measure inline. */
  measureOffThread?: { nativeBinding?: string };
}

export class RetentionService implements Component {
  readonly name = 'retention';
  private timer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private running: Promise<PruneResult> | null = null;
  private stopped = false;
  private last: { at: number; deleted: number } | null = null;
  private storage: DatasetStorage[] = [];
  private readonly now: () => number;

  constructor(private readonly o: RetentionOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    const loop = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.run()
          .catch((e: unknown) => this.o.log.warn(`retention prune failed: ${(e as Error).message}`))
          .finally(() => {
            if (!this.stopped) loop(this.o.everyMs ?? 3_600_000);
          });
      }, delay);
      this.timer.unref();
    };
    loop(this.o.firstAfterMs ?? 60_000);
    // Settings › Data shows sizes before the first prune; dbstat reads every page, so only for a small file.
    const first = setTimeout(() => {
      if (!this.stopped && this.o.store.isOpen && this.storage.length === 0 && fileBytes(this.o.store.path) < 200e6) void this.measure();
    }, 2_000);
    first.unref();
    this.startTimer = first;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.startTimer) clearTimeout(this.startTimer);
    await this.running?.catch(() => undefined);
  }

  status(): ComponentStatus {
    return {
      name: this.name,
      state: 'running',
      detail: this.last ? `last prune ${new Date(this.last.at).toISOString()}: ${this.last.deleted} rows` : 'no prune yet',
      text: this.last ? { key: 'retention.last', params: { rows: this.last.deleted } } : { key: 'retention.none' },
    };
  }

  /** Bytes and rows per dataset as of the last prune (or measured now if never). */
  datasetStorage(): DatasetStorage[] {
    return this.storage;
  }

  /** Prunes now (one run at a time: a second call joins the first), then measures storage. */
  run(): Promise<PruneResult> {
    this.running ??= this.prune().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The datasets a window applies to: syncable, with `ts` in the key (a series, not a latest-value table). */
  prunable(): { code: string; table: string; where: string; whereArgs: (string | number)[]; days: number }[] {
    const r = this.o.retention();
    return this.o.registry.codes().flatMap((code) => {
      const days = r[code];
      if (days === undefined || days === null || !this.o.registry.has(code) || this.o.registry.kindOf(code) !== 'syncable') return [];
      const t = this.o.registry.tableOf(code);
      return t.key.includes('ts') ? [{ code, table: t.table, where: t.where, whereArgs: t.whereArgs, days }] : [];
    });
  }

  private async prune(): Promise<PruneResult> {
    const out: PruneResult = { deleted: {}, batches: 0, longestBatchMs: 0 };
    for (const p of this.prunable()) {
      const cutoff = this.now() - p.days * DAY;
      const key = this.o.registry.tableOf(p.code).key;
      const del = this.o.store.db.prepare(
        `DELETE FROM ${p.table} WHERE (${key.join(', ')}) IN (SELECT ${key.join(', ')} FROM ${p.table} WHERE ${p.where}ts < ? LIMIT ?)`,
      );
      let total = 0;
      for (;;) {
        if (this.stopped || !this.o.store.isOpen) return out;
        const t0 = performance.now();
        const n = this.o.store.write(() => del.run(...p.whereArgs, cutoff, PRUNE_BATCH).changes);
        out.longestBatchMs = Math.max(out.longestBatchMs, performance.now() - t0);
        out.batches += 1;
        total += n;
        if (n < PRUNE_BATCH) break;
        await yieldToLoop();
      }
      out.deleted[p.code] = total;
      if (total > 0) this.o.log.info(`retention: ${total} rows of ${p.code} older than ${p.days} days deleted`);
    }
    const sum = Object.values(out.deleted).reduce((a, b) => a + b, 0);
    const pruned = [
      ...new Set(
        this.prunable()
          .filter((p) => (out.deleted[p.code] ?? 0) > 0)
          .map((p) => p.table),
      ),
    ];
    if (pruned.length > 0) this.o.onPruned?.(pruned);
    this.last = { at: this.now(), deleted: sum };
    if (!this.stopped && this.o.store.isOpen) {
      await yieldToLoop();
      await this.measure();
    }
    return out;
  }

  /** dbstat and COUNT(*) visit every page: in a worker when the node runs (0.5 s of main thread at 1 M rows). */
  private async measure(): Promise<void> {
    const { store, registry } = this.o;
    try {
      this.storage = this.o.measureOffThread
        ? await measureStorageOffThread(store.db, store.path, registry, this.o.retention(), this.o.measureOffThread.nativeBinding)
        : measureStorage(store.db, registry, this.o.retention());
    } catch (e) {
      if (!this.stopped) this.o.log.warn(`measuring storage per dataset failed: ${(e as Error).message}`);
    }
  }
}
