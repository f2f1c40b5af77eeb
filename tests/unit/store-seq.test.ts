import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';

const dirs: string[] = [];
const open = (dir = tempDataDir('csn-seq-')) => {
  dirs.push(dir);
  return Store.open(dir);
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const seqOf = (s: Store, coin: string, ts: number) =>
  (s.db.prepare('SELECT seq FROM grid_prices WHERE coin = ? AND ts = ?').get(coin, ts) as { seq: number }).seq;

describe('change sequence', () => {
  it('numbers every insert with the next node-wide seq, across tables', () => {
    const s = open();
    s.write(() => {
      s.tables.grid_prices.upsertLocal([['BTC', 1000, 50_000, null, null, 'ws']], s.nodeId, 1);
      s.tables.baselines.upsertLocal([['BTC', '2026-01-03', 49_000, 51_000, 48_000]], s.nodeId, 1);
      s.tables.grid_prices.upsertLocal([['ETH', 1000, 3_000, null, null, 'ws']], s.nodeId, 1);
    });
    expect(seqOf(s, 'BTC', 1000)).toBe(1);
    expect((s.db.prepare('SELECT seq FROM baselines').get() as { seq: number }).seq).toBe(2);
    expect(seqOf(s, 'ETH', 1000)).toBe(3);
    expect(s.seq.value).toBe(3);
    s.close();
  });

  it('keeps the seq of an upsert that changes nothing, and gives a real change a new one', () => {
    const s = open();
    const row = ['BTC', 1000, 50_000, 49_000, 2.0408, 'ws'] as const;
    s.write(() => s.tables.grid_prices.upsertLocal([row], s.nodeId, 1));
    const first = seqOf(s, 'BTC', 1000);
    const same = s.write(() => s.tables.grid_prices.upsertLocal([row], s.nodeId, 2));
    expect(same).toEqual({ changed: 0, unchanged: 1 });
    expect(seqOf(s, 'BTC', 1000)).toBe(first);
    expect(s.seq.value).toBe(first);
    const changed = s.write(() => s.tables.grid_prices.upsertLocal([['BTC', 1000, 50_001, 49_000, 2.0429, 'backfill']], s.nodeId, 3));
    expect(changed.changed).toBe(1);
    expect(seqOf(s, 'BTC', 1000)).toBe(first + 1);
    const updatedAt = (s.db.prepare('SELECT updated_at FROM grid_prices').get() as { updated_at: number }).updated_at;
    expect(updatedAt).toBe(3);
    s.close();
  });

  it('treats NULL and a value as different (IS NOT semantics)', () => {
    const s = open();
    s.write(() => s.tables.grid_prices.upsertLocal([['BTC', 1000, 50_000, null, null, 'ws']], s.nodeId, 1));
    const r = s.write(() => s.tables.grid_prices.upsertLocal([['BTC', 1000, 50_000, 49_000, 2.04, 'ws']], s.nodeId, 2));
    expect(r.changed).toBe(1);
    s.close();
  });

  it('never goes backwards after reopening, even when the newest rows were removed', () => {
    const dir = tempDataDir('csn-seq-');
    let s = open(dir);
    s.write(() =>
      s.tables.grid_prices.upsertLocal(
        Array.from({ length: 10 }, (_, i) => ['BTC', i * 1800_000, 100 + i, null, null, 'ws'] as const),
        s.nodeId,
        1,
      ),
    );
    s.db.prepare('DELETE FROM grid_prices WHERE seq > 5').run();
    s.close();
    s = open(dir);
    expect(s.seq.value).toBe(10);
    s.write(() => s.tables.grid_prices.upsertLocal([['ETH', 0, 1, null, null, 'ws']], s.nodeId, 1));
    expect(seqOf(s, 'ETH', 0)).toBe(11);
    s.close();
  });

  it('a rolled-back transaction writes nothing and later seqs stay increasing', () => {
    const s = open();
    expect(() =>
      s.write(() => {
        s.tables.grid_prices.upsertLocal([['BTC', 0, 1, null, null, 'ws']], s.nodeId, 1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.tables.grid_prices.count()).toBe(0);
    s.write(() => s.tables.grid_prices.upsertLocal([['BTC', 0, 1, null, null, 'ws']], s.nodeId, 1));
    expect(seqOf(s, 'BTC', 0)).toBeGreaterThan(0);
    s.close();
  });

  it('merge: a peer row wins only when newer; identical or older rows are no-ops', () => {
    const s = open();
    s.write(() => s.tables.grid_prices.upsertLocal([['BTC', 0, 100, null, null, 'ws']], 'node-a', 1_000));
    const before = seqOf(s, 'BTC', 0);
    const older = s.write(() =>
      s.tables.grid_prices.upsertMerged([{ cells: ['BTC', 0, 999, null, null, 'ws'], origin: 'node-b', updatedAt: 500 }]),
    );
    expect(older.changed).toBe(0);
    const identical = s.write(() =>
      s.tables.grid_prices.upsertMerged([{ cells: ['BTC', 0, 100, null, null, 'ws'], origin: 'node-b', updatedAt: 5_000 }]),
    );
    expect(identical.changed).toBe(0);
    expect(seqOf(s, 'BTC', 0)).toBe(before);
    const newer = s.write(() =>
      s.tables.grid_prices.upsertMerged([{ cells: ['BTC', 0, 101, null, null, 'ws'], origin: 'node-b', updatedAt: 5_000 }]),
    );
    expect(newer.changed).toBe(1);
    const row = s.db.prepare('SELECT price, origin, updated_at, seq FROM grid_prices').get() as Record<string, number | string>;
    expect(row).toEqual({ price: 101, origin: 'node-b', updated_at: 5_000, seq: before + 1 });
    s.close();
  });

  it('announces commits after the transaction, with the rows changed and the new max seq', () => {
    const s = open();
    const seen: unknown[] = [];
    s.onCommit((c) => seen.push(c));
    s.write(() => s.tables.ticks.upsertLocal([['BTC', 1, 1, 'ws', null, null]], s.nodeId, 1));
    s.write(() => s.tables.ticks.upsertLocal([['BTC', 1, 1, 'ws', null, null]], s.nodeId, 2));
    expect(seen).toEqual([{ table: 'ticks', rows: 1, maxSeq: 1 }]);
    s.close();
  });
});
