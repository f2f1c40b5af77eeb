import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../preload/contract.js';
import { GridWriter } from '../../main/node/market/grid-writer.js';
import { LiveState, type TickInput } from '../../main/node/market/live-state.js';
import type { EventBus } from '../../main/node/events/bus.js';
import { HALF_HOUR, JAN16, memoryLogger, newBus, openTempStore, pricePath } from './market-fixture.js';

const pct = (p: number, b: number) => ((p - b) / b) * 100;

describe('LiveState', () => {
  let t: ReturnType<typeof openTempStore>;
  let bus: EventBus;
  let coins: string[];
  let wall: number;
  let log: ReturnType<typeof memoryLogger>;
  const events: { tick: EventMap['market.tick'][]; sum: EventMap['market.sum'][]; mismatch: EventMap['market.mismatch'][] } = {
    tick: [],
    sum: [],
    mismatch: [],
  };
  const make = (throttleMs = 1_000) => new LiveState({ store: t.store, bus, coins: () => coins, log, now: () => wall, throttleMs });
  const dbTick = (coin: string) =>
    t.store.db.prepare('SELECT * FROM ticks WHERE coin = ?').get(coin) as Record<string, number | string> | undefined;

  beforeEach(() => {
    t = openTempStore();
    bus = newBus();
    coins = ['BTC', 'ETH', 'SOL'];
    wall = JAN16 + 10 * HALF_HOUR;
    log = memoryLogger();
    events.tick = [];
    events.sum = [];
    events.mismatch = [];
    bus.on('market.tick', (e) => events.tick.push(e));
    bus.on('market.sum', (e) => events.sum.push(e));
    bus.on('market.mismatch', (e) => events.mismatch.push(e));
  });
  afterEach(() => t.cleanup());

  it('computes live change % from sodUtc8 and the live sum with coverage, emitting on every tick', () => {
    const live = make();
    const ts = JAN16 + 3 * HALF_HOUR + 1234;
    const ticks: TickInput[] = ['BTC', 'ETH'].map((c) => ({
      coin: c,
      price: pricePath(c, ts),
      ts,
      source: 'ws',
      sodUtc8: pricePath(c, JAN16),
    }));
    expect(live.applyTicks(ticks)).toEqual({ accepted: 2, rejected: [] });
    const expected = ['BTC', 'ETH'].map((c) => pct(pricePath(c, ts), pricePath(c, JAN16)));
    const snap = live.snapshot();
    expect(snap.coins).toEqual(coins);
    expect(snap.rows.map((r) => [r.coin, r.baselineSource, r.day])).toEqual([
      ['BTC', 'sodUtc8', '2026-01-16'],
      ['ETH', 'sodUtc8', '2026-01-16'],
    ]);
    snap.rows.forEach((r, i) => expect(r.changePct).toBeCloseTo(expected[i]!, 12));
    expect(snap.sum).toMatchObject({ ts, day: '2026-01-16', covered: 2, total: 3, complete: false });
    expect(snap.sum.sum).toBeCloseTo(expected[0]! + expected[1]!, 12);
    expect(events.tick).toHaveLength(2);
    expect(events.tick[0]!.sum.covered).toBe(1);
    expect(events.tick[1]!.sum.covered).toBe(2);
    expect(events.sum).toHaveLength(1);

    live.applyTicks([{ coin: 'SOL', price: pricePath('SOL', ts), ts, source: 'rest', sodUtc8: pricePath('SOL', JAN16) }]);
    expect(live.liveSum()).toMatchObject({ covered: 3, total: 3, complete: true });
    coins = ['BTC', 'ETH', 'SOL', 'XRP'];
    expect(live.liveSum()).toMatchObject({ covered: 3, total: 4, complete: false });
  });

  it('prefers the stored grid baseline and flags a sodUtc8 mismatch beyond 0.01 %', () => {
    const live = make();
    const writer = new GridWriter(t.store, () => wall);
    writer.onBaseline((c, d, p) => live.setBaseline(c, d, p));
    const ts = JAN16 + HALF_HOUR + 5;
    live.applyTicks([{ coin: 'BTC', price: 101, ts, source: 'ws', sodUtc8: 100.005 }]);
    expect(live.snapshot().rows[0]).toMatchObject({ baselineSource: 'sodUtc8', baseline: 100.005 });

    writer.writeGridPrices([{ coin: 'BTC', ts: JAN16, price: 100, source: 'ws' }]);
    const row = live.snapshot().rows[0]!;
    expect(row).toMatchObject({ baselineSource: 'grid', baseline: 100 });
    expect(row.changePct).toBeCloseTo(1, 12);
    expect(live.mismatches()).toEqual([]); // 0.005 % apart: within tolerance

    live.applyTicks([{ coin: 'BTC', price: 101, ts: ts + 1000, source: 'ws', sodUtc8: 100.5 }]);
    expect(live.mismatches()).toEqual([expect.objectContaining({ coin: 'BTC', day: '2026-01-16', computed: 100, sodUtc8: 100.5 })]);
    expect(live.mismatches()[0]!.diffPct).toBeCloseTo(0.5, 12);
    expect(events.mismatch).toHaveLength(1);
    expect(log.lines.some((l) => l.startsWith('warn: baseline mismatch for BTC'))).toBe(true);
    // The same mismatch again is not re-announced; agreement clears it.
    live.applyTicks([{ coin: 'BTC', price: 102, ts: ts + 2000, source: 'ws', sodUtc8: 100.5 }]);
    expect(events.mismatch).toHaveLength(1);
    live.applyTicks([{ coin: 'BTC', price: 102, ts: ts + 3000, source: 'ws', sodUtc8: 100 }]);
    expect(live.mismatches()).toEqual([]);
  });

  it('writes at most once per throttle window per coin, and flush writes the latest', () => {
    const live = make(1_000);
    const base = JAN16 + HALF_HOUR;
    live.applyTicks([{ coin: 'BTC', price: 10, ts: base, source: 'ws', sodUtc8: 10 }]);
    const seqAfterFirst = t.store.seq.value;
    expect(dbTick('BTC')).toMatchObject({ price: 10, ts: base });
    for (let i = 1; i <= 5; i++) live.applyTicks([{ coin: 'BTC', price: 10 + i, ts: base + i * 100, source: 'ws' }]);
    expect(events.tick).toHaveLength(6);
    expect(dbTick('BTC')).toMatchObject({ price: 10 });
    expect(t.store.seq.value).toBe(seqAfterFirst);
    live.flush();
    expect(dbTick('BTC')).toMatchObject({ price: 15, ts: base + 500, baseline: 10, change_pct: 50 });
    const speed = t.store.db.prepare("SELECT * FROM price_speed WHERE coin = 'BTC'").get();
    expect(speed).toMatchObject({ price: 15, ts: base + 500 });
    wall += 1_000;
    live.applyTicks([{ coin: 'BTC', price: 16, ts: base + 1_000, source: 'ws' }]);
    expect(dbTick('BTC')).toMatchObject({ price: 16 });
    live.close();
  });

  it('flushes throttled rows on its own timer', async () => {
    const live = make(40);
    live.applyTicks([{ coin: 'ETH', price: 1, ts: JAN16 + 1, source: 'ws' }]);
    live.applyTicks([{ coin: 'ETH', price: 2, ts: JAN16 + 2, source: 'ws' }]);
    expect(dbTick('ETH')).toMatchObject({ price: 1 });
    await new Promise((r) => setTimeout(r, 150));
    expect(dbTick('ETH')).toMatchObject({ price: 2, baseline: null, change_pct: null });
    live.close();
  });

  it('measures price speed over 1, 5 and 15 minutes from recent ticks', () => {
    const live = make();
    const start = JAN16 + 4 * HALF_HOUR;
    const px = (ts: number) => 100 + Math.sin(ts / 200_000) * 5;
    const step = 10_000;
    let last = start;
    for (let ts = start; ts <= start + 20 * 60_000; ts += step) {
      live.applyTicks([{ coin: 'SOL', price: px(ts), ts, source: 'ws' }]);
      last = ts;
      if (ts === start + 3 * 60_000) {
        const s = live.snapshot().rows[0]!.speed;
        expect(s.m1).toBeCloseTo(pct(px(ts), px(ts - 60_000)), 12);
        expect(s.m5).toBeNull(); // not enough history yet
      }
    }
    const s = live.snapshot().rows[0]!.speed;
    expect(s.m1).toBeCloseTo(pct(px(last), px(last - 60_000)), 12);
    expect(s.m5).toBeCloseTo(pct(px(last), px(last - 300_000)), 12);
    expect(s.m15).toBeCloseTo(pct(px(last), px(last - 900_000)), 12);
  });

  it('refuses bad and out-of-order ticks, and counts only the newest day in the live sum', () => {
    const live = make();
    const ts = JAN16 + 47 * HALF_HOUR;
    live.applyTicks([
      { coin: 'BTC', price: 2, ts, source: 'ws', sodUtc8: 1 },
      { coin: 'ETH', price: 3, ts, source: 'ws', sodUtc8: 2 },
    ]);
    const r = live.applyTicks([
      { coin: 'BTC', price: 2, ts: ts - 1, source: 'ws' },
      { coin: 'BTC', price: 0, ts: ts + 1, source: 'ws' },
      { coin: '', price: 1, ts: ts + 1, source: 'ws' },
      { coin: 'BTC', price: 1, ts: ts + 1, source: 'ws', sodUtc8: Number.POSITIVE_INFINITY },
    ]);
    expect(r.accepted).toBe(0);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      expect.stringMatching(/older than the latest tick/),
      expect.stringMatching(/not a positive number/),
      expect.stringMatching(/not a coin symbol/),
      expect.stringMatching(/sodUtc8/),
    ]);
    // BTC crosses midnight UTC+8: yesterday's sodUtc8 must not follow it into the new day.
    live.applyTicks([{ coin: 'BTC', price: 2.5, ts: JAN16 + 86_400_000 + 1, source: 'ws' }]);
    expect(live.snapshot().rows[0]).toMatchObject({ day: '2026-01-17', baseline: null, changePct: null });
    expect(live.liveSum()).toMatchObject({ day: '2026-01-17', covered: 0, sum: null });
    live.applyTicks([{ coin: 'ETH', price: 3, ts: JAN16 + 86_400_000 + 2, source: 'ws', sodUtc8: 2.5 }]);
    expect(live.liveSum()).toMatchObject({ covered: 1, sum: 20 });
  });

  it('comes back after a restart with the last tick of each coin', () => {
    const a = make();
    a.applyTicks([{ coin: 'BTC', price: 110, ts: JAN16 + 60_000, source: 'rest', sodUtc8: 100 }]);
    a.close();
    const b = make();
    expect(b.snapshot().rows).toEqual([expect.objectContaining({ coin: 'BTC', price: 110, source: 'rest', baseline: 100 })]);
    expect(b.liveSum().sum).toBeCloseTo(10, 12);
  });
});
