import { z } from 'zod';
import { CoinSymbol } from './coins.js';
import { Empty } from './core.js';
import { CandleBar } from './candle-bars.js';
import { epochMs, timeRange } from './market.js';

/**
 * Market breadth (issue 14): candles in every collected timeframe, and one coin's whole picture
 * (mark price, funding, open interest, top-5 book, liquidations, 24 h stats). Timestamps are UTC
 * epoch ms. Wired into contract.ts by the parts that serve them (market/candle-*, market/coin-*).
 */

export { CANDLE_BARS, CANDLE_DATASET, CandleBar } from './candle-bars.js';

export const coinInputs = {
  'market.candles': timeRange({ coin: CoinSymbol, bar: CandleBar, from: epochMs, to: epochMs }),
  'market.coin': z.object({ coin: CoinSymbol }).strict(),
  'market.liquidations': timeRange({ coin: CoinSymbol.optional(), from: epochMs, to: epochMs }),
  'market.tickers': Empty,
  /**
   * A UI's lease on the 'market.candle' keys it draws (the Coin screen: one coin and timeframe).
   * Only watched keys are sent; renew within ttlMs; an empty list ends the lease.
   */
  'market.watchCandles': z
    .object({
      client: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, - or _'),
      watch: z.array(z.object({ coin: CoinSymbol, bar: CandleBar }).strict()).max(4),
    })
    .strict(),
};

/** One candle; `confirm` false = the bar is still open (the live last candle). */
export interface Candle {
  ts: number;
  o: number;
  h: number;
  l: number;
  c: number;
  /** Volume in contracts; null when the source did not give it. */
  vol: number | null;
  confirm: boolean;
}

export interface CandleSeries {
  coin: string;
  bar: CandleBar;
  /** Ascending by ts, inside [from, to). */
  rows: Candle[];
}

export interface BookLevel {
  px: number;
  sz: number;
}

/** A value and when this node last got it (null = never). */
export interface Stamped<T> {
  value: T | null;
  updatedAt: number | null;
}

export interface CoinSnapshot {
  coin: string;
  last: Stamped<number>;
  markPx: Stamped<number>;
  /** Current funding rate as a fraction (0.0001 = 0.01 %). */
  fundingRate: Stamped<number>;
  nextFundingTime: Stamped<number>;
  /** Open interest in contracts, and its change over 24 h in % (null until 24 h of OI are held). */
  openInterest: Stamped<number>;
  openInterestChange24hPct: number | null;
  /** Top 5 of the book; bids descending, asks ascending. */
  book: { bids: BookLevel[]; asks: BookLevel[]; updatedAt: number | null };
  vol24h: Stamped<number>;
  high24h: Stamped<number>;
  low24h: Stamped<number>;
  open24h: Stamped<number>;
}

export interface Liquidation {
  ts: number;
  coin: string;
  /** The side of the liquidation order: 'sell' liquidates a long, 'buy' a short. */
  side: 'buy' | 'sell';
  /** Bankruptcy price and size in contracts. */
  px: number;
  sz: number;
}

export interface LiquidationList {
  from: number;
  to: number;
  /** Newest first, at most 500. */
  rows: Liquidation[];
}

/** OKX001: the 24 h ticker of every USDT swap the exchange lists (not only the selected coins). */
export interface SwapTicker {
  instId: string;
  last: number;
  open24h: number;
  high24h: number;
  low24h: number;
  vol24h: number;
  volCcy24h: number;
  ts: number;
}

export interface TickerBoard {
  updatedAt: number | null;
  rows: SwapTicker[];
}

export interface CoinOutputs {
  'market.candles': CandleSeries;
  'market.coin': CoinSnapshot;
  'market.liquidations': LiquidationList;
  'market.tickers': TickerBoard;
  /** How long the lease lasts, and how many keys every UI together watches. */
  'market.watchCandles': { ttlMs: number; watching: number };
}

export interface CoinEvents {
  /**
   * A candle of a collected timeframe changed (the live last candle, or a closed one): only for the
   * keys some UI watches (market.watchCandles), at most one per key per 250 ms with the latest state.
   */
  'market.candle': { coin: string; bar: CandleBar; candle: Candle };
}
