import type { Db } from './db.js';
import { getMeta } from './meta.js';

/**
 * The node-wide change sequence. Every insert or real change of a syncable row takes the next
 * number; receivers pull "seq > cursor". The counter lives in memory for speed and is written to
 * `meta` inside the same transaction as the rows it numbered, so it never goes backwards after a
 * crash (a rolled-back transaction only leaves a gap, which is harmless).
 *
 * When a second connection writes too (the merge worker, store/merge-writer.ts), both keep the
 * counter in `shared` and touch it only inside a write transaction (BEGIN IMMEDIATE), which SQLite
 * grants one connection at a time: `begin()` picks up what the other one numbered.
 */
export class Sequencer {
  private current: number;
  private persisted: number;
  private readonly save;
  /** The counter as both writers see it (a SharedArrayBuffer, see above). */
  readonly shared = new BigInt64Array(new SharedArrayBuffer(8));

  constructor(db: Db, syncableTables: readonly string[]) {
    const stored = Number(getMeta(db, 'seq') ?? 0);
    const fromTables = syncableTables.map((t) => (db.prepare(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${t}`).get() as { m: number }).m);
    this.current = Math.max(stored, ...fromTables);
    this.persisted = stored;
    Atomics.store(this.shared, 0, BigInt(this.current));
    this.save = db.prepare("INSERT INTO meta (key, value) VALUES ('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  }

  get value(): number {
    return Math.max(this.current, Number(Atomics.load(this.shared, 0)));
  }

  /** Call at the start of each write transaction, once the write lock is held. */
  begin(): void {
    this.current = Math.max(this.current, Number(Atomics.load(this.shared, 0)));
  }

  /** The number the next changed row will get. */
  peek(): number {
    return this.current + 1;
  }

  /** Call when the row written with `peek()` really changed. */
  advance(): void {
    this.current += 1;
  }

  /** Call at the end of each write transaction. */
  flush(): void {
    if (this.persisted === this.current) return;
    this.save.run(String(this.current));
    this.persisted = this.current;
    Atomics.store(this.shared, 0, BigInt(this.current));
  }
}
