import type { BaselineMismatch, CoinFreshness, LiveRow, LiveSnapshot, LiveSum, MarketSource } from '../../../preload/contract/market.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import type { RowCells } from '../store/sync-table.js';
import { changePct } from './grid-writer.js';
import { dayOf } from './grid-time.js';
import { SpeedRing } from './speed-ring.js';

/** One live price as the collector hands it over. `sodUtc8` is OKX's 00:00 UTC+8 open, if known. */
export interface TickInput {
  coin: string;
  price: number;
  ts: number;
  source: MarketSource;
  sodUtc8?: number | null;
}

export interface LiveStateOptions {
  store: Store;
  bus: EventBus;
  /** The selected coins (settings), read on every use so a settings change applies at once. */
  coins: () => readonly string[];
  log: Logger;
  /** Wall clock, for write throttling and freshness. */
  now?: () => number;
  /** Minimum wall time between two DB writes of one coin's tick and speed. */
  throttleMs?: number;
  /** A baseline differing from sodUtc8 by more than this (in %) is a mismatch. */
  mismatchTolerancePct?: number;
}

interface CoinState {
  row: LiveRow;
  sodUtc8: number | null;
  ring: SpeedRing;
  lastWrite: number;
  dirty: boolean;
}

const COIN_RE = /^[A-Z0-9]{1,15}$/;
/** How long a "no baseline stored" answer is trusted before asking SQLite again (peers may sync one in). */
const BASELINE_RECHECK_MS = 60_000;

/**
 * PT001 / PS001: the latest tick per coin, its live change % against today's baseline, the live
 * sum and price speed. Events go out on every tick; DB writes are throttled per coin and batched.
 */
export class LiveState {
  readonly throttleMs: number;
  readonly tolerancePct: number;
  private readonly coinsNow: Map<string, CoinState> = new Map();
  private readonly baselines = new Map<string, { day: string; price: number | null; at: number }>();
  private readonly mismatchMap = new Map<string, BaselineMismatch>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly qBaseline;

  constructor(private readonly o: LiveStateOptions) {
    this.now = o.now ?? Date.now;
    this.throttleMs = o.throttleMs ?? 1_000;
    this.tolerancePct = o.mismatchTolerancePct ?? 0.01;
    this.qBaseline = o.store.db.prepare('SELECT price FROM baselines WHERE coin = ? AND day = ?');
    this.loadPersisted();
  }

  /** Applies ticks in order; returns how many were taken and why others were not. */
  applyTicks(ticks: readonly TickInput[]): { accepted: number; rejected: { tick: TickInput; reason: string }[] } {
    const rejected: { tick: TickInput; reason: string }[] = [];
    const now = this.now();
    const toWrite = new Set<string>();
    let accepted = 0;
    for (const t of ticks) {
      const reason = checkTick(t);
      if (reason) {
        rejected.push({ tick: t, reason });
        continue;
      }
      const st = this.coinsNow.get(t.coin);
      if (st && t.ts < st.row.ts) {
        rejected.push({ tick: t, reason: `older than the latest tick of ${t.coin}` });
        continue;
      }
      const ring = st?.ring ?? new SpeedRing();
      ring.push(t.ts, t.price);
      const day = dayOf(t.ts);
      // sodUtc8 belongs to a day: keep the last one seen only while the day is the same.
      const sod = t.sodUtc8 ?? (st && st.row.day === day ? st.sodUtc8 : null);
      const row = this.makeRow(t.coin, t.price, t.ts, t.source, day, sod, ring);
      const state: CoinState = st ?? { row, sodUtc8: sod, ring, lastWrite: -Infinity, dirty: false };
      state.row = row;
      state.sodUtc8 = sod;
      this.coinsNow.set(t.coin, state);
      accepted += 1;
      if (now - state.lastWrite >= this.throttleMs) toWrite.add(t.coin);
      else state.dirty = true;
      this.o.bus.emit('market.tick', { row: state.row, sum: this.liveSum() });
    }
    if (toWrite.size > 0) this.persist([...toWrite], now);
    if (accepted > 0) this.o.bus.emit('market.sum', this.liveSum());
    this.scheduleFlush();
    return { accepted, rejected };
  }

  /** The grid writer calls this when a day's 00:00 grid price is written or moves. */
  setBaseline(coin: string, day: string, price: number): void {
    this.baselines.set(coin, { day, price, at: this.now() });
    const st = this.coinsNow.get(coin);
    if (!st || st.row.day !== day) return;
    st.row = this.makeRow(coin, st.row.price, st.row.ts, st.row.source, day, st.sodUtc8, st.ring);
    st.dirty = true;
    this.o.bus.emit('market.tick', { row: st.row, sum: this.liveSum() });
    this.scheduleFlush();
  }

  snapshot(): LiveSnapshot {
    const coins = [...this.o.coins()];
    const rows = coins.map((c) => this.coinsNow.get(c)?.row).filter((r): r is LiveRow => r !== undefined);
    return { coins, rows, sum: this.liveSum() };
  }

  /** Σ live change % over selected coins whose latest tick is in the newest tick's UTC+8 day. */
  liveSum(): LiveSum {
    const coins = this.o.coins();
    let latest: LiveRow | null = null;
    for (const c of coins) {
      const r = this.coinsNow.get(c)?.row;
      if (r && (!latest || r.ts > latest.ts)) latest = r;
    }
    if (!latest) return { ts: null, day: null, sum: null, covered: 0, total: coins.length, complete: false };
    let sum = 0;
    let covered = 0;
    for (const c of coins) {
      const r = this.coinsNow.get(c)?.row;
      if (r && r.day === latest.day && r.changePct !== null) {
        sum += r.changePct;
        covered += 1;
      }
    }
    return {
      ts: latest.ts,
      day: latest.day,
      sum: covered > 0 ? sum : null,
      covered,
      total: coins.length,
      complete: covered === coins.length,
    };
  }

  mismatches(): BaselineMismatch[] {
    return [...this.mismatchMap.values()];
  }

  freshness(lastGrid: (coin: string) => number | null): CoinFreshness[] {
    const now = this.now();
    return this.o.coins().map((coin) => {
      const r = this.coinsNow.get(coin)?.row;
      return {
        coin,
        lastTickTs: r?.ts ?? null,
        ageMs: r ? Math.max(0, now - r.ts) : null,
        source: r?.source ?? null,
        lastGridTs: lastGrid(coin),
      };
    });
  }

  /** Writes every coin whose latest tick is not yet in SQLite. */
  flush(): void {
    const dirty = [...this.coinsNow].filter(([, s]) => s.dirty).map(([c]) => c);
    if (dirty.length > 0 && this.o.store.isOpen) this.persist(dirty, this.now());
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    this.closed = true;
  }

  private makeRow(
    coin: string,
    price: number,
    ts: number,
    source: MarketSource,
    day: string,
    sodUtc8: number | null,
    ring: SpeedRing,
  ): LiveRow {
    const stored = this.storedBaseline(coin, day);
    const baseline = stored ?? sodUtc8;
    if (stored !== null && sodUtc8 !== null) this.checkMismatch(coin, day, stored, sodUtc8);
    return {
      coin,
      price,
      ts,
      source,
      day,
      baseline,
      baselineSource: stored !== null ? 'grid' : sodUtc8 !== null ? 'sodUtc8' : null,
      changePct: changePct(price, baseline),
      speed: ring.speed(ts, price),
    };
  }

  private storedBaseline(coin: string, day: string): number | null {
    const c = this.baselines.get(coin);
    const now = this.now();
    if (c && c.day === day && (c.price !== null || now - c.at < BASELINE_RECHECK_MS)) return c.price;
    const row = this.qBaseline.get(coin, day) as { price: number } | undefined;
    const price = row?.price ?? null;
    this.baselines.set(coin, { day, price, at: now });
    return price;
  }

  private checkMismatch(coin: string, day: string, computed: number, sodUtc8: number): void {
    const diffPct = ((sodUtc8 - computed) / computed) * 100;
    const prev = this.mismatchMap.get(coin);
    if (Math.abs(diffPct) <= this.tolerancePct) {
      if (prev) this.mismatchMap.delete(coin);
      return;
    }
    if (prev && prev.day === day && prev.computed === computed && prev.sodUtc8 === sodUtc8) return;
    const m: BaselineMismatch = { coin, day, computed, sodUtc8, diffPct, checkedAt: this.now() };
    this.mismatchMap.set(coin, m);
    this.o.log.warn(
      `baseline mismatch for ${coin} on ${day}: our 00:00 UTC+8 price ${computed}, exchange sodUtc8 ${sodUtc8} (${diffPct.toFixed(4)} %)`,
    );
    this.o.bus.emit('market.mismatch', m);
  }

  private persist(coins: readonly string[], now: number): void {
    // A tick that races the node's shutdown is kept in memory only; the store is gone.
    if (!this.o.store.isOpen) return;
    const ticks: RowCells[] = [];
    const speeds: RowCells[] = [];
    for (const c of coins) {
      const st = this.coinsNow.get(c);
      if (!st) continue;
      const r = st.row;
      ticks.push([c, r.price, r.ts, r.source, r.baseline, r.changePct]);
      speeds.push([c, r.price, r.speed.m1, r.speed.m5, r.speed.m15, r.ts]);
      st.lastWrite = now;
      st.dirty = false;
    }
    const origin = this.o.store.nodeId;
    this.o.store.write(() => {
      this.o.store.tables.ticks.upsertLocal(ticks, origin, now);
      this.o.store.tables.price_speed.upsertLocal(speeds, origin, now);
    });
  }

  private scheduleFlush(): void {
    if (this.timer || this.closed) return;
    if (![...this.coinsNow.values()].some((s) => s.dirty)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (e) {
        this.o.log.error('writing live ticks failed:', e);
      }
      this.scheduleFlush();
    }, this.throttleMs);
    this.timer.unref();
  }

  /** After a restart the last known tick of each coin is back (speeds rebuild from new ticks). */
  private loadPersisted(): void {
    const rows = this.o.store.db.prepare('SELECT coin, price, ts, source, baseline FROM ticks').all() as {
      coin: string;
      price: number;
      ts: number;
      source: MarketSource;
      baseline: number | null;
    }[];
    for (const r of rows) {
      const ring = new SpeedRing();
      ring.push(r.ts, r.price);
      // The stored baseline stands in for the sodUtc8 it may have come from, until a new tick brings one.
      const row = this.makeRow(r.coin, r.price, r.ts, r.source, dayOf(r.ts), r.baseline, ring);
      this.coinsNow.set(r.coin, { row, sodUtc8: r.baseline, ring, lastWrite: this.now(), dirty: false });
    }
  }
}

function checkTick(t: TickInput): string | null {
  if (!COIN_RE.test(t.coin)) return `coin "${t.coin}" is not a coin symbol`;
  if (!Number.isFinite(t.price) || t.price <= 0) return `price ${t.price} is not a positive number`;
  if (!Number.isInteger(t.ts) || t.ts <= 0) return `ts ${t.ts} is not a timestamp`;
  if (t.sodUtc8 != null && (!Number.isFinite(t.sodUtc8) || t.sodUtc8 <= 0)) return `sodUtc8 ${t.sodUtc8} is not a positive number`;
  return null;
}
