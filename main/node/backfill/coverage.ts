/**
 * Coverage (day × coin) and the missing list (BF001) of the 30-minute grid, with a reason for
 * every empty cell: not listed yet (before the coin's listing time), no candle at the exchange (a
 * finished 30m page asked for it and got nothing), queued (its page failed and waits in the retry
 * queue), not collected (nobody has asked yet), or disputed (two sources disagree, undecided). Later jobs' pages override earlier ones.
 */
import type { BackfillCoverage, CoverageCell, MissingCell } from '../../../preload/contract/backfill.js';
import type { MissingReason } from '../../../preload/contract/market.js';
import { dayOf, dayStartOf, DAY_MS, GRID_MS, gridCeil, gridFloor } from '../market/grid-time.js';
import type { Db } from '../store/db.js';

const NONE = 0;
const FETCHED = 1;
const QUEUED = 2;

export class Coverage {
  private readonly q;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.q = {
      present: db.prepare('SELECT ts FROM grid_prices WHERE coin = ? AND ts >= ? AND ts < ?').pluck(),
      listTime: db.prepare('SELECT list_time FROM coins WHERE symbol = ?').pluck(),
      disputed: db
        .prepare(`SELECT ts FROM backfill_disputes WHERE coin = ? AND bar = '30m' AND state = 'open' AND ts >= ? AND ts < ?`)
        .pluck(),
      pages: db.prepare(
        `SELECT p.start_ts AS start, p.end_ts AS end, p.state FROM backfill_pages p JOIN backfill_jobs j ON j.id = p.job_id
         WHERE j.bar = '30m' AND p.coin = ? AND p.end_ts > ? AND p.start_ts < ? ORDER BY p.job_id, p.id`,
      ),
    };
  }

  /**
   * Calls `visit` for every grid point of [from, to) up to now, per coin, with null when it has a
   * price and the reason when it has none. Coins outer, time inner.
   */
  private walk(
    from: number,
    to: number,
    coins: readonly string[],
    visit: (coin: string, ts: number, reason: MissingReason | null) => boolean | void,
  ): void {
    const first = gridCeil(from);
    const end = Math.min(to, gridFloor(this.now()) + GRID_MS);
    if (first >= end) return;
    const n = (end - first) / GRID_MS;
    for (const coin of coins) {
      const have = new Set(this.q.present.all(coin, first, end) as number[]);
      // A disputed cell's value is in doubt until the exchange decides: missing, with that reason.
      const disputed = new Set(this.q.disputed.all(coin, first, end) as number[]);
      const lt = (this.q.listTime.get(coin) as number | null | undefined) ?? null;
      const mark = new Uint8Array(n);
      for (const p of this.q.pages.all(coin, first, end) as { start: number; end: number; state: string }[]) {
        const v = p.state === 'done' ? FETCHED : p.state === 'failed' ? QUEUED : NONE;
        const a = Math.max(0, Math.ceil((p.start - first) / GRID_MS));
        const b = Math.min(n, Math.ceil((p.end - first) / GRID_MS));
        mark.fill(v, a, b);
      }
      for (let i = 0; i < n; i++) {
        const ts = first + i * GRID_MS;
        let reason: MissingReason | null = null;
        if (disputed.has(ts)) reason = 'disputed';
        else if (!have.has(ts)) {
          if (lt !== null && ts < lt) reason = 'not_listed';
          else reason = mark[i] === FETCHED ? 'no_candle' : mark[i] === QUEUED ? 'queued' : 'not_collected';
        }
        if (visit(coin, ts, reason) === false) return;
      }
    }
  }

  coverage(from: number, to: number, coins: readonly string[]): BackfillCoverage {
    const starts: number[] = [];
    for (let s = dayStartOf(from); s < to; s += DAY_MS) starts.push(s);
    const cells: CoverageCell[][] = starts.map(() => coins.map(emptyCell));
    const col = new Map(coins.map((c, i) => [c, i]));
    const totals = emptyCell();
    const base = starts[0] ?? 0;
    this.walk(from, to, coins, (coin, ts, reason) => {
      const cell = cells[Math.floor((ts - base) / DAY_MS)]?.[col.get(coin)!];
      if (!cell) return;
      for (const c of [cell, totals]) {
        c.expected += 1;
        if (reason === null) c.present += 1;
        else if (reason === 'not_listed') c.notListed += 1;
        else if (reason === 'no_candle') c.noCandle += 1;
        else if (reason === 'queued') c.queued += 1;
        else if (reason === 'disputed') c.disputed += 1;
        else c.notCollected += 1;
      }
    });
    return { from, to, days: starts.map(dayOf), coins: [...coins], cells, totals };
  }

  /** Missing cells by time, then in the coins' order; at most `limit` rows (the total is exact). */
  missing(from: number, to: number, coins: readonly string[], limit = Number.POSITIVE_INFINITY): { rows: MissingCell[]; total: number } {
    const rows: MissingCell[] = [];
    this.walk(from, to, coins, (coin, ts, reason) => {
      if (reason !== null) rows.push({ ts, coin, reason });
    });
    const order = new Map(coins.map((c, i) => [c, i]));
    rows.sort((a, b) => a.ts - b.ts || order.get(a.coin)! - order.get(b.coin)!);
    const total = rows.length;
    return { rows: rows.length > limit ? rows.slice(0, limit) : rows, total };
  }
}

function emptyCell(): CoverageCell {
  return { expected: 0, present: 0, notListed: 0, noCandle: 0, queued: 0, notCollected: 0, disputed: 0 };
}
