import type { MarketSource } from '../../../preload/contract/market.js';
import type { Store } from '../store/store.js';
import type { RowCells } from '../store/sync-table.js';
import type { CandleInput } from '../okx/candle-pages.js';
import { DAY_MS, GRID_MS, POINTS_PER_DAY, dayOf, dayStartOf, isGridPoint } from './grid-time.js';

/** One grid price: the open of the 30-minute candle that starts at `ts`. */
export interface GridPointInput {
  coin: string;
  ts: number;
  price: number;
  source: MarketSource;
}

/** One exchange candle, numbers already parsed. `ts` is the bar's start. */
export type { CandleInput };

export interface Rejected<T> {
  item: T;
  reason: string;
}

export interface GridWriteResult {
  /** Grid rows inserted or really changed (new seq), including recomputed change %. */
  changed: number;
  unchanged: number;
  /** Earlier rows of a day whose change % was recomputed because its baseline arrived or moved. */
  recomputed: number;
  baselinesChanged: number;
  rejected: Rejected<GridPointInput>[];
  /** [from, to) of the grid points written, null when nothing was accepted. */
  range: { from: number; to: number } | null;
  coins: string[];
}

export interface CandleWriteResult {
  changed: number;
  unchanged: number;
  rejected: Rejected<CandleInput>[];
  grid: GridWriteResult | null;
}

export type BaselineListener = (coin: string, day: string, price: number) => void;
/** Told after each commit that changed grid rows; `range` covers recomputed days too. */
export type GridWriteListener = (r: GridWriteResult) => void;

const COIN_RE = /^[A-Z0-9]{1,15}$/;
const positive = (n: number): boolean => Number.isFinite(n) && n > 0;
const nonNeg = (n: number | null): boolean => n === null || (Number.isFinite(n) && n >= 0);

export function changePct(price: number, baseline: number | null): number | null {
  return baseline === null ? null : ((price - baseline) / baseline) * 100;
}

/** The grid points a set of 30-minute candles carries: each bar's open at its start. */
export function gridPointsFromCandles(candles: readonly CandleInput[], source: MarketSource): GridPointInput[] {
  return candles.filter((c) => c.bar === '30m').map((c) => ({ coin: c.coin, ts: c.ts, price: c.open, source }));
}

/**
 * Writes PT002 grid prices, PB001 baselines and KL030 candles with seq semantics. Every call is
 * one short transaction; nothing here does I/O besides SQLite.
 */
export class GridWriter {
  private readonly listeners = new Set<BaselineListener>();
  private readonly writeListeners = new Set<GridWriteListener>();
  private readonly q;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {
    const db = store.db;
    this.q = {
      gridAt: db.prepare('SELECT price FROM grid_prices WHERE coin = ? AND ts = ?'),
      baselineOf: db.prepare('SELECT price FROM baselines WHERE coin = ? AND day = ?'),
      dayRows: db.prepare('SELECT ts, price, source FROM grid_prices WHERE coin = ? AND ts >= ? AND ts < ?'),
      gridRange: db.prepare('SELECT MAX(price) AS high, MIN(price) AS low FROM grid_prices WHERE coin = ? AND ts >= ? AND ts < ?'),
      candleRange: db.prepare(
        "SELECT MAX(high) AS high, MIN(low) AS low FROM candles WHERE coin = ? AND bar = '30m' AND ts >= ? AND ts < ?",
      ),
    };
  }

  /** Told whenever a day's baseline is written or moves (the live state switches to it). */
  onBaseline(listener: BaselineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onWrite(listener: GridWriteListener): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  writeGridPrices(points: readonly GridPointInput[]): GridWriteResult {
    const rejected: Rejected<GridPointInput>[] = [];
    // Last one wins within a batch, so a caller may pass duplicates without a conflict.
    const byKey = new Map<string, GridPointInput>();
    for (const p of points) {
      const reason = checkPoint(p);
      if (reason) rejected.push({ item: p, reason });
      else byKey.set(`${p.coin}|${p.ts}`, p);
    }
    const result: GridWriteResult = {
      changed: 0,
      unchanged: 0,
      recomputed: 0,
      baselinesChanged: 0,
      rejected,
      range: null,
      coins: [],
    };
    if (byKey.size === 0) return result;

    // Group by coin and UTC+8 day: the baseline is per coin-day.
    const groups = new Map<string, { coin: string; start: number; points: GridPointInput[] }>();
    for (const p of byKey.values()) {
      const start = dayStartOf(p.ts);
      const k = `${p.coin}|${start}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { coin: p.coin, start, points: [] }));
      g.points.push(p);
    }

    const now = this.now();
    const origin = this.store.nodeId;
    const newBaselines: { coin: string; day: string; price: number }[] = [];
    let recomputedTo = -Infinity;
    this.store.write(() => {
      const grid = this.store.tables.grid_prices;
      for (const g of groups.values()) {
        const day = dayOf(g.start);
        const atStart = g.points.find((p) => p.ts === g.start);
        const before = this.baselineOf(g.coin, g.start, day);
        const baseline = atStart ? atStart.price : before;
        const rows: RowCells[] = g.points.map((p) => [p.coin, p.ts, p.price, baseline, changePct(p.price, baseline), p.source]);
        const c = grid.upsertLocal(rows, origin, now);
        result.changed += c.changed;
        result.unchanged += c.unchanged;
        // A baseline that arrived late (backfill) or moved: re-derive the rest of that day.
        const baselineMoved = atStart !== undefined && before !== atStart.price;
        // A batch holding all 48 points of the day (a backfilled day) leaves no other row to re-derive.
        if (baselineMoved && g.points.length < POINTS_PER_DAY) {
          const inBatch = new Set(g.points.map((p) => p.ts));
          const others = (this.q.dayRows.all(g.coin, g.start, g.start + DAY_MS) as { ts: number; price: number; source: string }[]).filter(
            (r) => !inBatch.has(r.ts),
          );
          const re = grid.upsertLocal(
            others.map((r) => [g.coin, r.ts, r.price, baseline, changePct(r.price, baseline), r.source]),
            origin,
            now,
          );
          result.recomputed += re.changed;
          result.changed += re.changed;
          if (re.changed > 0) recomputedTo = Math.max(recomputedTo, g.start + DAY_MS);
        }
        if (c.changed > 0 || baselineMoved) {
          if (this.writeBaseline(g.coin, g.start, day, baseline, now)) {
            result.baselinesChanged += 1;
            if (baseline !== null && baselineMoved) newBaselines.push({ coin: g.coin, day, price: baseline });
          }
        }
      }
    });

    let from = Infinity;
    let to = -Infinity;
    for (const p of byKey.values()) {
      if (p.ts < from) from = p.ts;
      if (p.ts > to) to = p.ts;
    }
    result.range = { from, to: Math.max(to + GRID_MS, recomputedTo) };
    result.coins = [...new Set([...byKey.values()].map((p) => p.coin))];
    for (const b of newBaselines) for (const l of this.listeners) l(b.coin, b.day, b.price);
    if (result.changed > 0) for (const l of this.writeListeners) l(result);
    return result;
  }

  /**
   * Writes candles (any bar) into KL030. With `gridSource`, 30-minute bars also give their grid
   * points (open at start) in the same call. Unconfirmed bars change on every push; callers that
   * stream them should throttle, since every real change takes a seq.
   */
  writeCandles(candles: readonly CandleInput[], opts: { gridSource?: MarketSource } = {}): CandleWriteResult {
    const rejected: Rejected<CandleInput>[] = [];
    const ok: CandleInput[] = [];
    for (const c of candles) {
      const reason = checkCandle(c);
      if (reason) rejected.push({ item: c, reason });
      else ok.push(c);
    }
    const now = this.now();
    const res: CandleWriteResult = { changed: 0, unchanged: 0, rejected, grid: null };
    this.store.write(() => {
      const c = this.store.tables.candles.upsertLocal(
        ok.map((k) => [k.coin, k.bar, k.ts, k.open, k.high, k.low, k.close, k.vol, k.volCcy, k.volCcyQuote, k.confirm ? 1 : 0]),
        this.store.nodeId,
        now,
      );
      res.changed = c.changed;
      res.unchanged = c.unchanged;
      if (c.changed > 0) this.refreshHighLow(ok, now);
    });
    // A second short transaction rather than a nested one, so baseline listeners run after commit.
    if (opts.gridSource) res.grid = this.writeGridPrices(gridPointsFromCandles(ok, opts.gridSource));
    return res;
  }

  /** The stored baseline of a coin-day: its 00:00 grid price, else a baseline row (e.g. synced). */
  private baselineOf(coin: string, start: number, day: string): number | null {
    const g = this.q.gridAt.get(coin, start) as { price: number } | undefined;
    if (g) return g.price;
    const b = this.q.baselineOf.get(coin, day) as { price: number } | undefined;
    return b ? b.price : null;
  }

  /** PB001: baseline with the day's high/low from its grid points and 30m candles. */
  private writeBaseline(coin: string, start: number, day: string, baseline: number | null, now: number): boolean {
    if (baseline === null) return false;
    const g = this.q.gridRange.get(coin, start, start + DAY_MS) as { high: number | null; low: number | null };
    const k = this.q.candleRange.get(coin, start, start + DAY_MS) as { high: number | null; low: number | null };
    const highs = [g.high, k.high].filter((v): v is number => v !== null);
    const lows = [g.low, k.low].filter((v): v is number => v !== null);
    const row: RowCells = [coin, day, baseline, highs.length ? Math.max(...highs) : null, lows.length ? Math.min(...lows) : null];
    return this.store.tables.baselines.upsertLocal([row], this.store.nodeId, now).changed > 0;
  }

  private refreshHighLow(candles: readonly CandleInput[], now: number): void {
    const seen = new Set<string>();
    for (const c of candles) {
      if (c.bar !== '30m') continue;
      const start = dayStartOf(c.ts);
      const k = `${c.coin}|${start}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const day = dayOf(start);
      this.writeBaseline(c.coin, start, day, this.baselineOf(c.coin, start, day), now);
    }
  }
}

function checkPoint(p: GridPointInput): string | null {
  if (!COIN_RE.test(p.coin)) return `coin "${p.coin}" is not a coin symbol`;
  if (!isGridPoint(p.ts)) return `ts ${p.ts} is not on the 30-minute grid`;
  if (!positive(p.price)) return `price ${p.price} is not a positive number`;
  return null;
}

function checkCandle(c: CandleInput): string | null {
  if (!COIN_RE.test(c.coin)) return `coin "${c.coin}" is not a coin symbol`;
  if (!/^\d+[smHDWMY]$|^\d+[HDWMY]utc$/.test(c.bar)) return `bar "${c.bar}" is not an OKX bar size`;
  if (!Number.isInteger(c.ts) || c.ts < 0) return `ts ${c.ts} is not a timestamp`;
  if (![c.open, c.high, c.low, c.close].every(positive)) return 'open, high, low and close must be positive numbers';
  if (c.high < Math.max(c.open, c.close, c.low) || c.low > Math.min(c.open, c.close)) return 'high/low do not bound open/close';
  if (![c.vol, c.volCcy, c.volCcyQuote].every(nonNeg)) return 'volumes must be non-negative numbers or null';
  return null;
}
