import { describe, expect, it } from 'vitest';
import { CANDLE_BARS, CANDLE_DATASET } from '../../preload/contract.js';
import { OKX_BARS } from '../../main/node/okx/bars.js';
import { DatasetRegistry } from '../../main/node/datasets/registry.js';
import { candleDatasets } from '../../main/node/datasets/candle-datasets.js';
import { pairNodes, useNodes, type InNode } from './secure-harness.js';

const nodeOf = useNodes();
const T0 = Date.UTC(2026, 0, 5, 16, 0); // 00:00 UTC+8

/** `bars` candles of each timeframe for two coins, written with the node's own store (seq, origin as the node does). */
function writeCandles(n: InNode, bars: number): void {
  const rows = CANDLE_BARS.flatMap((bar) =>
    ['BTC', 'ETH'].flatMap((coin, ci) =>
      Array.from({ length: bars }, (_, i) => {
        const o = 100 + ci * 10 + i / 7;
        return [coin, bar, T0 + i * OKX_BARS[bar].ms, o, o + 1, o - 1, o + 0.5, 10 + i, 0.1 * (10 + i), o * (10 + i) * 0.1, 1];
      }),
    ),
  );
  n.node.store.write(() => n.node.store.tables.candles.upsertLocal(rows, n.node.store.nodeId, Date.now()));
}

const rowsOf = (n: InNode, bar: string) =>
  n.node.store.db.prepare('SELECT * FROM candles WHERE bar = ? ORDER BY coin, ts').raw(true).all(bar) as unknown[][];

describe('candle datasets KL001…KLD01 between peers', () => {
  it('a peer pulls every timeframe row for row, each dataset serving only its own bar', async () => {
    const a = await nodeOf();
    const b = await nodeOf();
    writeCandles(a, 150);
    // The registry the sender serves from, over A's database.
    const registry = new DatasetRegistry(a.node.store.db, { db: a.node.store.db, coins: () => [], now: Date.now });
    registry.registerAll(candleDatasets());

    // The sender's catalog lists each timeframe with its own count and max seq.
    const { datasets: catalog } = await a.call('sender.catalog', {});
    for (const bar of CANDLE_BARS) {
      const info = catalog.find((d) => d.code === CANDLE_DATASET[bar]);
      expect(info, bar).toMatchObject({ kind: 'syncable', rows: 300, key: ['coin', 'bar', 'ts'] });
      // A page of one code holds only that bar, in seq order.
      const page = registry.page(CANDLE_DATASET[bar], 0, 1_000);
      expect(page.rows).toHaveLength(300);
      expect(new Set(page.rows.map((r) => r[1]))).toEqual(new Set([bar]));
      expect(page.hasMore).toBe(false);
    }
    // Paging in small pages walks the whole bar and stops: hasMore follows the bar's own max seq.
    let since = 0;
    let pages = 0;
    for (;;) {
      const p = registry.page('KL005', since, 70);
      pages += 1;
      expect(p.rows.every((r) => r[1] === '5m')).toBe(true);
      since = p.nextSince;
      if (!p.hasMore) break;
    }
    expect(pages).toBe(5);
    expect(since).toBe(registry.maxSeq('KL005'));

    const { peer } = await pairNodes(b, a);
    const run = await b.call('sync.peer', { id: peer.id });
    expect(run.ok, JSON.stringify(run)).toBe(true);
    for (const bar of CANDLE_BARS)
      expect(rowsOf(b, bar), bar).toEqual(rowsOf(a, bar).map((r) => [...r.slice(0, -3), expect.any(Number), r.at(-2), r.at(-1)]));
    // origin and updated_at travel with the rows; seq is the receiver's own.
    const status = await b.call('sync.status', {});
    const ds = status.peers[0]!.datasetStatus;
    for (const bar of CANDLE_BARS)
      expect(
        ds.find((d) => d.code === CANDLE_DATASET[bar]),
        bar,
      ).toMatchObject({ lag: 0, rowsInserted: 300 });

    // A later candle of one timeframe reaches the peer through that code alone.
    a.node.store.write(() =>
      a.node.store.tables.candles.upsertLocal(
        [['BTC', '1H', T0 + 500 * 3_600_000, 1, 2, 0.5, 1.5, 1, 1, 1, 0]],
        a.node.store.nodeId,
        Date.now(),
      ),
    );
    const again = await b.call('sync.peer', { id: peer.id });
    expect(again.ok).toBe(true);
    const after = (await b.call('sync.status', {})).peers[0]!.datasetStatus;
    expect(after.find((d) => d.code === 'KL060')).toMatchObject({ lag: 0, rowsInserted: 301 });
    expect(after.find((d) => d.code === 'KL001')).toMatchObject({ rowsInserted: 300 });
    expect(rowsOf(b, '1H')).toHaveLength(301);
  }, 60_000);
});
