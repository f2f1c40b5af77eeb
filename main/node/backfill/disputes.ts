/**
 * Values cross-checked (issue 12): a candle a peer delivers for a cell this node already holds
 * from another source is compared by its open; beyond the tolerance (a setting, default: any
 * difference) the cell is disputed — both values and sources kept, the peer's value not written —
 * and the exchange is asked once as the tie-breaker. Its value is written, the dispute decided,
 * and the source that was wrong is named (a peer's disagreement count goes up).
 */
import type { CandleInput } from '../okx/candle-pages.js';
import type { Store } from '../store/store.js';

export interface Disputed {
  candle: CandleInput;
  storedOpen: number;
}

export class Disputes {
  private readonly q;

  constructor(private readonly store: Store) {
    const db = store.db;
    this.q = {
      stored: db.prepare('SELECT ts, open FROM candles WHERE coin = ? AND bar = ? AND ts >= ? AND ts < ?'),
      open: db.prepare(
        `INSERT INTO backfill_disputes (coin, bar, ts, a_source, a_open, b_source, b_open, state, created_at)
         VALUES (?, ?, ?, 'stored', ?, ?, ?, 'open', ?)
         ON CONFLICT(coin, bar, ts) DO UPDATE SET a_open = excluded.a_open, b_source = excluded.b_source, b_open = excluded.b_open,
           state = 'open', decided_by = NULL, decided_open = NULL, wrong_source = NULL, created_at = excluded.created_at, decided_at = NULL`,
      ),
      // Two peers on one cell this node does not hold yet (peer-crosscheck.ts): both named as sources.
      pair: db.prepare(
        `INSERT INTO backfill_disputes (coin, bar, ts, a_source, a_open, b_source, b_open, state, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)
         ON CONFLICT(coin, bar, ts) DO UPDATE SET a_source = excluded.a_source, a_open = excluded.a_open, b_source = excluded.b_source,
           b_open = excluded.b_open, state = 'open', decided_by = NULL, decided_open = NULL, wrong_source = NULL,
           created_at = excluded.created_at, decided_at = NULL`,
      ),
      decide: db.prepare(
        `UPDATE backfill_disputes SET state = 'decided', decided_by = ?, decided_open = ?, wrong_source = ?, decided_at = ?
         WHERE coin = ? AND bar = ? AND ts = ?`,
      ),
      openCells: db.prepare(
        `SELECT ts, a_source, a_open, b_source, b_open FROM backfill_disputes WHERE coin = ? AND bar = ? AND state = 'open' AND ts >= ? AND ts <= ?`,
      ),
      openTs: db.prepare(`SELECT ts FROM backfill_disputes WHERE coin = ? AND bar = ? AND state = 'open' AND ts >= ? AND ts < ?`).pluck(),
      list: db.prepare('SELECT * FROM backfill_disputes ORDER BY created_at DESC, coin, ts LIMIT ?'),
    };
  }

  /** Splits a peer's candles of [start, end) into those that agree with (or are new to) this node, and the disputed. */
  split(candles: readonly CandleInput[], start: number, end: number, tolerancePct: number): { keep: CandleInput[]; disputed: Disputed[] } {
    const first = candles[0];
    if (!first) return { keep: [], disputed: [] };
    const stored = new Map(
      (this.q.stored.all(first.coin, first.bar, start, end) as { ts: number; open: number }[]).map((r) => [r.ts, r.open]),
    );
    const keep: CandleInput[] = [];
    const disputed: Disputed[] = [];
    for (const c of candles) {
      const s = stored.get(c.ts);
      if (s !== undefined && differs(s, c.open, tolerancePct)) disputed.push({ candle: c, storedOpen: s });
      else keep.push(c);
    }
    return { keep, disputed };
  }

  open(d: readonly Disputed[], peerId: string, now: number): void {
    this.store.write(() => {
      for (const x of d) this.q.open.run(x.candle.coin, x.candle.bar, x.candle.ts, x.storedOpen, peerId, x.candle.open, now);
    });
  }

  /** Opens a dispute between two peers' values of one cell. */
  openPair(
    coin: string,
    bar: string,
    ts: number,
    a: { source: string; open: number },
    b: { source: string; open: number },
    now: number,
  ): void {
    this.store.write(() => this.q.pair.run(coin, bar, ts, a.source, a.open, b.source, b.open, now));
  }

  /** The exchange's open decides a dispute between peers; `wrong` names the peers whose value differed from it. */
  decidePair(coin: string, bar: string, ts: number, exchangeOpen: number, host: string, wrong: readonly string[], now: number): void {
    this.store.write(() => this.q.decide.run(host, exchangeOpen, wrong.join(',') || null, now, coin, bar, ts));
  }

  /** The exchange's open decides; returns which side was wrong ('stored', the peer's id, or both). */
  decide(x: Disputed, peerId: string, exchangeOpen: number, host: string, tolerancePct: number, now: number): string[] {
    const wrong: string[] = [];
    if (differs(exchangeOpen, x.storedOpen, tolerancePct)) wrong.push('stored');
    if (differs(exchangeOpen, x.candle.open, tolerancePct)) wrong.push(peerId);
    this.store.write(() => this.q.decide.run(host, exchangeOpen, wrong.join(',') || null, now, x.candle.coin, x.candle.bar, x.candle.ts));
    return wrong;
  }

  /**
   * Open disputes that the exchange's own candles settle. A cell whose tie-break failed goes to the
   * exchange's pages; when one of them writes it, that value decides, as the tie-break would have.
   * Returns the peers found wrong with their counts ('stored', this node's own value, is not a peer).
   */
  settle(candles: readonly CandleInput[], host: string, tolerancePct: number, now: number): Map<string, number> {
    const wrongBy = new Map<string, number>();
    const first = candles[0];
    if (!first) return wrongBy;
    let lo = first.ts;
    let hi = first.ts;
    for (const c of candles) {
      lo = Math.min(lo, c.ts);
      hi = Math.max(hi, c.ts);
    }
    const open = this.q.openCells.all(first.coin, first.bar, lo, hi) as {
      ts: number;
      a_source: string;
      a_open: number;
      b_source: string;
      b_open: number;
    }[];
    if (open.length === 0) return wrongBy;
    const byTs = new Map(candles.map((c) => [c.ts, c.open]));
    this.store.write(() => {
      for (const r of open) {
        const ex = byTs.get(r.ts);
        if (ex === undefined) continue;
        const wrong = [
          ...(differs(ex, r.a_open, tolerancePct) ? [r.a_source] : []),
          ...(differs(ex, r.b_open, tolerancePct) ? [r.b_source] : []),
        ];
        this.q.decide.run(host, ex, wrong.join(',') || null, now, first.coin, first.bar, r.ts);
        for (const s of wrong) if (s !== 'stored') wrongBy.set(s, (wrongBy.get(s) ?? 0) + 1);
      }
    });
    return wrongBy;
  }

  /** Open disputes of a coin's bar in [from, to) (BF001's "disputed" cells). */
  openIn(coin: string, bar: string, from: number, to: number): number[] {
    return this.q.openTs.all(coin, bar, from, to) as number[];
  }

  list(limit = 200): Record<string, unknown>[] {
    return this.q.list.all(limit) as Record<string, unknown>[];
  }
}

/** Beyond the tolerance (percent of the reference; 0 = any difference). */
export function differs(reference: number, other: number, tolerancePct: number): boolean {
  if (tolerancePct <= 0) return reference !== other;
  return Math.abs(other - reference) > (Math.abs(reference) * tolerancePct) / 100;
}
