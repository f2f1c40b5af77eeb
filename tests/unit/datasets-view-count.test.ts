import { afterEach, describe, expect, it } from 'vitest';
import { createDatasetRegistry } from '../../main/node/datasets/index.js';
import { openTempStore } from './market-fixture.js';

const T = Date.UTC(2026, 0, 15, 16);
const HALF = 1_800_000;

describe('catalog counts of views', () => {
  let t: ReturnType<typeof openTempStore>;
  afterEach(() => t.cleanup());

  it('CS001 counts grid points, recounting only when grid_prices changed (its count is a scan)', () => {
    t = openTempStore();
    const { store } = t;
    const { registry } = createDatasetRegistry({
      db: store.db,
      coins: () => ['BTC', 'ETH'],
      sumSeries: () => ({ from: 0, to: 0, coins: [], points: [] }),
      missing: () => [],
    });
    let counts = 0;
    registry.register({
      code: 'CS002',
      kind: 'view',
      name: 'grid points (counted)',
      nameZh: '网格点',
      category: 'test',
      description: 'CS001 with a count that tallies its calls.',
      interval: 0,
      key: ['ts'],
      columns: ['ts'],
      dependsOn: ['grid_prices'],
      maxRangeMs: 86_400_000,
      query: () => [],
      count: (ctx) => {
        counts += 1;
        return ctx.db.prepare('SELECT COUNT(DISTINCT ts) FROM grid_prices').pluck().get() as number;
      },
    });
    const write = (rows: [string, number][]) =>
      store.write(() =>
        store.tables.grid_prices.upsertLocal(
          rows.map(([c, ts]) => [c, ts, 100, 100, 0, 'ws']),
          store.nodeId,
          1,
        ),
      );

    write([
      ['BTC', T],
      ['ETH', T],
      ['BTC', T + HALF],
    ]);
    expect(registry.info('CS001').rows).toBe(2);
    expect(registry.info('CS002').rows).toBe(2);
    expect(registry.info('CS002').rows).toBe(2);
    expect(counts).toBe(1);
    // The same rows again change nothing (seq kept): still no recount.
    write([['BTC', T]]);
    expect(registry.info('CS002').rows).toBe(2);
    expect(counts).toBe(1);
    // A new grid point moves grid_prices' max seq: counted again, and right.
    write([['ETH', T + 2 * HALF]]);
    expect(registry.info('CS001').rows).toBe(3);
    expect(registry.info('CS002').rows).toBe(3);
    expect(counts).toBe(2);
    // Another table's change does not touch a view of grid_prices.
    store.write(() => store.tables.ticks.upsertLocal([['BTC', 101, T, 'ws', 100, 1]], store.nodeId, 2));
    expect(registry.info('CS002').rows).toBe(3);
    expect(counts).toBe(2);
  });
});
