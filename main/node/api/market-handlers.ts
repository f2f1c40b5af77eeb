import { HandlerError } from '../../../preload/contract/result.js';
import { buildCsv, type CsvSources } from '../export/csv.js';
import type { MarketService } from '../market/market-service.js';
import type { StoredPrices } from '../market/stored-prices.js';
import type { HandlersOf } from './types.js';

/** Market queries and CSV export. Inputs arrive validated by the contract's schemas. */
export function marketHandlers(deps: {
  market: MarketService;
  /** The backfill's missing list, for export.csv kind "missing". */
  missing?: CsvSources['missing'];
  /** PT001 as stored, with baselines and source peers (what a node without a collector shows). */
  stored: StoredPrices;
}): HandlersOf<'market.status' | 'market.live' | 'market.stored' | 'market.sumSeries' | 'market.day' | 'export.csv'> {
  const { market } = deps;
  return {
    'market.status': () => market.status(),
    'market.live': () => market.live.snapshot(),
    'market.stored': () => deps.stored.snapshot(),
    'market.sumSeries': ({ from, to, maxPoints }) => market.sums.series(from, to, maxPoints),
    'market.day': ({ date }) => {
      try {
        return market.queries.day(date);
      } catch (e) {
        if (e instanceof RangeError) {
          throw new HandlerError('bad_input', `market.day: ${e.message}`, {
            issues: [{ path: ['date'], reason: 'calendar_day', params: { value: date }, message: e.message }],
          });
        }
        throw e;
      }
    },
    'export.csv': (req) => buildCsv(market.queries, req, { missing: deps.missing }),
  };
}
