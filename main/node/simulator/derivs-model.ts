/**
 * The simulator's derivatives values, each a pure function of (price path, instrument, time) so a
 * test can compute what any REST answer or push must contain: mark price, funding (forecast,
 * settlements), open interest, the top-5 book and liquidation orders. Rows are OKX-shaped (every
 * number a string, the key order of the recorded payloads).
 */
import { fmt } from './payloads.js';
import { decimalsOf, fnv1a, type PricePath } from './price-path.js';
import type { SimInstrument } from './instruments.js';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
/** Settlements every 8 h at 00:00, 08:00 and 16:00 UTC, as most OKX perpetuals. */
export const FUNDING_INTERVAL_MS = 8 * HOUR;
/** Open interest moves in 3-second steps (OKX pushes it every 3 s when it changes). */
export const OI_STEP_MS = 3 * SEC;
/** The chance per instrument and second of one liquidation order. */
const LIQ_PER_SECOND = 1 / 90;

const u = (...parts: (string | number)[]): number => fnv1a(parts.join('|')) / 4294967296;

export interface SimLiquidation {
  instId: string;
  ts: number;
  side: 'buy' | 'sell';
  posSide: 'long' | 'short';
  bkPx: string;
  sz: string;
  bkLoss: string;
}

export class DerivsModel {
  constructor(private readonly path: PricePath) {}

  /** Mark price: the path at whole seconds, half a tick above last trade on average, on the tick grid. */
  markPx(inst: SimInstrument, now: number): string {
    const t = Math.floor(now / SEC) * SEC;
    const tick = Number(inst.tickSz);
    const px = this.path.priceAt(inst.instId, t) + (u(inst.instId, 'mark', t) < 0.5 ? 0 : tick);
    return fmt(Math.round(px / tick) * tick, decimalsOf(inst.tickSz));
  }

  markPriceRow(inst: SimInstrument, now: number): Record<string, string> {
    return { instType: 'SWAP', instId: inst.instId, markPx: this.markPx(inst, now), ts: String(Math.floor(now / SEC) * SEC) };
  }

  /** The settlement at or after `now` (exclusive of `now` itself: at 08:00 the next is 16:00). */
  fundingTime(now: number): number {
    return (Math.floor(now / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
  }

  /** The forecast for settlement `ft`, as known at `now` (moves once a minute). */
  forecastRate(inst: SimInstrument, ft: number, now: number): number {
    const base = 0.0001 + (u(inst.instId, 'fr', ft) - 0.5) * 0.0004;
    const wiggle = (u(inst.instId, 'frm', Math.floor(now / MIN)) - 0.5) * 0.00002;
    return Math.round((base + wiggle) * 1e10) / 1e10;
  }

  /** The rate charged at settlement `ft`: the last forecast before it. */
  realizedRate(inst: SimInstrument, ft: number): number {
    return this.forecastRate(inst, ft, ft - 1);
  }

  fundingRateRow(inst: SimInstrument, now: number): Record<string, string> {
    const ft = this.fundingTime(now);
    const prev = ft - FUNDING_INTERVAL_MS;
    return {
      formulaType: 'withRate',
      fundingRate: rate(this.forecastRate(inst, ft, now)),
      fundingTime: String(ft),
      impactValue: '20000.0000000000000000',
      instId: inst.instId,
      instType: 'SWAP',
      interestRate: '0.0001000000000000',
      maxFundingRate: '0.0075',
      method: 'current_period',
      minFundingRate: '-0.0075',
      nextFundingRate: '',
      nextFundingTime: String(ft + FUNDING_INTERVAL_MS),
      premium: rate(this.forecastRate(inst, ft, now) - 0.0001),
      prevFundingTime: String(prev),
      settFundingRate: rate(this.realizedRate(inst, prev)),
      settState: 'settled',
      ts: String(Math.floor(now / MIN) * MIN),
    };
  }

  /** Settled rows, newest first, with funding times in (before, after) and not before listing. */
  fundingHistory(inst: SimInstrument, now: number, q: { after?: number; before?: number; limit: number }): Record<string, string>[] {
    const rows: Record<string, string>[] = [];
    const oldest = Math.max(this.path.listedFrom(inst.instId), now - 92 * 24 * HOUR);
    let ft = this.fundingTime(now) - FUNDING_INTERVAL_MS;
    if (q.after !== undefined) ft = Math.min(ft, Math.ceil(q.after / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS - FUNDING_INTERVAL_MS);
    for (; ft >= oldest && rows.length < q.limit && (q.before === undefined || ft > q.before); ft -= FUNDING_INTERVAL_MS) {
      const r = rate(this.realizedRate(inst, ft));
      rows.push({
        formulaType: 'withRate',
        fundingRate: r,
        fundingTime: String(ft),
        instId: inst.instId,
        instType: 'SWAP',
        method: 'current_period',
        realizedRate: r,
      });
    }
    return rows;
  }

  /** Open interest in contracts: a slow wave around a per-instrument level, in 3 s steps. */
  oi(inst: SimInstrument, now: number): { oi: number; oiCcy: number; oiUsd: number; ts: number } {
    const ts = Math.floor(now / OI_STEP_MS) * OI_STEP_MS;
    const lot = Number(inst.lotSz);
    const level = (inst.usdPerMinute * 600) / (inst.centerPrice * Number(inst.ctVal));
    const wave =
      1 + 0.12 * Math.sin((2 * Math.PI * ts) / (26 * HOUR) + u(inst.instId, 'oi') * 6.28) + (u(inst.instId, 'oi', ts) - 0.5) * 0.002;
    const oi = Math.max(lot, Math.round((level * wave) / lot) * lot);
    const oiCcy = inst.ctType === 'linear' ? oi * Number(inst.ctVal) : (oi * Number(inst.ctVal)) / inst.centerPrice;
    return { oi, oiCcy, oiUsd: oiCcy * this.path.priceAt(inst.instId, ts), ts };
  }

  openInterestRow(inst: SimInstrument, now: number): Record<string, string> {
    const v = this.oi(inst, now);
    const d = decimalsOf(inst.lotSz);
    return {
      instId: inst.instId,
      instType: 'SWAP',
      oi: fmt(v.oi, d),
      oiCcy: fmt(v.oiCcy, d + 6),
      oiUsd: fmt(v.oiUsd, 4),
      ts: String(v.ts),
    };
  }

  /** The top `depth` levels per side around the last trade, sizes changing every second. */
  book(inst: SimInstrument, now: number, depth = 5): { asks: string[][]; bids: string[][]; ts: string; seqId: number } {
    const t = Math.floor(now / SEC) * SEC;
    const tick = Number(inst.tickSz);
    const d = decimalsOf(inst.tickSz);
    const last = this.path.priceAt(inst.instId, t);
    const level = (side: string, i: number, px: number): string[] => {
      const lots = 1 + Math.floor(u(inst.instId, side, i, t) * 400);
      return [fmt(px, d), fmt(lots * Number(inst.lotSz), decimalsOf(inst.lotSz)), '0', String(1 + (lots % 9))];
    };
    const n = Math.min(depth, 400);
    return {
      asks: Array.from({ length: n }, (_, i) => level('a', i, last + (i + 1) * tick)),
      bids: Array.from({ length: n }, (_, i) => level('b', i, last - i * tick)),
      ts: String(t),
      seqId: Math.floor(t / SEC) % 2_000_000_000,
    };
  }

  /** Liquidation orders of one instrument with ts in [from, to), oldest first. */
  liquidations(inst: SimInstrument, from: number, to: number): SimLiquidation[] {
    const out: SimLiquidation[] = [];
    // An order at second s happens at s + [0, 1000) ms, so the seconds of [from, to) cover them all.
    const start = Math.max(Math.floor(from / SEC), Math.ceil(this.path.listedFrom(inst.instId) / SEC));
    for (let s = start; s <= Math.floor((to - 1) / SEC); s++) {
      if (u(inst.instId, 'liq', s) >= LIQ_PER_SECOND) continue;
      const long = u(inst.instId, 'liqside', s) < 0.55;
      const t = s * SEC + Math.floor(u(inst.instId, 'liqms', s) * 1000);
      if (t >= to || t < from) continue;
      const px = this.path.priceAt(inst.instId, s * SEC) * (long ? 0.996 : 1.004);
      const lots = 1 + Math.floor(u(inst.instId, 'liqsz', s) * 200);
      out.push({
        instId: inst.instId,
        ts: t,
        side: long ? 'sell' : 'buy',
        posSide: long ? 'long' : 'short',
        bkPx: fmt(px, decimalsOf(inst.tickSz)),
        sz: fmt(lots * Number(inst.lotSz), decimalsOf(inst.lotSz)),
        bkLoss: '0',
      });
    }
    return out;
  }
}

const rate = (x: number): string => x.toFixed(16).replace(/0+$/, '').replace(/\.$/, '.0');
