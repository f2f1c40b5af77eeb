/**
 * The simulator's REST answers for the derivatives endpoints (okx-v5.md §3.4–3.8): mark price,
 * funding rate (one instId or ANY), funding-rate history, open interest and the order book, with
 * OKX's parameter errors. Values come from DerivsModel, so tests can compute them.
 */
import type { OkxEndpoint } from '../okx/endpoints.js';
import type { DerivsModel } from './derivs-model.js';
import type { SimInstrument } from './instruments.js';

export interface DerivsRestContext {
  model: DerivsModel;
  /** Listed instruments at `now`. */
  listed(now: number): SimInstrument[];
  /** The listed instrument or a thrown OKX error (50014 empty, 51001 unknown). */
  findListed(instId: string | null, now: number): SimInstrument;
  instTypeOf(q: URLSearchParams): string;
  intParam(q: URLSearchParams, name: string): number | undefined;
  paramError(name: string): Error;
}

export type DerivsEndpoint = 'markPrice' | 'fundingRate' | 'fundingRateHistory' | 'openInterest' | 'books';
export const isDerivsEndpoint = (e: OkxEndpoint): e is DerivsEndpoint =>
  e === 'markPrice' || e === 'fundingRate' || e === 'fundingRateHistory' || e === 'openInterest' || e === 'books';

export function derivsRestData(ctx: DerivsRestContext, endpoint: DerivsEndpoint, q: URLSearchParams, now: number): unknown[] {
  const { model } = ctx;
  // SWAP rows only: the simulator lists no futures or options.
  const swaps = (): SimInstrument[] => {
    if (ctx.instTypeOf(q) !== 'SWAP') return [];
    const id = q.get('instId');
    return id ? [ctx.findListed(id, now)] : ctx.listed(now);
  };
  switch (endpoint) {
    case 'markPrice':
      return swaps().map((i) => model.markPriceRow(i, now));
    case 'openInterest':
      return swaps().map((i) => model.openInterestRow(i, now));
    case 'fundingRate': {
      const id = q.get('instId');
      if (id === 'ANY') return ctx.listed(now).map((i) => model.fundingRateRow(i, now));
      return [model.fundingRateRow(ctx.findListed(id, now), now)];
    }
    case 'fundingRateHistory': {
      const inst = ctx.findListed(q.get('instId'), now);
      const limit = ctx.intParam(q, 'limit') ?? 400;
      if (limit < 1) throw ctx.paramError('limit');
      return model.fundingHistory(inst, now, {
        after: ctx.intParam(q, 'after'),
        before: ctx.intParam(q, 'before'),
        limit: Math.min(400, limit),
      });
    }
    case 'books': {
      const inst = ctx.findListed(q.get('instId'), now);
      const sz = ctx.intParam(q, 'sz') ?? 1;
      if (sz < 1) throw ctx.paramError('sz');
      return [model.book(inst, now, Math.min(400, sz))];
    }
  }
}
