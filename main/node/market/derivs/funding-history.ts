import { instIdOf } from '../../../../preload/contract/coins.js';
import type { OkxDerivRest } from '../../okx/deriv-rest.js';
import { OkxError } from '../../okx/errors.js';
import type { StreamTracker } from '../collector/stream-tracker.js';
import type { DerivsSink } from './derivs-sink.js';

/**
 * FR001's settled history: one /public/funding-rate-history page per coin (400 rows, more than the
 * ~3 months OKX keeps at 8 h), stored with the realised rate. Stops at the first failure and says
 * so, so the caller retries later instead of hammering a limiting exchange.
 */
export async function fetchFundingHistory(d: {
  deriv: OkxDerivRest;
  sink: DerivsSink;
  coins: readonly string[];
  tracker: StreamTracker;
  running: () => boolean;
}): Promise<boolean> {
  for (const coin of d.coins) {
    if (!d.running()) return true;
    try {
      const rows = await d.deriv.fundingHistory(instIdOf(coin), { limit: 400 });
      d.tracker.counters.restCalls++;
      for (const h of rows) d.sink.funding(coin, h.fundingTime, h.fundingRate, h.realizedRate ?? h.fundingRate);
    } catch (e) {
      d.tracker.error(`funding history of ${coin}: ${(e as Error).message}`, e instanceof OkxError ? e.kind : 'network');
      return false;
    }
  }
  return true;
}
