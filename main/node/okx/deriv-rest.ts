/**
 * Typed calls to OKX's derivatives REST endpoints (okx-v5.md §3.4–3.8) through the node's one REST
 * client, so each endpoint keeps its own pacing queue and its own pause after a 429/50011.
 */
import type { OkxRestClient } from './rest-client.js';
import {
  OkxBookSchema,
  OkxFundingHistorySchema,
  OkxFundingRateSchema,
  OkxMarkPriceSchema,
  OkxOpenInterestSchema,
  type OkxBook,
  type OkxFundingHistory,
  type OkxFundingRate,
  type OkxMarkPrice,
  type OkxOpenInterest,
} from './deriv-schemas.js';

export class OkxDerivRest {
  constructor(private readonly rest: OkxRestClient) {}

  /** Every perpetual's mark price in one call. */
  markPrices(): Promise<OkxMarkPrice[]> {
    return this.rest.getRows('markPrice', { instType: 'SWAP' }, OkxMarkPriceSchema);
  }

  /** Every perpetual's current funding in one call (`instId=ANY`). */
  fundingRates(): Promise<OkxFundingRate[]> {
    return this.rest.getRows('fundingRate', { instId: 'ANY' }, OkxFundingRateSchema);
  }

  /** Settled funding, newest first; `after` = older than that funding time. */
  fundingHistory(instId: string, q: { after?: number; limit?: number } = {}): Promise<OkxFundingHistory[]> {
    return this.rest.getRows('fundingRateHistory', { instId, after: q.after, limit: q.limit }, OkxFundingHistorySchema);
  }

  /** Every perpetual's open interest in one call. */
  openInterest(): Promise<OkxOpenInterest[]> {
    return this.rest.getRows('openInterest', { instType: 'SWAP' }, OkxOpenInterestSchema);
  }

  /** The top `sz` levels of one instrument's book. */
  async books(instId: string, sz = 5): Promise<OkxBook | undefined> {
    return (await this.rest.getRows('books', { instId, sz }, OkxBookSchema))[0];
  }
}
