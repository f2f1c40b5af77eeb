/**
 * Reads the derivatives tables for market.coin, market.liquidations and market.tickers. From the
 * database, not from the collector's memory, so a node that only receives from peers answers the
 * same; `updatedAt` is each row's updated_at (when its producer last changed it).
 */
import type { CoinSnapshot, LiquidationList, Stamped, TickerBoard } from '../../../../preload/contract/coin.js';
import { instIdOf } from '../../../../preload/contract/coins.js';
import type { Db } from '../../store/db.js';

const DAY = 86_400_000;
export const LIQUIDATIONS_MAX = 500;

const stamped = <T>(value: T | null | undefined, updatedAt: number | null | undefined): Stamped<T> =>
  value === null || value === undefined ? { value: null, updatedAt: null } : { value, updatedAt: updatedAt ?? null };

interface TickerRow {
  inst_id: string;
  last: number;
  open24h: number | null;
  high24h: number | null;
  low24h: number | null;
  vol24h: number | null;
  vol_ccy24h: number | null;
  ts: number;
  updated_at: number;
}

export class DerivsQueries {
  constructor(private readonly db: Db) {}

  /** Whether any derivatives or ticker data names this coin. */
  knows(coin: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM swap_tickers WHERE inst_id = ?').get(instIdOf(coin)) !== undefined ||
      this.db.prepare('SELECT 1 FROM mark_prices WHERE coin = ? LIMIT 1').get(coin) !== undefined
    );
  }

  coin(coin: string): CoinSnapshot {
    const db = this.db;
    const mark = db.prepare('SELECT mark_px, updated_at FROM mark_prices WHERE coin = ? ORDER BY ts DESC LIMIT 1').get(coin) as
      { mark_px: number; updated_at: number } | undefined;
    // The newest settlement time is the upcoming one, carrying the forecast.
    const fr = db
      .prepare('SELECT funding_time, funding_rate, updated_at FROM funding_rates WHERE coin = ? ORDER BY funding_time DESC LIMIT 1')
      .get(coin) as { funding_time: number; funding_rate: number; updated_at: number } | undefined;
    const oi = db.prepare('SELECT ts, oi, updated_at FROM open_interest WHERE coin = ? ORDER BY ts DESC LIMIT 1').get(coin) as
      { ts: number; oi: number; updated_at: number } | undefined;
    const oiDayAgo = oi
      ? (db.prepare('SELECT oi FROM open_interest WHERE coin = ? AND ts <= ? ORDER BY ts DESC LIMIT 1').get(coin, oi.ts - DAY) as
          { oi: number } | undefined)
      : undefined;
    const book = db.prepare('SELECT bids, asks, updated_at FROM order_books WHERE coin = ?').get(coin) as
      { bids: string; asks: string; updated_at: number } | undefined;
    const t = db.prepare('SELECT * FROM swap_tickers WHERE inst_id = ?').get(instIdOf(coin)) as TickerRow | undefined;
    // PT001 is the freshest last price (every tick); OKX001 is the fallback when no tick was collected.
    const tick = db.prepare('SELECT price, updated_at FROM ticks WHERE coin = ?').get(coin) as
      { price: number; updated_at: number } | undefined;
    const levels = (json: string | undefined) => (json ? (JSON.parse(json) as [number, number][]).map(([px, sz]) => ({ px, sz })) : []);
    return {
      coin,
      last: tick ? stamped(tick.price, tick.updated_at) : stamped(t?.last, t?.updated_at),
      markPx: stamped(mark?.mark_px, mark?.updated_at),
      fundingRate: stamped(fr?.funding_rate, fr?.updated_at),
      nextFundingTime: stamped(fr?.funding_time, fr?.updated_at),
      openInterest: stamped(oi?.oi, oi?.updated_at),
      openInterestChange24hPct: oi && oiDayAgo && oiDayAgo.oi !== 0 ? ((oi.oi - oiDayAgo.oi) / oiDayAgo.oi) * 100 : null,
      book: { bids: levels(book?.bids), asks: levels(book?.asks), updatedAt: book?.updated_at ?? null },
      vol24h: stamped(t?.vol24h, t?.updated_at),
      high24h: stamped(t?.high24h, t?.updated_at),
      low24h: stamped(t?.low24h, t?.updated_at),
      open24h: stamped(t?.open24h, t?.updated_at),
    };
  }

  /** Liquidations in [from, to), newest first, at most 500. */
  liquidations(q: { coin?: string; from: number; to: number }): LiquidationList {
    const sql = `SELECT ts, coin, side, px, sz FROM liquidations WHERE ts >= ? AND ts < ? ${q.coin ? 'AND coin = ?' : ''}
      ORDER BY ts DESC, coin, side, px, sz LIMIT ${LIQUIDATIONS_MAX}`;
    const args = q.coin ? [q.from, q.to, q.coin] : [q.from, q.to];
    const rows = this.db.prepare(sql).all(...args) as { ts: number; coin: string; side: string; px: number; sz: number }[];
    return { from: q.from, to: q.to, rows: rows.map((r) => ({ ...r, side: r.side === 'buy' ? 'buy' : 'sell' })) };
  }

  tickers(): TickerBoard {
    const rows = this.db.prepare('SELECT * FROM swap_tickers ORDER BY inst_id').all() as TickerRow[];
    return {
      updatedAt: rows.reduce<number | null>((m, r) => Math.max(m ?? 0, r.updated_at), null),
      rows: rows.map((r) => ({
        instId: r.inst_id,
        last: r.last,
        open24h: r.open24h ?? r.last,
        high24h: r.high24h ?? r.last,
        low24h: r.low24h ?? r.last,
        vol24h: r.vol24h ?? 0,
        volCcy24h: r.vol_ccy24h ?? 0,
        ts: r.ts,
      })),
    };
  }
}
