import { HandlerError } from '../../../preload/contract/result.js';
import { buildCsv, type CsvSources } from '../export/csv.js';
import type { MarketService } from '../market/market-service.js';
import type { HandlersOf } from './types.js';

/** Market queries and CSV export. Inputs arrive validated by the contract's schemas. */
export function marketHandlers(deps: {
  market: MarketService;
  /** The backfill's missing list, for export.csv kind "missing". */
  missing?: CsvSources['missing'];
}): HandlersOf<'market.status' | 'market.live' | 'market.sumSeries' | 'market.day' | 'export.csv'> {
  const { market } = deps;
  return {
    'market.status': () => market.status(),
    'market.live': () => market.live.snapshot(),
    'market.sumSeries': ({ from, to }) => market.queries.sumSeriesChunked(from, to),
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
