/**
 * The simulator's derivatives channels on /ws/v5/public (okx-v5.md §4.1, §4.6, §4.7): mark-price,
 * funding-rate, open-interest, books5 (one arg per instId) and liquidation-orders (one arg per
 * instType). Cadences follow OKX's: mark price on change at most every 200 ms and every 10 s
 * regardless; funding every 30–90 s; open interest every 3 s when it changed; books5 on change at
 * most every 100 ms and every 60 s regardless; liquidations as they happen. Values: DerivsModel.
 */
import type { DerivsModel } from './derivs-model.js';
import type { PricePath } from './price-path.js';

export const DERIV_CHANNELS = new Set(['mark-price', 'funding-rate', 'open-interest', 'books5', 'liquidation-orders']);

export interface DerivsWsOptions {
  /** Funding-rate push interval, random in [min, max] ms (OKX: 30–90 s). */
  fundingIntervalMs: [number, number];
}

/** The per-subscription state the scheduler keeps (a part of ws.ts's Sub). */
export interface DerivSub {
  channel: string;
  /** instId, or the instType for liquidation-orders. */
  instId: string;
  lastPushWall: number;
  fresh: boolean;
  lastBody?: string;
  nextDueWall?: number;
  /** liquidation-orders: the simulated time scanned up to. */
  scannedTo?: number;
}

export type PushFn = (channel: string, instId: string, data: unknown[], arg?: Record<string, string>) => void;

const CADENCE: Record<string, { minGapMs: number; resendMs: number }> = {
  'mark-price': { minGapMs: 200, resendMs: 10_000 },
  'open-interest': { minGapMs: 3_000, resendMs: Number.POSITIVE_INFINITY },
  books5: { minGapMs: 100, resendMs: 60_000 },
};

export class SimDerivsChannels {
  constructor(
    private readonly path: PricePath,
    private readonly model: DerivsModel,
    private readonly opts: DerivsWsOptions,
  ) {}

  /** Null when the arg is valid for this channel, else OKX's 60018 message. */
  refuse(channel: string, instId: string | undefined, instType: string | undefined, now: number): string | null {
    if (channel === 'liquidation-orders') {
      return instType && ['SWAP', 'FUTURES', 'MARGIN', 'OPTION'].includes(instType)
        ? null
        : `Wrong URL or channel:${channel},instType:${instType ?? ''} doesn't exist.`;
    }
    const listed =
      instId !== undefined && this.path.instrument(instId) !== undefined && instId.includes('-') && this.path.listedFrom(instId) <= now;
    return listed
      ? null
      : `Wrong URL or channel:${channel},instId:${instId ?? ''} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`;
  }

  tick(sub: DerivSub, now: number, wall: number, push: PushFn): void {
    if (sub.channel === 'liquidation-orders') return this.liquidations(sub, now, push);
    const inst = this.path.instrument(sub.instId);
    if (!inst) return;
    if (sub.channel === 'funding-rate') {
      if (!sub.fresh && wall < (sub.nextDueWall ?? 0)) return;
      const [lo, hi] = this.opts.fundingIntervalMs;
      sub.fresh = false;
      sub.nextDueWall = wall + lo + Math.random() * (hi - lo);
      return push(sub.channel, sub.instId, [this.model.fundingRateRow(inst, now)]);
    }
    const cadence = CADENCE[sub.channel];
    if (!cadence || (!sub.fresh && wall - sub.lastPushWall < cadence.minGapMs)) return;
    const row =
      sub.channel === 'mark-price'
        ? this.model.markPriceRow(inst, now)
        : sub.channel === 'open-interest'
          ? this.model.openInterestRow(inst, now)
          : { ...this.model.book(inst, now, 5), instId: inst.instId };
    // Change detection ignores ts: an unchanged value is not pushed again until the resend interval.
    const body = JSON.stringify({ ...row, ts: '' });
    if (!sub.fresh && body === sub.lastBody && wall - sub.lastPushWall < cadence.resendMs) return;
    sub.fresh = false;
    sub.lastBody = body;
    sub.lastPushWall = wall;
    push(sub.channel, sub.instId, [row]);
  }

  private liquidations(sub: DerivSub, now: number, push: PushFn): void {
    // A subscription sees liquidations from when it started; at most a minute is scanned per tick.
    const from = Math.max(sub.scannedTo ?? now, now - 60_000);
    sub.scannedTo = now;
    sub.fresh = false;
    if (sub.instId !== 'SWAP' || now <= from) return;
    for (const inst of this.path.instruments()) {
      const details = this.model.liquidations(inst, from, now);
      if (details.length === 0) continue;
      const family = inst.instId.replace(/-SWAP$/, '');
      push(
        'liquidation-orders',
        sub.instId,
        [
          {
            details: details.map((d) => ({
              bkLoss: d.bkLoss,
              bkPx: d.bkPx,
              ccy: '',
              posSide: d.posSide,
              side: d.side,
              sz: d.sz,
              ts: String(d.ts),
            })),
            instFamily: family,
            instId: inst.instId,
            instType: 'SWAP',
            uly: family,
          },
        ],
        { channel: 'liquidation-orders', instType: 'SWAP' },
      );
    }
  }
}
