/**
 * zod schemas for every OKX payload we consume. Parsed by key, never by position (except candle
 * rows, which are arrays by design); unknown keys are dropped, and fields that came and went over
 * the years (compare the 2022 and 2025 instrument fixtures) are optional. Numbers arrive as strings
 * and leave as numbers; OKX's "" for "no value" becomes undefined.
 */
import { z } from 'zod';
import { describeZodError } from '../../../preload/contract/issues.js';

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A required number sent as a string ("43500", "0.00007722"). */
export const NumStr = z.string().regex(NUMERIC, 'must be a number in a string').transform(Number);
/** An optional number string; missing or "" → undefined. */
export const OptNumStr = z
  .union([z.literal(''), NumStr])
  .optional()
  .transform((v) => (v === '' ? undefined : v));
/** Epoch milliseconds in a string. */
export const TsStr = z
  .string()
  .regex(/^\d{1,16}$/, 'must be epoch milliseconds in a string')
  .transform(Number);
const OptStr = z.string().optional();

/** REST envelope. `code` is a string on success and business errors, a number on the 404 body. */
export const OkxEnvelopeSchema = z.object({
  code: z.union([z.string(), z.number()]),
  msg: z.string().optional(),
  data: z.unknown().optional(),
});

export const OkxTickerSchema = z.object({
  instType: OptStr,
  instId: z.string().min(1),
  last: NumStr,
  lastSz: OptNumStr,
  askPx: OptNumStr,
  askSz: OptNumStr,
  bidPx: OptNumStr,
  bidSz: OptNumStr,
  open24h: OptNumStr,
  high24h: OptNumStr,
  low24h: OptNumStr,
  volCcy24h: OptNumStr,
  vol24h: OptNumStr,
  ts: TsStr,
  sodUtc0: OptNumStr,
  sodUtc8: OptNumStr,
});
export type OkxTicker = z.output<typeof OkxTickerSchema>;

/** `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm, ...]`; extra trailing columns are ignored. */
export const OkxCandleRowSchema = z
  .array(z.string())
  .min(9, 'a candle row has 9 columns')
  .transform((r, ctx) => {
    const out = {
      ts: Number(r[0]),
      open: Number(r[1]),
      high: Number(r[2]),
      low: Number(r[3]),
      close: Number(r[4]),
      vol: Number(r[5]),
      volCcy: Number(r[6]),
      volCcyQuote: Number(r[7]),
      confirm: Number(r[8]),
    };
    const bad = r.slice(0, 9).findIndex((v) => !NUMERIC.test(v));
    if (bad >= 0 || !/^\d+$/.test(r[0]!) || (out.confirm !== 0 && out.confirm !== 1)) {
      ctx.addIssue({ code: 'custom', message: `candle column ${bad >= 0 ? bad : 8} is not a valid value` });
      return z.NEVER;
    }
    return out;
  });
export type OkxCandle = z.output<typeof OkxCandleRowSchema>;

export const OkxInstrumentSchema = z.object({
  instId: z.string().min(1),
  instType: z.string(),
  state: z.string(),
  ctType: OptStr,
  ctVal: OptNumStr,
  ctMult: OptNumStr,
  ctValCcy: OptStr,
  settleCcy: OptStr,
  uly: OptStr,
  instFamily: OptStr,
  tickSz: OptNumStr,
  lotSz: OptNumStr,
  minSz: OptNumStr,
  listTime: z
    .union([z.literal(''), TsStr])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  expTime: z
    .union([z.literal(''), TsStr])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});
export type OkxInstrument = z.output<typeof OkxInstrumentSchema>;

export const OkxTimeSchema = z.object({ ts: TsStr });

// ---- WebSocket ----

export const OkxWsArgSchema = z.object({ channel: z.string().min(1), instId: z.string().min(1) });
export type OkxWsArg = z.infer<typeof OkxWsArgSchema>;
/** An arg by instrument type instead of instId (liquidation-orders: one arg covers every swap). */
export const OkxWsTypeArgSchema = z.object({ channel: z.string().min(1), instType: z.string().min(1) });
export type OkxWsTypeArg = z.infer<typeof OkxWsTypeArgSchema>;
/** What a subscription can name. */
export type OkxWsSubArg = OkxWsArg | OkxWsTypeArg;
/** A push's arg as it arrives: instId, or instType for the channels subscribed by type. */
export const OkxWsAnyArgSchema = z.object({
  channel: z.string().min(1),
  instId: z.string().min(1).optional(),
  instType: z.string().optional(),
});
export type OkxWsAnyArg = z.infer<typeof OkxWsAnyArgSchema>;

/** subscribe / unsubscribe ack. `connId` and `id` are absent in the 2022 recording. */
export const OkxWsAckSchema = z.object({
  id: OptStr,
  event: z.enum(['subscribe', 'unsubscribe']),
  arg: OkxWsArgSchema.partial().extend({ channel: z.string(), instType: OptStr }),
  connId: OptStr,
});
export const OkxWsErrorSchema = z.object({
  id: OptStr,
  event: z.literal('error'),
  code: z.union([z.string(), z.number()]).transform(String),
  msg: z.string().default(''),
  connId: OptStr,
});
export type OkxWsError = z.output<typeof OkxWsErrorSchema>;
export const OkxWsNoticeSchema = z.object({
  event: z.literal('notice'),
  code: z.union([z.string(), z.number()]).transform(String),
  msg: z.string().default(''),
  connId: OptStr,
});
/** Any data push: has `arg` and `data`, no `event`. */
export const OkxWsPushEnvelopeSchema = z.object({ arg: OkxWsAnyArgSchema.passthrough(), data: z.array(z.unknown()) });

export const OkxTickersPushSchema = z.object({ arg: OkxWsArgSchema, data: z.array(OkxTickerSchema).min(1) });
export const OkxCandlePushSchema = z.object({ arg: OkxWsArgSchema, data: z.array(OkxCandleRowSchema).min(1) });

/** Where a zod failure was, in one line, for logs and counters (the first issue; `describeZodError` formats it). */
export function describeIssue(err: z.ZodError): string {
  return describeZodError(err, '', 1) || 'invalid payload';
}
