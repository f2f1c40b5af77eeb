import type { Statement } from 'better-sqlite3';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { Db } from '../store/db.js';
import type { Progress } from './drain.js';

/** Lag is counted exactly up to this many rows (a few ms on the seq index), estimated beyond. */
export const LAG_CAP = 5_000;

/**
 * Rows of a dataset with seq > since: counted up to LAG_CAP; beyond, estimated from the seq
 * density of the first LAG_CAP rows, so a year's backlog is never scanned on the event loop.
 */
export class BacklogCounter {
  private readonly stmts = new Map<string, { count: Statement; nth: Statement; args: (string | number)[] }>();

  constructor(
    private readonly db: Db,
    private readonly registry: DatasetRegistry,
  ) {}

  rows(code: string, since: number, tableMaxSeq: number): number {
    if (since >= tableMaxSeq) return 0;
    let st = this.stmts.get(code);
    if (!st) {
      const { table: src, where, whereArgs } = this.registry.tableOf(code);
      st = {
        count: this.db.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM ${src} WHERE ${where}seq > ? LIMIT ${LAG_CAP})`).pluck(true),
        nth: this.db.prepare(`SELECT seq FROM ${src} WHERE ${where}seq > ? ORDER BY seq LIMIT 1 OFFSET ${LAG_CAP - 1}`).pluck(true),
        args: whereArgs,
      };
      this.stmts.set(code, st);
    }
    const counted = Number(st.count.get(...st.args, since));
    if (counted < LAG_CAP) return counted;
    const nthSeq = Number(st.nth.get(...st.args, since));
    return Math.max(LAG_CAP, Math.round((LAG_CAP * (tableMaxSeq - since)) / Math.max(1, nthSeq - since)));
  }

  /**
   * A dataset's rows with seq > its cursor: 0 without a query when the cursor is at the table's
   * max seq; a small backlog is recounted whenever it moves, a long one at most once a second.
   */
  lagOf(p: Progress, tableMaxSeq: number, now = Date.now()): number {
    if (p.seq >= tableMaxSeq) return 0;
    const same = p.lag && p.lag.seq === p.seq && p.lag.maxSeq === tableMaxSeq;
    if (!p.lag || (!same && (p.lag.rows < LAG_CAP || now - p.lag.at > 1_000))) {
      p.lag = { at: now, rows: this.rows(p.code, p.seq, tableMaxSeq), seq: p.seq, maxSeq: tableMaxSeq };
    }
    return p.lag.rows;
  }
}
