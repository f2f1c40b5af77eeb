import type { Candle, CandleBar } from '../../../../preload/contract/coin.js';

/**
 * The forming (not yet confirmed) candle per coin and timeframe, kept in memory: a forming bar
 * changes on every push, and storing each would take a seq per second per coin and timeframe for
 * peers to pull. The closed bar is stored when its confirm push (or the REST repair) arrives.
 */
export class LiveCandles {
  private readonly forming = new Map<string, Candle>();

  set(coin: string, bar: CandleBar, c: Candle): void {
    const k = `${coin}|${bar}`;
    const had = this.forming.get(k);
    if (c.confirm) {
      if (had && had.ts <= c.ts) this.forming.delete(k);
    } else if (!had || had.ts <= c.ts) this.forming.set(k, c);
  }

  get(coin: string, bar: CandleBar): Candle | undefined {
    return this.forming.get(`${coin}|${bar}`);
  }

  clear(): void {
    this.forming.clear();
  }
}

/** An OKX candle row (numbers parsed) as the contract's Candle. */
export function candleOf(r: {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  vol: number | null;
  confirm: number;
}): Candle {
  return { ts: r.ts, o: r.open, h: r.high, l: r.low, c: r.close, vol: r.vol, confirm: r.confirm === 1 };
}
