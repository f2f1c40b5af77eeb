/**
 * zod schemas for OKX's derivatives payloads (okx-v5.md §3.4–3.8, §4.6–4.7), in the style of
 * schemas.ts: by key, numbers from strings, unknown keys dropped, fields that came and went
 * optional. The same row schema serves a REST answer and a WS push wherever OKX shares the shape.
 */
import { z } from 'zod';
import { NumStr, OptNumStr, TsStr } from './schemas.js';

const OptStr = z.string().optional();
const OptTs = z
  .union([z.literal(''), TsStr])
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const OkxMarkPriceSchema = z.object({ instType: OptStr, instId: z.string().min(1), markPx: NumStr, ts: TsStr });
export type OkxMarkPrice = z.output<typeof OkxMarkPriceSchema>;

/** /public/funding-rate and the funding-rate push. `fundingTime` is the upcoming settlement. */
export const OkxFundingRateSchema = z.object({
  instType: OptStr,
  instId: z.string().min(1),
  fundingRate: NumStr,
  fundingTime: TsStr,
  nextFundingTime: OptTs,
  settFundingRate: OptNumStr,
  settState: OptStr,
  prevFundingTime: OptTs,
  method: OptStr,
  ts: OptTs,
});
export type OkxFundingRate = z.output<typeof OkxFundingRateSchema>;

/** /public/funding-rate-history rows: `realizedRate` is what was charged. */
export const OkxFundingHistorySchema = z.object({
  instId: z.string().min(1),
  fundingRate: NumStr,
  realizedRate: OptNumStr,
  fundingTime: TsStr,
  method: OptStr,
});
export type OkxFundingHistory = z.output<typeof OkxFundingHistorySchema>;

/** /public/open-interest and the open-interest push (`oiUsd` is missing from the 2021 pushes). */
export const OkxOpenInterestSchema = z.object({
  instType: OptStr,
  instId: z.string().min(1),
  oi: NumStr,
  oiCcy: OptNumStr,
  oiUsd: OptNumStr,
  ts: TsStr,
});
export type OkxOpenInterest = z.output<typeof OkxOpenInterestSchema>;

/** A level `[px, sz, "0", orders]`; only price and size are kept. */
const BookLevelSchema = z
  .array(z.string())
  .min(2, 'a book level has a price and a size')
  .transform((r, ctx) => {
    const px = Number(r[0]);
    const sz = Number(r[1]);
    if (!Number.isFinite(px) || !Number.isFinite(sz) || r[0] === '' || r[1] === '') {
      ctx.addIssue({ code: 'custom', message: 'a book level needs a numeric price and size' });
      return z.NEVER;
    }
    return { px, sz };
  });

/** /market/books (sz=5) and the books5 push: a whole snapshot each time. */
export const OkxBookSchema = z.object({
  instId: OptStr,
  asks: z.array(BookLevelSchema).max(400),
  bids: z.array(BookLevelSchema).max(400),
  ts: TsStr,
  seqId: z.number().int().optional(),
});
export type OkxBook = z.output<typeof OkxBookSchema>;

/** One liquidation-orders data item: an instrument and its liquidation details. */
export const OkxLiquidationSchema = z.object({
  instType: OptStr,
  instId: z.string().min(1),
  details: z
    .array(
      z.object({
        side: z.enum(['buy', 'sell']),
        posSide: OptStr,
        bkPx: NumStr,
        sz: NumStr,
        bkLoss: OptNumStr,
        ts: TsStr,
      }),
    )
    .min(1),
});
export type OkxLiquidation = z.output<typeof OkxLiquidationSchema>;
