// Contract (a): our client schemas parse every relevant payload recorded from the real OKX API.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  OkxCandlePushSchema,
  OkxCandleRowSchema,
  OkxEnvelopeSchema,
  OkxInstrumentSchema,
  OkxTickerSchema,
  OkxTickersPushSchema,
  OkxWsAckSchema,
  OkxWsErrorSchema,
  OkxWsNoticeSchema,
} from '../../main/node/okx/schemas.js';
import { classifyResponse } from '../../main/node/okx/errors.js';

const dir = new URL('../fixtures/okx/', import.meta.url);
const text = (f: string) => fs.readFileSync(new URL(f, dir), 'utf8');
const json = (f: string) => JSON.parse(text(f)) as { code: unknown; msg?: string; data: unknown[] } & Record<string, unknown>;

describe('OKX schemas against recorded payloads', () => {
  it('parses the REST ticker by key, strings to numbers', () => {
    const body = json('rest-market-ticker.json');
    expect(OkxEnvelopeSchema.parse(body).code).toBe('0');
    const t = OkxTickerSchema.parse(body.data[0]);
    expect(t).toMatchObject({ instId: 'BTC-USDT', last: 73384.8, ts: 1710328243709, sodUtc0: 71450, sodUtc8: 71702, low24h: 68600 });
  });

  it('parses both recorded WS tickers pushes (2021 and 2022 key orders)', () => {
    for (const f of ['ws-tickers-push-usdt-swap.json', 'ws-tickers-push.json']) {
      const raw = json(f);
      const p = OkxTickersPushSchema.parse(raw);
      const row = (raw.data as Record<string, string>[])[0]!;
      expect(p.data[0]!.instId).toBe(row.instId);
      expect(p.data[0]!.last).toBe(Number(row.last));
      expect(p.data[0]!.sodUtc8).toBe(Number(row.sodUtc8));
      expect(p.data[0]!.ts).toBe(Number(row.ts));
    }
  });

  it('parses every recorded candle page into numbers, newest first', () => {
    for (const f of ['rest-market-candles.json', 'rest-market-candles-swap-1m.json', 'rest-market-history-candles.json']) {
      const raw = json(f);
      const rows = (raw.data as string[][]).map((r) => OkxCandleRowSchema.parse(r));
      expect(rows.length).toBe(raw.data.length);
      rows.forEach((c, i) => {
        const r = (raw.data as string[][])[i]!;
        expect(c).toEqual({
          ts: +r[0]!,
          open: +r[1]!,
          high: +r[2]!,
          low: +r[3]!,
          close: +r[4]!,
          vol: +r[5]!,
          volCcy: +r[6]!,
          volCcyQuote: +r[7]!,
          confirm: +r[8]!,
        });
        if (i > 0) expect(c.ts).toBeLessThan(rows[i - 1]!.ts);
      });
    }
  });

  it('parses the recorded candle1H push with confirm 0', () => {
    const p = OkxCandlePushSchema.parse(json('ws-candle1H-push.json'));
    expect(p.arg.channel).toBe('candle1H');
    expect(p.data[0]).toMatchObject({ ts: 1705435200000, open: 43169.8, confirm: 0 });
  });

  it('parses the 2025 and the 2022 instruments schema, ignoring unknown keys', () => {
    const y2025 = json('rest-public-instruments-swap.json').data.map((r) => OkxInstrumentSchema.parse(r));
    expect(y2025.map((i) => i.instId)).toEqual(['BTC-USD-SWAP', 'ETH-USDT-SWAP', 'BTC-USDT-SWAP']);
    expect(y2025[2]).toMatchObject({ ctVal: 0.01, tickSz: 0.1, listTime: 1573557408000, instFamily: 'BTC-USDT', expTime: undefined });
    expect(y2025[2]).not.toHaveProperty('instIdCode');
    const y2022 = json('rest-public-instruments-swap-2022.json').data.map((r) => OkxInstrumentSchema.parse(r));
    expect(y2022).toHaveLength(19);
    expect(y2022.every((i) => i.instFamily === undefined && i.uly !== undefined && i.state === 'live')).toBe(true);
  });

  it('parses the subscribe ack without connId (2022) and with it (docs form)', () => {
    const a = OkxWsAckSchema.parse(JSON.parse(text('ws-subscribe-ack.json')));
    expect(a).toMatchObject({ event: 'subscribe', arg: { channel: 'tickers', instId: 'UNI-USD-SWAP' } });
    expect(a.connId).toBeUndefined();
    const b = OkxWsAckSchema.parse({
      id: '1',
      event: 'subscribe',
      arg: { channel: 'tickers', instId: 'BTC-USDT-SWAP' },
      connId: 'a4d3ae55',
    });
    expect(b.connId).toBe('a4d3ae55');
  });

  it('parses error and notice events in the documented shape', () => {
    expect(
      OkxWsErrorSchema.parse({ event: 'error', code: '60018', msg: "Wrong URL or channel:candle1H,instId:X doesn't exist", connId: 'x' })
        .code,
    ).toBe('60018');
    expect(
      OkxWsNoticeSchema.parse({
        event: 'notice',
        code: '64008',
        msg: 'The connection will soon be closed for a service upgrade. Please reconnect.',
        connId: 'a',
      }).code,
    ).toBe('64008');
  });

  it('reads the error bodies: 404 has a numeric code, 50011 is a rate limit', () => {
    const nf = OkxEnvelopeSchema.parse(json('rest-error-404-not-found.json'));
    expect(nf.code).toBe(404);
    expect(classifyResponse(404, String(nf.code))).toBe('bad_request');
    const rl = OkxEnvelopeSchema.parse(json('rest-error-50011-rate-limit.json'));
    expect(classifyResponse(429, String(rl.code))).toBe('rate_limited');
    expect(classifyResponse(200, String(rl.code))).toBe('rate_limited');
  });

  it('rejects rows of the wrong shape instead of guessing', () => {
    expect(OkxTickerSchema.safeParse({ instId: 'BTC-USDT-SWAP', last: 'abc', ts: '1' }).success).toBe(false);
    expect(OkxTickerSchema.safeParse({ unexpected: 'shape' }).success).toBe(false);
    expect(OkxCandleRowSchema.safeParse(['1', '2', '3']).success).toBe(false);
    expect(OkxCandleRowSchema.safeParse(['1', '2', '3', '1', '2', 'x', '1', '1', '1']).success).toBe(false);
    expect(OkxCandleRowSchema.safeParse(['1', '2', '3', '1', '2', '1', '1', '1', '7']).success).toBe(false);
  });

  it('keeps the ws ping/pong literals as recorded', () => {
    expect(text('ws-ping.txt')).toBe('ping');
    expect(text('ws-pong.txt')).toBe('pong');
  });
});

describe('readWsFrame on recorded frames', () => {
  it('tags pong, acks, tickers and candle pushes, and junk', async () => {
    const { readWsFrame } = await import('../../main/node/okx/ws-frames.js');
    expect(readWsFrame(text('ws-pong.txt'), 1)).toEqual({ type: 'pong' });
    expect(readWsFrame(text('ws-subscribe-ack.json'), 1)).toMatchObject({
      type: 'ack',
      event: 'subscribe',
      arg: { channel: 'tickers', instId: 'UNI-USD-SWAP' },
    });
    const t = readWsFrame(text('ws-tickers-push-usdt-swap.json'), 7);
    expect(t).toMatchObject({ type: 'push', push: { kind: 'tickers', arg: { instId: 'XMR-USDT-SWAP' }, receivedAt: 7 } });
    expect(readWsFrame(text('ws-candle1H-push.json'), 1)).toMatchObject({ type: 'push', push: { kind: 'candle', bar: '1H' } });
    expect(readWsFrame(text('ws-mark-price-push.json'), 1)).toMatchObject({ type: 'push', push: { kind: 'other' } });
    expect(readWsFrame('{"event":"notice","code":"64008","msg":"x"}', 1)).toEqual({ type: 'notice', code: '64008', msg: 'x' });
    expect(readWsFrame('{"arg":{"channel":"tickers","instId":"A"},"data":[{"instId":"A"}]}', 1)).toMatchObject({ type: 'malformed' });
    expect(readWsFrame('garbage', 1)).toEqual({ type: 'malformed', reason: 'frame is not JSON' });
  });
});
