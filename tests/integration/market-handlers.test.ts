import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import type { HandlerInput, HandlerName } from '../../preload/contract.js';
import { valueOf } from '../helpers/api.js';

const JAN16 = Date.UTC(2026, 0, 15, 16, 0); // 00:00 UTC+8
const HALF = 1_800_000;
const DAY = 86_400_000;
const COINS = ['BTC', 'ETH', 'SOL'];
/** Prices chosen so every change % is exact in decimal: baseline 100, 200, 50. */
const price = (coin: string, i: number) => ({ BTC: 100, ETH: 200, SOL: 50 })[coin as 'BTC']! * (1 + (i - (coin === 'SOL' ? 3 : 0)) / 100);

describe('market handlers through node.dispatch', () => {
  let dir: string;
  let node: SyncNode;
  const call = async <K extends HandlerName>(name: K, input: HandlerInput<K>) => valueOf(name, await node.call(name, input));
  const refuse = async (name: string, input: unknown) => {
    const r = await node.dispatch(name, input);
    if (r.ok) throw new Error(`${name} accepted ${JSON.stringify(input)}`);
    return r.error;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-market-it-'));
    node = createNode({ dataDir: dir, mode: 'headless', version: 'test', collect: false });
    node.settings.update({ coins: COINS });
    await node.start();
    // SOL misses 00:30 on the first day; ETH has no second day.
    const pts = COINS.flatMap((coin) =>
      Array.from({ length: 96 }, (_, i) => ({ coin, ts: JAN16 + i * HALF, price: price(coin, i % 48), source: 'backfill' as const })),
    ).filter((p) => !(p.coin === 'SOL' && p.ts === JAN16 + HALF) && !(p.coin === 'ETH' && p.ts >= JAN16 + DAY));
    const heard: { from: number; to: number; changed: number }[] = [];
    const off = node.bus.on('market.grid', (e) => heard.push(e));
    node.market.grid.writeGridPrices(pts);
    off();
    expect(heard).toEqual([expect.objectContaining({ from: JAN16, to: JAN16 + 2 * DAY, changed: pts.length })]);
  });
  afterAll(async () => {
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('market.sumSeries answers the CS001 view', async () => {
    const s = await call('market.sumSeries', { from: JAN16, to: JAN16 + 3 * HALF });
    // i=0: BTC 0 %, ETH 0 %, SOL (50*0.97 - 48.5)/48.5 = 0 → sum 0; i=1: 1 + 1 + (SOL missing); i=2: 2 + 2 + (49.5 - 48.5) / 48.5 × 100
    expect(s.points.map((p) => [p.covered, p.complete])).toEqual([
      [3, true],
      [2, false],
      [3, true],
    ]);
    expect(s.points[0]!.sum).toBeCloseTo(0, 12);
    expect(s.points[1]!.sum).toBeCloseTo(2, 12);
    expect(s.points[2]!.sum).toBeCloseTo(4 + (1 / 48.5) * 100, 12);
  });

  it('market.day answers 48 rows × selected coins with the sum column', async () => {
    const d = await call('market.day', { date: '2026-01-17' });
    expect(d.coins).toEqual(COINS);
    expect(d.rows).toHaveLength(48);
    expect(d.rows.every((r) => r.prices.length === 3 && r.covered === 2 && r.missing[1] === 'not_collected')).toBe(true);
    expect(d.rows[47]!.time).toBe('23:30');
    expect(d.rows[5]!.changes[0]).toBeCloseTo(5, 12);
  });

  it('market.live and market.status answer before any collector exists', async () => {
    node.market.live.applyTicks([{ coin: 'BTC', price: 105, ts: Date.now(), source: 'ws', sodUtc8: 100 }]);
    const live = await call('market.live', {});
    expect(live.rows).toHaveLength(1);
    expect(live.sum).toMatchObject({ covered: 1, total: 3 });
    expect(live.sum.sum).toBeCloseTo(5, 12);
    const st = await call('market.status', {});
    expect(st.state).toBe('not_started');
    expect(st.coins.map((c) => [c.coin, c.lastGridTs])).toEqual([
      ['BTC', JAN16 + 95 * HALF],
      ['ETH', JAN16 + 47 * HALF],
      ['SOL', JAN16 + 95 * HALF],
    ]);
    expect(st.coins[0]!.ageMs).toBeGreaterThanOrEqual(0);
    expect(node.status().components.map((c) => c.name)).toContain('market');
  });

  it('export.csv full: BOM, seed 003 columns, UTC+8 date/time and exact numbers', async () => {
    const f = await call('export.csv', { kind: 'full', from: JAN16, to: JAN16 + 2 * HALF });
    expect(f.mime).toBe('text/csv;charset=utf-8');
    expect(f.filename).toBe('coin-prices-full_20260116-20260116.csv');
    expect(f.content.charCodeAt(0)).toBe(0xfeff);
    const lines = f.content.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('date,time,timestamp,coin,baseline,price,change %');
    expect(lines.slice(1)).toEqual([
      `2026-01-16,00:00,${JAN16},BTC,100,100,0.000000`,
      `2026-01-16,00:00,${JAN16},ETH,200,200,0.000000`,
      `2026-01-16,00:00,${JAN16},SOL,48.5,48.5,0.000000`,
      `2026-01-16,00:30,${JAN16 + HALF},BTC,100,101,1.000000`,
      `2026-01-16,00:30,${JAN16 + HALF},ETH,200,202,1.000000`,
    ]);
    expect(f.rows).toBe(5);
    const zh = await call('export.csv', { kind: 'full', from: JAN16, to: JAN16 + HALF, lang: 'zh-CN' });
    expect(zh.content.slice(1).split('\r\n')[0]).toBe('日期,时间,时间戳,币种,基准价格,当前价格,涨跌幅');
  });

  it('export.csv sum: one row per grid point with coverage', async () => {
    const f = await call('export.csv', { kind: 'sum', from: JAN16 + 46 * HALF, to: JAN16 + 49 * HALF });
    expect(f.content.startsWith('\uFEFFdate,time,timestamp,sum,coins covered,coins total\r\n')).toBe(true);
    const lines = f.content.slice(1).split('\r\n').filter(Boolean).slice(1);
    const solAt = (i: number) => ((price('SOL', i) - 48.5) / 48.5) * 100;
    expect(lines).toEqual([
      `2026-01-16,23:00,${JAN16 + 46 * HALF},${(46 + 46 + solAt(46)).toFixed(6)},3,3`,
      `2026-01-16,23:30,${JAN16 + 47 * HALF},${(47 + 47 + solAt(47)).toFixed(6)},3,3`,
      `2026-01-17,00:00,${JAN16 + 48 * HALF},0.000000,2,3`,
    ]);
  });

  it('refuses bad input with 400-style sentences', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['market.sumSeries', { from: JAN16, to: JAN16 }, /to: must be later than from/],
      ['market.sumSeries', { from: JAN16 + 1, to: JAN16 }, /to: must be later than from/],
      ['market.sumSeries', { from: JAN16, to: JAN16 + 401 * DAY }, /to: must be at most 400 days after from/],
      ['market.sumSeries', { from: 'yesterday', to: JAN16 }, /from: must be a number of milliseconds/],
      ['market.sumSeries', { from: 1.5, to: JAN16 }, /from: must be a whole number/],
      ['market.sumSeries', { from: JAN16, to: JAN16 + HALF, extra: 1 }, /extra/],
      ['market.day', { date: '2026-02-30' }, /date: must be a calendar date written YYYY-MM-DD/],
      ['market.day', { date: '16.01.2026' }, /calendar date/],
      ['market.day', {}, /date/],
      ['export.csv', { kind: 'pdf', from: JAN16, to: JAN16 + DAY }, /kind: must be "full", "sum" or "missing"/],
      ['export.csv', { kind: 'sum', from: JAN16 + DAY, to: JAN16 }, /to: must be later than from/],
      ['export.csv', { kind: 'full', from: JAN16, to: JAN16 + DAY, lang: 'fr' }, /lang: must be "en" or "zh-CN"/],
    ];
    for (const [name, input, msg] of cases) {
      const e = await refuse(name, input);
      expect(e.code, `${name} ${JSON.stringify(input)}`).toBe('bad_input');
      expect(e.message).toMatch(msg);
    }
    const missing = await node.call('export.csv', { kind: 'missing', from: JAN16, to: JAN16 + DAY });
    expect(missing.ok).toBe(true);
    if (missing.ok) expect(missing.value.content.startsWith('\uFEFFdate,time,coin,reason\r\n')).toBe(true);
  });
});
