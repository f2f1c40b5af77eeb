// The derivatives schemas read OKX's recorded payloads (tests/fixtures/okx) and refuse broken rows.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  OkxBookSchema,
  OkxFundingRateSchema,
  OkxLiquidationSchema,
  OkxMarkPriceSchema,
  OkxOpenInterestSchema,
} from '../../main/node/okx/deriv-schemas.js';

const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/okx', name), 'utf8')) as { data: unknown[] };

describe('derivatives payload schemas', () => {
  it('read the recorded mark-price, funding-rate and open-interest payloads', () => {
    expect(OkxMarkPriceSchema.parse(fixture('rest-public-mark-price.json').data[0])).toEqual({
      instType: 'SWAP',
      instId: 'BTC-USDT-SWAP',
      markPx: 84660.1,
      ts: 1744590349506,
    });
    expect(OkxMarkPriceSchema.parse(fixture('ws-mark-price-push.json').data[0]).markPx).toBe(2.1729);
    const fr = OkxFundingRateSchema.parse(fixture('ws-funding-rate-push.json').data[0]);
    expect(fr).toMatchObject({ fundingRate: -0.0004270396398519, fundingTime: 1785888000000, nextFundingTime: 1785916800000 });
    expect(OkxFundingRateSchema.safeParse(fixture('ws-funding-rate-push-2021.json').data[0]).success).toBe(true);
    const oi = OkxOpenInterestSchema.parse(fixture('rest-public-open-interest.json').data[0]);
    expect(oi.oiUsd).toBeCloseTo(1676426045.35, 2);
    // 2021 pushes have no oiUsd.
    expect(OkxOpenInterestSchema.parse(fixture('ws-open-interest-push.json').data[0]).oiUsd).toBeUndefined();
  });

  it('read the documented books5 and liquidation-orders pushes (okx-v5.md §4.6, §4.7) and refuse partial ones', () => {
    const book = {
      asks: [['111.06', '55154', '0', '2']],
      bids: [['111.05', '57745', '0', '2']],
      instId: 'BCH-USDT-SWAP',
      ts: '1670324386802',
      seqId: 363996337,
    };
    expect(OkxBookSchema.parse(book)).toMatchObject({ asks: [{ px: 111.06, sz: 55154 }], bids: [{ px: 111.05, sz: 57745 }] });
    expect(OkxBookSchema.safeParse({ ...book, asks: [['111.06']] }).success).toBe(false);
    expect(OkxBookSchema.safeParse({ ...book, ts: undefined }).success).toBe(false);
    const liq = {
      instType: 'SWAP',
      instId: 'BTC-USDT-SWAP',
      instFamily: 'BTC-USDT',
      uly: 'BTC-USDT',
      details: [{ bkLoss: '0', bkPx: '64850.5', ccy: '', posSide: 'long', side: 'sell', sz: '2', ts: '1723892524781' }],
    };
    expect(OkxLiquidationSchema.parse(liq).details[0]).toMatchObject({ side: 'sell', bkPx: 64850.5, sz: 2, ts: 1723892524781 });
    expect(OkxLiquidationSchema.safeParse({ ...liq, details: [{ side: 'sideways', bkPx: '1', sz: '1', ts: '1' }] }).success).toBe(false);
    expect(OkxLiquidationSchema.safeParse({ ...liq, details: [] }).success).toBe(false);
  });
});
