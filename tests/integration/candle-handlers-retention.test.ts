import { describe, expect, it } from 'vitest';
import type { SyncNode } from '../../main/node/create-node.js';
import { PRUNE_BATCH } from '../../main/node/datasets/retention.js';
import { useNodes, type InNode } from './secure-harness.js';

const nodeOf = useNodes();
const MIN = 60_000;
const DAY = 86_400_000;

/** `count` candles of `bar` for `coin` from `t0`, `step` apart, through the node's own store. */
function write(n: SyncNode, coin: string, bar: string, t0: number, step: number, count: number): void {
  const rows = Array.from({ length: count }, (_, i) => {
    const o = 100 + (i % 50) / 10;
    return [coin, bar, t0 + i * step, o, o + 1, o - 1, o + 0.2, i, i / 100, i * o, 1];
  });
  for (let i = 0; i < rows.length; i += 20_000)
    n.store.write(() => n.store.tables.candles.upsertLocal(rows.slice(i, i + 20_000), n.store.nodeId, Date.now()));
}

const count = (n: InNode, bar: string, before?: number) =>
  n.node.store.db
    .prepare(`SELECT COUNT(*) FROM candles WHERE bar = ?${before === undefined ? '' : ' AND ts < ?'}`)
    .pluck(true)
    .get(...(before === undefined ? [bar] : [bar, before])) as number;

describe('market.candles and retention', () => {
  it('answers 1m × 30 days (43,200 rows) ascending, and refuses bad input with a sentence naming the field', async () => {
    const a = await nodeOf();
    const t0 = Date.UTC(2026, 0, 1);
    write(a.node, 'BTC', '1m', t0, MIN, 43_200);
    write(a.node, 'BTC', '5m', t0, 5 * MIN, 10);
    const s = await a.call('market.candles', { coin: 'BTC', bar: '1m', from: t0, to: t0 + 30 * DAY });
    expect(s.rows).toHaveLength(43_200);
    expect(s.rows.every((r, i) => r.ts === t0 + i * MIN)).toBe(true);
    expect(s.rows[7]).toEqual({ ts: t0 + 7 * MIN, o: 100.7, h: 101.7, l: 99.7, c: 100.9, vol: 7, confirm: true });
    // [from, to): the bar at `to` is left out; another bar's rows never mix in.
    expect((await a.call('market.candles', { coin: 'BTC', bar: '5m', from: t0, to: t0 + 45 * MIN })).rows.map((r) => r.ts)).toEqual(
      Array.from({ length: 9 }, (_, i) => t0 + i * 5 * MIN),
    );
    const bad = async (input: Record<string, unknown>) => {
      const r = await a.node.dispatch('market.candles', { coin: 'BTC', bar: '1m', from: t0, to: t0 + DAY, ...input });
      if (r.ok) throw new Error('expected a refusal');
      return r.error;
    };
    expect(await bad({ bar: '2m' })).toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/bar: must be one of 1m, 5m, 15m, 30m, 1H, 4H, 1D/),
    });
    expect((await bad({ coin: 'btc!' })).message).toMatch(/coin: /);
    expect((await bad({ to: t0 - 1 })).message).toMatch(/to: must be later than from/);
    expect((await bad({ from: 'yesterday' })).message).toMatch(/from: /);
    // 1m over more than the row cap: refused with the longest range it allows, before any read.
    expect(await bad({ to: t0 + 100 * DAY })).toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/to: must be at most 69 days after from for 1m candles/),
    });
    expect((await a.call('market.candles', { coin: 'BTC', bar: '1H', from: t0, to: t0 + 400 * DAY })).rows).toEqual([]);
  }, 60_000);

  it('prunes only rows older than each dataset’s window, in small batches, and reports storage per dataset', async () => {
    const a = await nodeOf();
    await a.call('settings.update', { retention: { KL001: 30, KL005: 180, KL060: null } });
    const now = Date.now();
    const start1m = now - 40 * DAY + 30_000; // no row exactly at the cutoff, whose clock runs a few ms later
    write(a.node, 'BTC', '1m', start1m, 2 * MIN, 40 * 720); // 40 days of 1m rows, one every 2 minutes
    write(a.node, 'BTC', '5m', now - 200 * DAY + 30_000, DAY, 200);
    write(a.node, 'BTC', '1H', now - 500 * DAY, DAY, 500);
    write(a.node, 'BTC', '30m', now - 500 * DAY, DAY, 500);
    const cut1m = now - 30 * DAY;
    const keep1m = count(a, '1m') - count(a, '1m', cut1m);
    const keep5m = count(a, '5m') - count(a, '5m', now - 180 * DAY);
    expect(count(a, '1m', cut1m)).toBeGreaterThan(PRUNE_BATCH); // so the prune needs several batches

    const r = await a.node.retention.run();
    expect(r.deleted.KL001).toBe(10 * 720);
    expect(r.batches).toBeGreaterThan(2);
    expect(count(a, '1m')).toBe(keep1m);
    expect(count(a, '1m', cut1m)).toBe(0);
    // The row just inside the window stays.
    expect(count(a, '1m', cut1m + 2 * MIN)).toBe(1);
    expect(count(a, '5m')).toBe(keep5m);
    // Kept forever: not listed (30m) or null (1H).
    expect(count(a, '1H')).toBe(500);
    expect(count(a, '30m')).toBe(500);

    const storage = (await a.call('status.get', {})).storage ?? [];
    const kl001 = storage.find((s) => s.code === 'KL001');
    expect(kl001).toMatchObject({ rows: keep1m, retentionDays: 30, estimated: true });
    expect(kl001!.bytes).toBeGreaterThan(keep1m * 20);
    expect(storage.find((s) => s.code === 'KL060')).toMatchObject({ rows: 500, retentionDays: null });
    expect(storage.find((s) => s.code === 'PT002')).toMatchObject({ rows: 0, estimated: false });
  }, 60_000);
});
