import type { SumPoint, SumSeries } from '../../../preload/contract/market.js';
import type { Db } from '../store/db.js';
import { yieldToLoop } from '../timing/yield.js';
import { DAY_MS, dayStartOf, gridFloor } from './grid-time.js';
import type { MarketQueries } from './queries.js';
import { downsampleSum, sumCounts } from './sum-downsample.js';

/** Days computed between two yields: about 5 ms of SQLite work each on a laptop. */
const DAYS_PER_SLICE = 10;

/**
 * The sum series (CS001) over closed UTC+8 days, kept per day, so a year-long chart does not
 * re-sum 27 × 17,520 grid rows (≈ 200 ms of SQLite) on every open. Today and partial days are
 * always computed fresh.
 *
 * Why it stays true: every insert or real change of a grid_prices row takes a new seq (store/
 * sync-table.ts), so before answering, the rows with seq above the last one seen name the
 * [first, last] ts that changed (a covering range scan of grid_prices_seq: cheap for the usual
 * few rows) and those days are dropped. A change of the coin selection drops everything. Rows are
 * never deleted from grid_prices; code that starts deleting them must call `clear()`.
 */
export class SumSeriesCache {
  private readonly days = new Map<number, SumPoint[]>();
  private coinsKey = '';
  private seenSeq = -1;
  private warming: Promise<void> | null = null;
  private readonly q;

  constructor(private readonly o: { db: Db; queries: MarketQueries; now: () => number }) {
    this.q = {
      maxSeq: o.db.prepare('SELECT MAX(seq) AS seq FROM grid_prices'),
      changed: o.db.prepare('SELECT MIN(ts) AS lo, MAX(ts) AS hi FROM grid_prices WHERE seq > ?'),
    };
  }

  clear(): void {
    this.days.clear();
  }

  /** The series over [from, to), thinned to about `maxPoints` when asked (see sum-downsample.ts). */
  async series(from: number, to: number, maxPoints?: number): Promise<SumSeries> {
    this.validate();
    const coins = this.o.queries.coins();
    const points: SumPoint[] = [];
    let computed = 0;
    for (let a = from; a < to;) {
      const dayFrom = dayStartOf(a);
      const b = Math.min(to, dayFrom + DAY_MS);
      const whole = a === dayFrom && b === dayFrom + DAY_MS;
      let part = whole ? this.days.get(dayFrom) : undefined;
      if (!part) {
        part = this.o.queries.sumSeries(a, b).points;
        if (whole && this.closed(dayFrom)) this.days.set(dayFrom, part);
        // Uncached days are SQLite work: let ticks and IPC through every few of them.
        if (++computed % DAYS_PER_SLICE === 0) await yieldToLoop();
      }
      for (const p of part) points.push(p);
      a = b;
    }
    this.warmSoon();
    if (maxPoints === undefined) return { from, to, coins, points };
    const sampled = sumCounts(points);
    const thin = downsampleSum(points, maxPoints);
    return { from, to, coins, points: thin, sampled: { ...sampled, thinned: thin.length < points.length } };
  }

  /**
   * After the first request, the closed days of the longest range a chart can ask for are summed in
   * the background, a slice at a time, so the first long range is as quick as the next.
   */
  private warmSoon(): void {
    if (this.warming) return;
    this.warming = (async () => {
      // Not before this request's answer is on its way.
      await yieldToLoop();
      const today = dayStartOf(this.o.now());
      for (let d = today - DAY_MS, n = 0; d >= today - 400 * DAY_MS; d -= DAY_MS) {
        this.validate();
        if (this.days.has(d)) continue;
        this.days.set(d, this.o.queries.sumSeries(d, d + DAY_MS).points);
        if (++n % DAYS_PER_SLICE === 0) await yieldToLoop();
      }
    })().catch(() => undefined);
  }

  /** A day whose every slot is at or before the current grid point: nothing new can arrive live. */
  private closed(dayFrom: number): boolean {
    return dayFrom + DAY_MS <= gridFloor(this.o.now());
  }

  /** Drops the days whose rows changed since the last call, or everything when the coins did. */
  private validate(): void {
    const key = JSON.stringify(this.o.queries.coins());
    if (key !== this.coinsKey) {
      this.coinsKey = key;
      this.days.clear();
    }
    const seq = (this.q.maxSeq.get() as { seq: number | null }).seq ?? 0;
    if (seq === this.seenSeq) return;
    if (this.seenSeq >= 0 && this.days.size > 0) {
      const r = this.q.changed.get(this.seenSeq) as { lo: number | null; hi: number | null };
      if (r.lo !== null && r.hi !== null) {
        for (let d = dayStartOf(r.lo); d <= r.hi; d += DAY_MS) this.days.delete(d);
      }
    }
    this.seenSeq = seq;
  }
}
