import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarketStatus } from '../../preload/contract.js';
import { createMarket } from '../../main/node/market/market-service.js';
import { HALF_HOUR, JAN16, memoryLogger, newBus, openTempStore } from './market-fixture.js';

describe('market service', () => {
  let t: ReturnType<typeof openTempStore>;
  beforeEach(() => (t = openTempStore()));
  afterEach(() => t.cleanup());

  it('reports "not started" until a collector attaches, merges its report, and emits status periodically', async () => {
    const bus = newBus();
    const coins = ['BTC', 'ETH'];
    const m = createMarket({
      store: t.store,
      bus,
      coins: () => coins,
      log: memoryLogger(),
      now: () => JAN16 + 3 * HALF_HOUR,
      statusIntervalMs: 20,
    });
    m.grid.writeGridPrices([{ coin: 'BTC', ts: JAN16, price: 10, source: 'rest' }]);
    m.live.applyTicks([{ coin: 'BTC', price: 11, ts: JAN16 + 2 * HALF_HOUR, source: 'rest', sodUtc8: 10.5 }]);
    const s0 = m.status();
    expect(s0.state).toBe('not_started');
    expect(s0.streams).toEqual([]);
    expect(s0.coins).toEqual([
      { coin: 'BTC', lastTickTs: JAN16 + 2 * HALF_HOUR, ageMs: HALF_HOUR, source: 'rest', lastGridTs: JAN16 },
      { coin: 'ETH', lastTickTs: null, ageMs: null, source: null, lastGridTs: null },
    ]);
    expect(s0.baselineMismatches).toEqual([expect.objectContaining({ coin: 'BTC', computed: 10, sodUtc8: 10.5 })]);

    const detach = m.attachCollector({
      report: () => ({
        state: 'running',
        detail: null,
        clock: { skewMs: 12, checkedAt: JAN16, warning: false },
        streams: [
          {
            name: 'tickers',
            mode: 'rest',
            lastMessageAt: JAN16,
            lastMessageAgeMs: 5,
            lastError: null,
            counters: { wsMessages: 0, restCalls: 3, reconnects: 1, errors: 0, malformed: 0, rateLimited: 0 },
          },
        ],
      }),
    });
    expect(m.status()).toMatchObject({ state: 'running', clock: { skewMs: 12 }, streams: [{ mode: 'rest' }] });
    detach();
    expect(m.status().state).toBe('not_started');
    m.attachCollector({
      report: () => {
        throw new Error('boom');
      },
    });
    expect(m.status()).toMatchObject({ state: 'error', detail: expect.stringMatching(/boom/) });

    const seen: MarketStatus[] = [];
    bus.on('market.status', (s) => seen.push(s));
    m.component.start();
    await new Promise((r) => setTimeout(r, 90));
    m.component.stop();
    const n = seen.length;
    expect(n).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.length).toBe(n);
  });
});
