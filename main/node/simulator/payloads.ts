/**
 * Turns the price path into OKX-shaped rows: every number a string, keys in the order the recorded
 * payloads use (REST ticker order differs from the WS push order, see the fixtures).
 */
import { utc8DayStart, utcDayStart } from '../okx/bars.js';
import type { SimInstrument } from './instruments.js';
import { decimalsOf, fnv1a, type PricePath, type SimCandle } from './price-path.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** Fixed decimals, then trailing zeros dropped, the way OKX prints numbers ("43500", "10.4037"). */
export function fmt(x: number, decimals: number): string {
  let s = x.toFixed(Math.max(0, Math.min(20, decimals)));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

interface Decimals {
  px: number;
  vol: number;
  volCcy: number;
  quote: number;
}
function decimals(inst: SimInstrument): Decimals {
  const px = decimalsOf(inst.tickSz);
  const vol = decimalsOf(inst.lotSz);
  if (inst.ctType === 'linear') {
    const volCcy = vol + decimalsOf(inst.ctVal);
    return { px, vol, volCcy, quote: Math.min(8, px + volCcy) };
  }
  return { px, vol, volCcy: 8, quote: vol + decimalsOf(inst.ctVal) };
}

/** `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`, all strings. */
export function candleRow(inst: SimInstrument, c: SimCandle): string[] {
  const d = decimals(inst);
  return [
    String(c.ts),
    fmt(c.open, d.px),
    fmt(c.high, d.px),
    fmt(c.low, d.px),
    fmt(c.close, d.px),
    fmt(c.volUnits * Number(inst.lotSz), d.vol),
    fmt(c.volCcy, d.volCcy),
    fmt(c.volCcyQuote, d.quote),
    String(c.confirm),
  ];
}

export interface TickerValues {
  instId: string;
  last: string;
  lastSz: string;
  askPx: string;
  askSz: string;
  bidPx: string;
  bidSz: string;
  open24h: string;
  high24h: string;
  low24h: string;
  volCcy24h: string;
  vol24h: string;
  ts: string;
  sodUtc0: string;
  sodUtc8: string;
}

/** The ticker of an instrument at `now`, consistent with the path (sodUtc8 = open at 00:00 UTC+8). */
export function tickerValues(path: PricePath, inst: SimInstrument, now: number): TickerValues {
  const d = decimals(inst);
  const listed = path.listedFrom(inst.instId);
  const last = path.priceAt(inst.instId, now);
  const tick = Number(inst.tickSz);
  const day = path.range(inst.instId, now - DAY, now + MIN, now);
  const open24h = path.priceAt(inst.instId, Math.max(listed, now - DAY));
  const sod = (start: number): string => fmt(path.minuteOpen(inst.instId, Math.max(listed, start)), d.px);
  // Sizes are decoration, but deterministic per second so replays look the same.
  const h = fnv1a(`${inst.instId}|${Math.floor(now / 1000)}`);
  const size = (k: number): string => fmt((1 + ((h >>> (k * 8)) & 0xff)) * Number(inst.lotSz), d.vol);
  return {
    instId: inst.instId,
    last: fmt(last, d.px),
    lastSz: size(0),
    askPx: fmt(last + tick, d.px),
    askSz: size(1),
    bidPx: fmt(last, d.px),
    bidSz: size(2),
    open24h: fmt(open24h, d.px),
    high24h: fmt(day?.high ?? last, d.px),
    low24h: fmt(day?.low ?? last, d.px),
    // SWAP units: vol24h in contracts, volCcy24h in base currency.
    volCcy24h: fmt(day?.volCcy ?? 0, d.volCcy),
    vol24h: fmt((day?.volUnits ?? 0) * Number(inst.lotSz), d.vol),
    ts: String(now),
    sodUtc0: sod(utcDayStart(now)),
    sodUtc8: sod(utc8DayStart(now)),
  };
}

/** Key order of GET /market/ticker(s) (fixture rest-market-ticker.json). */
export function restTicker(t: TickerValues): Record<string, string> {
  return {
    instType: 'SWAP',
    instId: t.instId,
    last: t.last,
    lastSz: t.lastSz,
    askPx: t.askPx,
    askSz: t.askSz,
    bidPx: t.bidPx,
    bidSz: t.bidSz,
    open24h: t.open24h,
    high24h: t.high24h,
    low24h: t.low24h,
    volCcy24h: t.volCcy24h,
    vol24h: t.vol24h,
    ts: t.ts,
    sodUtc0: t.sodUtc0,
    sodUtc8: t.sodUtc8,
  };
}

/** Key order of the WS tickers push (fixture ws-tickers-push-usdt-swap.json). */
export function wsTicker(t: TickerValues): Record<string, string> {
  return {
    instType: 'SWAP',
    instId: t.instId,
    last: t.last,
    lastSz: t.lastSz,
    askPx: t.askPx,
    askSz: t.askSz,
    bidPx: t.bidPx,
    bidSz: t.bidSz,
    open24h: t.open24h,
    high24h: t.high24h,
    low24h: t.low24h,
    sodUtc0: t.sodUtc0,
    sodUtc8: t.sodUtc8,
    volCcy24h: t.volCcy24h,
    vol24h: t.vol24h,
    ts: t.ts,
  };
}

/** An instruments row in the 2025 schema (alphabetical keys, as OKX sends them). */
export function instrumentRow(inst: SimInstrument): Record<string, unknown> {
  const family = inst.instId.replace(/-SWAP$/, '');
  const mkt = inst.coin === 'BTC' ? '12000' : inst.coin === 'ETH' ? '20000' : '1000000';
  return {
    alias: '',
    auctionEndTime: '',
    baseCcy: '',
    category: '1',
    contTdSwTime: '',
    ctMult: '1',
    ctType: inst.ctType,
    ctVal: inst.ctVal,
    ctValCcy: inst.ctValCcy,
    expTime: '',
    futureSettlement: false,
    instFamily: family,
    instId: inst.instId,
    instIdCode: inst.instIdCode,
    instType: 'SWAP',
    lever: inst.lever,
    listTime: String(inst.listTime),
    lotSz: inst.lotSz,
    maxIcebergSz: '100000000.0000000000000000',
    maxLmtAmt: '20000000',
    maxLmtSz: '100000000',
    maxMktAmt: '',
    maxMktSz: mkt,
    maxPlatOILmt: '',
    maxStopSz: mkt,
    maxTriggerSz: '100000000.0000000000000000',
    maxTwapSz: '100000000.0000000000000000',
    minSz: inst.lotSz,
    openType: '',
    optType: '',
    posLmtAmt: '',
    posLmtPct: '',
    preMktSwTime: '',
    quoteCcy: '',
    ruleType: 'normal',
    settleCcy: inst.settleCcy,
    state: 'live',
    stk: '',
    tickSz: inst.tickSz,
    tradeQuoteCcyList: [],
    uly: family,
  };
}
