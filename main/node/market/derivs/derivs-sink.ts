/**
 * Where the derivatives streams put what they read: the latest value per key is kept in a pending
 * map and written per table on its own beat, in one short transaction (a push rate of hundreds per
 * second becomes a few rows per second; seq moves only when a value really changed). Series
 * tables are keyed by their bucket: MP001 by minute, OI001 by 5 minutes.
 */
import type { Store } from '../../store/store.js';
import type { RowCells } from '../../store/sync-table.js';
import type { OkxTicker } from '../../okx/schemas.js';

const MIN = 60_000;
export const OI_BUCKET_MS = 5 * MIN;

export type DerivTable = 'mark_prices' | 'funding_rates' | 'open_interest' | 'order_books' | 'liquidations' | 'swap_tickers';

/** How often each table is written, ms (the push rates differ by orders of magnitude). */
export const FLUSH_MS: Record<DerivTable, number> = {
  mark_prices: 3_000,
  funding_rates: 1_000,
  open_interest: 5_000,
  order_books: 2_000,
  liquidations: 1_000,
  swap_tickers: 5_000,
};

export interface BookSide {
  px: number;
  sz: number;
}

export class DerivsSink {
  private readonly pending = new Map<DerivTable, Map<string, RowCells>>();
  private readonly lastFlush = new Map<DerivTable, number>();
  /** The latest open interest per coin, carried into each new 5-minute bucket so the series has no holes. */
  private readonly lastOi = new Map<string, { oi: number; oiCcy: number | null; oiUsd: number | null; ts: number }>();
  rowsWritten = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  markPrice(coin: string, px: number, ts: number): void {
    const minute = Math.floor(ts / MIN) * MIN;
    this.put('mark_prices', `${coin}|${minute}`, [coin, minute, px, ts]);
  }

  /** The upcoming settlement's forecast (realized null) or a settled one with its charged rate. */
  funding(coin: string, fundingTime: number, rate: number, realized: number | null): void {
    this.put('funding_rates', `${coin}|${fundingTime}`, [coin, fundingTime, rate, realized]);
    if (realized === null && fundingTime > this.upcomingFunding) this.upcomingFunding = fundingTime;
  }

  /** The latest upcoming settlement any forecast named: when it moves on, one has just settled. */
  upcomingFunding = 0;

  openInterest(coin: string, oi: number, oiCcy: number | null, oiUsd: number | null, ts: number): void {
    const prev = this.lastOi.get(coin);
    if (prev && prev.ts > ts) return; // an older value arriving late must not overwrite the bucket
    this.lastOi.set(coin, { oi, oiCcy, oiUsd, ts });
    const bucket = Math.floor(ts / OI_BUCKET_MS) * OI_BUCKET_MS;
    this.put('open_interest', `${coin}|${bucket}`, [coin, bucket, oi, oiCcy, oiUsd]);
  }

  book(coin: string, ts: number, bids: readonly BookSide[], asks: readonly BookSide[]): void {
    const side = (l: readonly BookSide[]) => JSON.stringify(l.slice(0, 5).map((x) => [x.px, x.sz]));
    this.put('order_books', coin, [coin, ts, side(bids), side(asks)]);
  }

  liquidation(coin: string, ts: number, side: 'buy' | 'sell', px: number, sz: number, posSide: string | null, bkLoss: number | null): void {
    this.put('liquidations', `${coin}|${ts}|${side}|${px}|${sz}`, [coin, ts, side, px, sz, posSide, bkLoss]);
  }

  swapTicker(t: OkxTicker): void {
    const n = (v: number | undefined) => v ?? null;
    this.put('swap_tickers', t.instId, [
      t.instId,
      t.last,
      n(t.open24h),
      n(t.high24h),
      n(t.low24h),
      n(t.vol24h),
      n(t.volCcy24h),
      n(t.sodUtc0),
      n(t.sodUtc8),
      t.ts,
    ]);
  }

  /** Writes every table whose beat has come (all of them with `force`). */
  flush(force = false): void {
    const wall = Date.now();
    this.carryOi();
    const due = [...this.pending].filter(([t, rows]) => rows.size > 0 && (force || wall - (this.lastFlush.get(t) ?? 0) >= FLUSH_MS[t]));
    if (due.length === 0) return;
    const at = this.now();
    this.store.write(() => {
      for (const [t, rows] of due) {
        this.rowsWritten += this.store.tables[t].upsertLocal([...rows.values()], this.store.nodeId, at).changed;
        rows.clear();
        this.lastFlush.set(t, wall);
      }
    });
  }

  private carryOi(): void {
    const bucket = Math.floor(this.now() / OI_BUCKET_MS) * OI_BUCKET_MS;
    for (const [coin, v] of this.lastOi) {
      // Only a recent value is carried: an OI silent for 10 minutes is not known any more.
      if (v.ts >= bucket || this.now() - v.ts > 2 * OI_BUCKET_MS) continue;
      const key = `${coin}|${bucket}`;
      if (!this.pending.get('open_interest')?.has(key)) this.put('open_interest', key, [coin, bucket, v.oi, v.oiCcy, v.oiUsd]);
    }
  }

  private put(table: DerivTable, key: string, row: RowCells): void {
    let m = this.pending.get(table);
    if (!m) this.pending.set(table, (m = new Map()));
    m.set(key, row);
  }
}
