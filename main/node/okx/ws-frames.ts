/**
 * Reads one inbound OKX WebSocket text frame into a tagged value: pong, push (validated per
 * channel), ack, error event, notice, or malformed with a reason. Pure, so it never throws.
 */
import type { z } from 'zod';
import {
  describeIssue,
  OkxCandlePushSchema,
  OkxTickersPushSchema,
  OkxWsAckSchema,
  OkxWsErrorSchema,
  OkxWsNoticeSchema,
  OkxWsPushEnvelopeSchema,
  type OkxCandle,
  type OkxTicker,
  type OkxWsAnyArg,
  type OkxWsArg,
  type OkxWsError,
} from './schemas.js';

export type OkxWsPush =
  | { kind: 'tickers'; arg: OkxWsArg; tickers: OkxTicker[]; receivedAt: number }
  | { kind: 'candle'; arg: OkxWsArg; bar: string; candles: OkxCandle[]; receivedAt: number }
  | { kind: 'other'; arg: OkxWsAnyArg; data: unknown[]; receivedAt: number };

export type OkxWsFrame =
  | { type: 'pong' }
  | { type: 'push'; push: OkxWsPush }
  | { type: 'ack'; event: 'subscribe' | 'unsubscribe'; arg: { channel: string; instId?: string; instType?: string }; connId?: string }
  | { type: 'error'; error: OkxWsError }
  | { type: 'notice'; code: string; msg: string }
  | { type: 'ignored'; event: string }
  | { type: 'malformed'; reason: string };

function parse<S extends z.ZodType>(schema: S, v: unknown): z.output<S> | string {
  const r = schema.safeParse(v);
  return r.success ? r.data : describeIssue(r.error);
}

export function readWsFrame(text: string, receivedAt: number): OkxWsFrame {
  if (text === 'pong') return { type: 'pong' };
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { type: 'malformed', reason: 'frame is not JSON' };
  }
  const event = typeof msg === 'object' && msg !== null ? (msg as { event?: unknown }).event : undefined;
  if (event === 'subscribe' || event === 'unsubscribe') {
    const r = parse(OkxWsAckSchema, msg);
    return typeof r === 'string'
      ? { type: 'malformed', reason: `ack: ${r}` }
      : { type: 'ack', event: r.event, arg: r.arg, connId: r.connId };
  }
  if (event === 'error') {
    const r = parse(OkxWsErrorSchema, msg);
    return typeof r === 'string' ? { type: 'malformed', reason: `error event: ${r}` } : { type: 'error', error: r };
  }
  if (event === 'notice') {
    const r = parse(OkxWsNoticeSchema, msg);
    return typeof r === 'string' ? { type: 'malformed', reason: `notice: ${r}` } : { type: 'notice', code: r.code, msg: r.msg };
  }
  // Other events (login, channel-conn-count, ...) are not ours.
  if (event !== undefined) return { type: 'ignored', event: String(event) };

  const env = OkxWsPushEnvelopeSchema.safeParse(msg);
  if (!env.success) return { type: 'malformed', reason: `not a push (${describeIssue(env.error)})` };
  const arg = { channel: env.data.arg.channel, instId: env.data.arg.instId, instType: env.data.arg.instType };
  if (arg.channel === 'tickers') {
    const r = parse(OkxTickersPushSchema, msg);
    if (typeof r === 'string') return { type: 'malformed', reason: `tickers push: ${r}` };
    return { type: 'push', push: { kind: 'tickers', arg: r.arg, tickers: r.data, receivedAt } };
  }
  if (arg.channel.startsWith('candle')) {
    const r = parse(OkxCandlePushSchema, msg);
    if (typeof r === 'string') return { type: 'malformed', reason: `${arg.channel} push: ${r}` };
    return { type: 'push', push: { kind: 'candle', arg: r.arg, bar: arg.channel.slice('candle'.length), candles: r.data, receivedAt } };
  }
  return { type: 'push', push: { kind: 'other', arg, data: env.data.data, receivedAt } };
}
