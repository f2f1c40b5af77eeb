import type { Db } from './db.js';
import { getMeta } from './meta.js';

/**
 * The node-wide change sequence. Every insert or real change of a syncable row takes the next
 * number; receivers pull "seq > cursor". The counter lives in memory for speed and is written to
 * `meta` inside the same transaction as the rows it numbered, so it never goes backwards after a
 * crash (a rolled-back transaction only leaves a gap, which is harmless).
 */
export class Sequencer {
  private current: number;
  private persisted: number;
  private readonly save;

  constructor(db: Db, syncableTables: readonly string[]) {
    const stored = Number(getMeta(db, 'seq') ?? 0);
    const fromTables = syncableTables.map((t) => (db.prepare(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${t}`).get() as { m: number }).m);
    this.current = Math.max(stored, ...fromTables);
    this.persisted = stored;
    this.save = db.prepare("INSERT INTO meta (key, value) VALUES ('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  }

  get value(): number {
    return this.current;
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
  }
}
