import type { DayRow, DayTable, MissingReason, SumPoint, SumSeries } from '../../../preload/contract/market.js';
import type { Db } from '../store/db.js';
import { DAY_MS, GRID_MS, dayPoints, dayStart, formatTime, gridFloor, gridPointsBetween } from './grid-time.js';
import { yieldToLoop } from '../timing/yield.js';

/** One PT002 row as exports read it. */
export interface GridRow {
  coin: string;
  ts: number;
  price: number;
  baseline: number | null;
  changePct: number | null;
}

/** Lets timers, sockets and ticks run between two chunks of a long read. */

export interface MarketQueriesOptions {
  db: Db;
  coins: () => readonly string[];
  now?: () => number;
}

/**
 * Read side of the grid: CS001 (sum series, a view computed on request), one day's table, rows
 * for exports. Only the selected coins count; `total` is how many are selected.
 */
export class MarketQueries {
  private readonly now: () => number;
  private readonly q;

  constructor(private readonly o: MarketQueriesOptions) {
    this.now = o.now ?? Date.now;
    const db = o.db;
    this.q = {
      sums: db.prepare(
        `SELECT ts, SUM(change_pct) AS sum, COUNT(*) AS covered FROM grid_prices
         WHERE ts >= ? AND ts < ? AND change_pct IS NOT NULL AND coin IN (SELECT value FROM json_each(?))
         GROUP BY ts`,
      ),
      rows: db.prepare(
        `SELECT coin, ts, price, baseline, change_pct AS changePct FROM grid_prices
         WHERE ts >= ? AND ts < ? AND coin IN (SELECT value FROM json_each(?))`,
      ),
      baselines: db.prepare('SELECT coin, price, high, low FROM baselines WHERE day = ? AND coin IN (SELECT value FROM json_each(?))'),
      listTimes: db.prepare(
        'SELECT symbol, list_time FROM coins WHERE list_time IS NOT NULL AND symbol IN (SELECT value FROM json_each(?))',
      ),
      lastGrid: db.prepare('SELECT MAX(ts) AS ts FROM grid_prices WHERE coin = ?'),
    };
  }

  coins(): string[] {
    return [...this.o.coins()];
  }

  /**
   * CS001 over the grid points in [from, to), up to the current grid point (later ones cannot
   * exist yet). Every point is returned, with sum null and covered 0 where no coin has a value.
   */
  sumSeries(from: number, to: number): SumSeries {
    const coins = this.coins();
    const end = Math.min(to, gridFloor(this.now()) + GRID_MS);
    const found = new Map<number, { sum: number; covered: number }>();
    for (const r of this.q.sums.all(from, end, JSON.stringify(coins)) as { ts: number; sum: number; covered: number }[]) {
      found.set(r.ts, r);
    }
    const total = coins.length;
    const points: SumPoint[] = gridPointsBetween(from, end).map((ts) => {
      const f = found.get(ts);
      const covered = f?.covered ?? 0;
      return { ts, sum: f ? f.sum : null, covered, total, complete: covered === total };
    });
    return { from, to, coins, points };
  }

  /**
   * The same series computed 10 days at a time with a yield in between, so a year-long request
   * (about 0.2–0.3 s of SQLite work) does not hold up ticks and timers in one block.
   */
  async sumSeriesChunked(from: number, to: number, chunkMs = 10 * DAY_MS): Promise<SumSeries> {
    const points: SumPoint[] = [];
    let coins = this.coins();
    for (let a = from; a < to; a += chunkMs) {
      const part = this.sumSeries(a, Math.min(to, a + chunkMs));
      coins = part.coins;
      for (const p of part.points) points.push(p);
      if (a + chunkMs < to) await yieldToLoop();
    }
    return { from, to, coins, points };
  }

  /** One UTC+8 day: 48 rows × selected coins, plus the sum per row. */
  day(date: string): DayTable {
    const coins = this.coins();
    const idx = new Map(coins.map((c, i) => [c, i]));
    const start = dayStart(date);
    const now = this.now();
    const json = JSON.stringify(coins);

    const listTime = new Map<string, number>();
    for (const r of this.q.listTimes.all(json) as { symbol: string; list_time: number }[]) listTime.set(r.symbol, r.list_time);
    const reasonFor = (coin: string, ts: number): MissingReason => {
      if (ts > now) return 'future';
      const lt = listTime.get(coin);
      if (lt !== undefined && ts < lt) return 'not_listed';
      return 'not_collected';
    };

    const rows: DayRow[] = dayPoints(date).map((ts) => ({
      ts,
      time: formatTime(ts),
      prices: coins.map(() => null),
      changes: coins.map(() => null),
      missing: coins.map((c) => reasonFor(c, ts)),
      sum: null,
      covered: 0,
      total: coins.length,
      complete: false,
    }));
    for (const r of this.q.rows.all(start, start + DAY_MS, json) as GridRow[]) {
      const row = rows[(r.ts - start) / GRID_MS];
      const i = idx.get(r.coin);
      if (!row || i === undefined) continue;
      row.prices[i] = r.price;
      row.changes[i] = r.changePct;
      row.missing[i] = null;
    }
    for (const row of rows) {
      for (const c of row.changes) {
        if (c === null) continue;
        row.sum = (row.sum ?? 0) + c;
        row.covered += 1;
      }
      row.complete = row.covered === row.total;
    }

    const baselines: (number | null)[] = coins.map(() => null);
    const highs: (number | null)[] = coins.map(() => null);
    const lows: (number | null)[] = coins.map(() => null);
    for (const b of this.q.baselines.all(date, json) as { coin: string; price: number; high: number | null; low: number | null }[]) {
      const i = idx.get(b.coin);
      if (i === undefined) continue;
      baselines[i] = b.price;
      highs[i] = b.high;
      lows[i] = b.low;
    }
    return { date, coins, baselines, highs, lows, rows };
  }

  /** PT002 rows in [from, to) for the selected coins, by time then in the coins' order. */
  gridRows(from: number, to: number): GridRow[] {
    const coins = this.coins();
    const idx = new Map(coins.map((c, i) => [c, i]));
    const rows = this.q.rows.all(from, to, JSON.stringify(coins)) as GridRow[];
    return rows.sort((a, b) => a.ts - b.ts || idx.get(a.coin)! - idx.get(b.coin)!);
  }

  /** The newest grid point stored for a coin. */
  lastGridTs(coin: string): number | null {
    return (this.q.lastGrid.get(coin) as { ts: number | null }).ts;
  }
}
