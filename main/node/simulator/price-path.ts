/**
 * The simulator's deterministic 1-minute price path. Stateless by design: any minute's price is a
 * pure function of (seed, instId, minute), computed as fractal value noise in log space (octaves
 * from 1 minute to ~6 months, amplitude ∝ √period, so it moves like a geometric random walk but
 * stays near a realistic centre price for years). Because nothing is accumulated, tests can compute
 * any minute or bar independently, and the server can answer any page of history instantly.
 * Every bar is aggregated from these minutes (30-minute bars are cached as building blocks).
 */
import { barOpenAt, OKX_BARS, type OkxBar } from '../okx/bars.js';
import { defaultInstruments, toInstId, type SimInstrument } from './instruments.js';

const MIN = 60_000;
const BLOCK = 30 * MIN;
const OCTAVES = 19;

/** One aggregated candle in numbers. `volUnits` is the contract volume in lots (an integer). */
export interface SimCandle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volUnits: number;
  /** Contracts (volUnits × lotSz). */
  vol: number;
  /** Base currency for linear swaps, coin for inverse ones. */
  volCcy: number;
  /** Quote currency (USDT / USD). */
  volCcyQuote: number;
  /** 1 when the bar has closed at `now`, 0 while it is forming. */
  confirm: 0 | 1;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
function hash3(a: number, b: number, c: number): number {
  return mix32(a ^ mix32((b + 0x9e3779b9) ^ mix32(c ^ 0x85ebca6b)));
}
/** Uniform in [0, 1). */
const u01 = (a: number, b: number, c: number): number => hash3(a, b, c) / 4294967296;
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
export const decimalsOf = (s: string): number => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);

// Stream ids keep the different uses of the hash independent of each other.
const S_HI = 100,
  S_LO = 101,
  S_VOL = 102,
  S_WIGGLE = 200,
  S_OFFSET = 300;

interface Model {
  inst: SimInstrument;
  seedHash: number;
  offsets: number[];
  amps: number[];
  tick: number;
  tickDec: number;
  lot: number;
  ctVal: number;
  unitsMean: number;
  logCenter: number;
  listMinute: number;
  /** Two-slot memo per octave of lattice values: sequential minutes mostly reuse them. */
  memoKey: Float64Array;
  memoVal: Float64Array;
}

/** What one minute is made of; intra-minute prices are derived from it. */
interface MinuteCore {
  m: number;
  o: number;
  c: number;
  h: number;
  l: number;
  units: number;
}

export interface PricePath {
  readonly seed: string;
  instruments(): readonly SimInstrument[];
  /** The instrument for a coin ("BTC" → BTC-USDT-SWAP) or an instId; undefined when unknown. */
  instrument(coinOrInstId: string): SimInstrument | undefined;
  /** First minute (ms) that has data: the listing time rounded up to a whole minute. */
  listedFrom(coinOrInstId: string): number;
  /** Open of the minute that contains `ts` (defined for any time, listed or not). */
  minuteOpen(coinOrInstId: string, ts: number): number;
  /** Last-trade price at `ts` (1 s resolution), always inside that minute's high/low. */
  priceAt(coinOrInstId: string, ts: number): number;
  /**
   * The candle of `bar` that contains `openTs` (snapped to the bar's open), aggregated from the
   * listed minutes. With `now`, a bar still forming at `now` is partial with confirm 0; without it
   * the whole bar is returned. Null when no listed minute of the bar has started by `now`.
   */
  bar(coinOrInstId: string, bar: OkxBar, openTs: number, now?: number): SimCandle | null;
  /** Aggregate of the listed minutes in [from, to), cut at `now` (used for rolling 24 h stats). */
  range(coinOrInstId: string, from: number, to: number, now?: number): SimCandle | null;
}

export interface PricePathOptions {
  /** Any string; the same seed gives the same path. Default "okx-sim". */
  seed?: string;
  instruments?: SimInstrument[];
}

export function createPricePath(opts: PricePathOptions = {}): PricePath {
  const seed = opts.seed ?? 'okx-sim';
  const list = opts.instruments ?? defaultInstruments();
  const models = new Map<string, Model>();
  for (const inst of list) {
    const seedHash = fnv1a(`${seed}|${inst.instId}`);
    const offsets: number[] = [];
    const amps: number[] = [];
    for (let k = 0; k < OCTAVES; k++) {
      const period = 2 ** k;
      offsets.push(Math.floor(u01(seedHash, S_OFFSET + k, 0) * period));
      amps.push(inst.sigma * 0.6 * Math.sqrt(period) * Math.sqrt(3));
    }
    const lot = Number(inst.lotSz);
    const ctVal = Number(inst.ctVal);
    const contractUsd = inst.ctType === 'linear' ? inst.centerPrice * ctVal : ctVal;
    models.set(inst.instId, {
      inst,
      seedHash,
      offsets,
      amps,
      tick: Number(inst.tickSz),
      tickDec: decimalsOf(inst.tickSz),
      lot,
      ctVal,
      unitsMean: Math.max(1, inst.usdPerMinute / contractUsd / lot),
      logCenter: Math.log(inst.centerPrice),
      listMinute: Math.ceil(inst.listTime / MIN) * MIN,
      memoKey: new Float64Array(OCTAVES * 2).fill(-1),
      memoVal: new Float64Array(OCTAVES * 2),
    });
  }

  const model = (coinOrInstId: string): Model => {
    const m = models.get(toInstId(coinOrInstId));
    if (!m) throw new Error(`The simulator has no instrument ${toInstId(coinOrInstId)}.`);
    return m;
  };
  const roundTick = (md: Model, x: number): number => Number((Math.max(1, Math.round(x / md.tick)) * md.tick).toFixed(md.tickDec));

  /** Lattice value in [-1, 1) of octave k at cell i (memoised, pure). */
  function lattice(md: Model, k: number, i: number): number {
    const slot = k * 2 + (i & 1);
    if (md.memoKey[slot] === i) return md.memoVal[slot]!;
    const v = u01(md.seedHash, k, i) * 2 - 1;
    md.memoKey[slot] = i;
    md.memoVal[slot] = v;
    return v;
  }

  /** Open of minute index m, in price units, on the tick grid. */
  function openOf(md: Model, m: number): number {
    let s = md.logCenter;
    for (let k = 0; k < OCTAVES; k++) {
      const period = 2 ** k;
      const shifted = m + md.offsets[k]!;
      const i = Math.floor(shifted / period);
      const f = (shifted - i * period) / period;
      const v0 = lattice(md, k, i);
      const v1 = f === 0 ? v0 : lattice(md, k, i + 1);
      s += md.amps[k]! * (v0 + (v1 - v0) * f);
    }
    return roundTick(md, Math.exp(s));
  }

  function core(md: Model, m: number, o = openOf(md, m), c = openOf(md, m + 1)): MinuteCore {
    // A minute closes where the next one opens.
    const wick = md.inst.sigma * 0.9 * o;
    const h = roundTick(md, Math.max(o, c) + u01(md.seedHash, S_HI, m) * wick);
    const l = Math.min(Math.min(o, c), roundTick(md, Math.min(o, c) - u01(md.seedHash, S_LO, m) * wick));
    const move = Math.min(5, Math.abs(Math.log(c / o)) / md.inst.sigma);
    const units = Math.max(1, Math.round(md.unitsMean * Math.exp((u01(md.seedHash, S_VOL, m) * 2 - 1) * 1.2) * (0.7 + 0.3 * move)));
    return { m, o, c, h, l, units };
  }

  /** Price at second `sec` (0–59) of a minute: drifts from open towards close with a bounded wiggle. */
  function priceIn(md: Model, mc: MinuteCore, sec: number): number {
    if (sec === 0) return mc.o;
    const base = mc.o + ((mc.c - mc.o) * sec) / 60;
    const wiggle = (u01(md.seedHash, S_WIGGLE, mc.m * 60 + sec) * 2 - 1) * (mc.h - mc.l) * 0.3;
    return Math.min(mc.h, Math.max(mc.l, roundTick(md, base + wiggle)));
  }

  function volumes(md: Model, units: number, vwap: number): { vol: number; volCcy: number; volCcyQuote: number } {
    const vol = units * md.lot;
    if (md.inst.ctType === 'linear') {
      const volCcy = vol * md.ctVal;
      return { vol, volCcy, volCcyQuote: volCcy * vwap };
    }
    const usd = vol * md.ctVal;
    return { vol, volCcy: usd / vwap, volCcyQuote: usd };
  }

  /** A whole minute, or the part of it up to second `lastSec` inclusive. */
  function minuteCandle(md: Model, m: number, lastSec = 59, full = true, mc = core(md, m)): SimCandle {
    const open = mc.o;
    let high = mc.h,
      low = mc.l,
      close = mc.c,
      units = mc.units;
    if (!full) {
      high = low = open;
      for (let s = 1; s <= lastSec; s++) {
        const p = priceIn(md, mc, s);
        if (p > high) high = p;
        if (p < low) low = p;
      }
      close = priceIn(md, mc, lastSec);
      units = Math.floor((mc.units * (lastSec + 1)) / 60);
    }
    const v = volumes(md, units, (open + high + low + close) / 4);
    return { ts: m * MIN, open, high, low, close, volUnits: units, ...v, confirm: full ? 1 : 0 };
  }

  const blockCache = new Map<string, SimCandle>();
  function block(md: Model, t: number): SimCandle {
    const key = `${md.inst.instId}:${t}`;
    const hit = blockCache.get(key);
    if (hit) return hit;
    let acc: SimCandle | null = null;
    const m0 = t / MIN;
    const opens: number[] = [];
    for (let i = 0; i <= 30; i++) opens.push(openOf(md, m0 + i));
    for (let i = 0; i < 30; i++) acc = merge(acc, minuteCandle(md, m0 + i, 59, true, core(md, m0 + i, opens[i], opens[i + 1])));
    if (blockCache.size >= 150_000) {
      // Drop the oldest tenth; Map iterates in insertion order.
      let n = 15_000;
      for (const k of blockCache.keys()) {
        blockCache.delete(k);
        if (--n === 0) break;
      }
    }
    blockCache.set(key, acc!);
    return acc!;
  }

  function range(md: Model, from: number, to: number, now?: number): SimCandle | null {
    let t = Math.max(Math.floor(from / MIN) * MIN, md.listMinute);
    let acc: SimCandle | null = null;
    while (t < to && (now === undefined || t <= now)) {
      if (t % BLOCK === 0 && t + BLOCK <= to && (now === undefined || t + BLOCK <= now)) {
        acc = merge(acc, block(md, t));
        t += BLOCK;
      } else if (now === undefined || t + MIN <= now) {
        acc = merge(acc, minuteCandle(md, t / MIN));
        t += MIN;
      } else {
        acc = merge(acc, minuteCandle(md, t / MIN, Math.floor((now - t) / 1000), false));
        t += MIN;
      }
    }
    return acc;
  }

  return {
    seed,
    instruments: () => list,
    instrument: (c) => models.get(toInstId(c))?.inst,
    listedFrom: (c) => model(c).listMinute,
    minuteOpen: (c, ts) => openOf(model(c), Math.floor(ts / MIN)),
    priceAt(c, ts) {
      const md = model(c);
      const m = Math.floor(ts / MIN);
      return priceIn(md, core(md, m), Math.floor((ts - m * MIN) / 1000));
    },
    bar(c, bar, openTs, now) {
      const md = model(c);
      const open = barOpenAt(bar, openTs);
      const end = open + OKX_BARS[bar].ms;
      const r = range(md, open, end, now);
      if (!r) return null;
      return { ...r, ts: open, confirm: now === undefined || end <= now ? 1 : 0 };
    },
    range: (c, from, to, now) => range(model(c), from, to, now),
  };
}

/** Folds candle `b` (later in time) into `acc`. */
function merge(acc: SimCandle | null, b: SimCandle): SimCandle {
  if (!acc) return { ...b };
  acc.high = Math.max(acc.high, b.high);
  acc.low = Math.min(acc.low, b.low);
  acc.close = b.close;
  acc.volUnits += b.volUnits;
  acc.vol += b.vol;
  acc.volCcy += b.volCcy;
  acc.volCcyQuote += b.volCcyQuote;
  acc.confirm = b.confirm;
  return acc;
}
