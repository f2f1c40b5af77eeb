import { HandlerError } from '../../../preload/contract/result.js';
import type { Candle, CandleSeries } from '../../../preload/contract/coin.js';
import { OKX_BARS } from '../okx/bars.js';
import type { CandleEvents } from '../market/candles/candle-events.js';
import type { LiveCandles } from '../market/candles/live-candles.js';
import type { Db } from '../store/db.js';
import type { HandlersOf } from './types.js';

/** Most candles one request returns: 1m × 30 days is 43,200; a 400-day 1m range (576,000) is refused. */
export const MAX_CANDLE_ROWS = 100_000;
const DAY = 86_400_000;

/**
 * market.candles: stored candles of one coin and timeframe in [from, to), ascending, plus the forming
 * one. market.watchCandles: a UI's lease on the 'market.candle' keys it draws (candle-events.ts).
 */
export function candleHandlers(deps: {
  db: Db;
  live: LiveCandles;
  events: CandleEvents;
}): HandlersOf<'market.candles' | 'market.watchCandles'> {
  const rows = deps.db
    .prepare('SELECT ts, open, high, low, close, vol, confirm FROM candles WHERE coin = ? AND bar = ? AND ts >= ? AND ts < ? ORDER BY ts')
    .raw(true);
  return {
    'market.candles': ({ coin, bar, from, to }): CandleSeries => {
      const size = OKX_BARS[bar].ms;
      if (Math.ceil((to - from) / size) > MAX_CANDLE_ROWS) {
        const days = Math.floor((MAX_CANDLE_ROWS * size) / DAY);
        throw new HandlerError(
          'bad_input',
          `to: must be at most ${days} days after from for ${bar} candles (at most ${MAX_CANDLE_ROWS.toLocaleString('en')} per request)`,
          { issues: [{ path: ['to'], reason: 'range_too_long', params: { days }, message: `must be at most ${days} days after from` }] },
        );
      }
      const out: Candle[] = (rows.all(coin, bar, from, to) as [number, number, number, number, number, number | null, number][]).map(
        (r) => ({ ts: r[0], o: r[1], h: r[2], l: r[3], c: r[4], vol: r[5], confirm: r[6] === 1 }),
      );
      // The live last candle: the socket's forming bar, newer than anything stored.
      const forming = deps.live.get(coin, bar);
      if (forming && forming.ts >= from && forming.ts < to && (out.length === 0 || out[out.length - 1]!.ts < forming.ts)) out.push(forming);
      return { coin, bar, rows: out };
    },
    'market.watchCandles': ({ client, watch }) => deps.events.watch(client, watch),
  };
}
