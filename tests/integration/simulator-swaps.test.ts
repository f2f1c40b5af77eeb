import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, marketInstruments, OKX_USDT_SWAPS, type Simulator } from '../../main/node/simulator/index.js';
import { OkxRestClient } from '../../main/node/okx/rest-client.js';
import { coinOfInstId } from '../../preload/contract/coins.js';

/** OKX001 at the exchange's breadth: the simulator lists ~250 USDT swaps and serves each one's ticker. */
describe('simulator with a realistic USDT swap list', () => {
  let sim: Simulator;
  let rest: OkxRestClient;
  beforeAll(async () => {
    sim = createSimulator({ seed: 'swaps', instruments: marketInstruments() });
    const urls = await sim.start(0);
    rest = new OkxRestClient({ baseUrl: urls.rest, limitFraction: 1, pacingMarginMs: 5 });
  });
  afterAll(async () => {
    rest?.close();
    await sim?.stop();
  });

  it('the list is stable, keeps every default instrument and names each extra one as a coin', () => {
    const a = marketInstruments();
    expect(a).toEqual(marketInstruments());
    expect(a.filter((i) => i.instId.endsWith('-USDT-SWAP'))).toHaveLength(OKX_USDT_SWAPS);
    expect(a.map((i) => i.instId)).toContain('BTC-USD-SWAP');
    expect(new Set(a.map((i) => i.instId)).size).toBe(a.length);
    for (const i of a.filter((x) => x.instId.endsWith('-USDT-SWAP'))) expect(coinOfInstId(i.instId), i.instId).toBe(i.coin);
  });

  it('instruments and tickers answer every USDT swap, each row valid for the node (zod) and priced on its tick', async () => {
    const listed = (await rest.instruments('SWAP')).filter((i) => i.instId.endsWith('-USDT-SWAP'));
    const tickers = (await rest.tickers('SWAP')).filter((t) => t.instId.endsWith('-USDT-SWAP'));
    expect(listed).toHaveLength(OKX_USDT_SWAPS);
    expect(tickers.map((t) => t.instId).sort()).toEqual(listed.map((i) => i.instId).sort());
    const tick = new Map(marketInstruments().map((i) => [i.instId, Number(i.tickSz)]));
    for (const t of tickers) {
      expect(t.last, t.instId).toBeGreaterThan(0);
      const steps = t.last / tick.get(t.instId)!;
      expect(Math.abs(steps - Math.round(steps)), t.instId).toBeLessThan(1e-6 * Math.max(1, steps));
    }
  });
});
