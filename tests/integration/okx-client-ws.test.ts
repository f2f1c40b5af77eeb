// OKX WS client against the simulator over real sockets: pushes, keep-alive, reconnects, bad frames.
import { afterEach, describe, expect, it } from 'vitest';
import { barOpenAt } from '../../main/node/okx/bars.js';
import { OkxWsClient, type OkxWsOptions, type OkxWsPush } from '../../main/node/okx/ws-client.js';
import type { OkxWsError } from '../../main/node/okx/schemas.js';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../main/node/simulator/index.js';
import { DEFAULT_COINS, instIdOf } from '../../preload/contract/coins.js';
import { until as waitUntil } from '../helpers/until.js';

const sims: Simulator[] = [];
const clients: OkxWsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  for (const s of sims.splice(0)) await s.stop();
});

async function setup(simOpts: SimulatorOptions, clientOpts: Partial<OkxWsOptions> & { business?: boolean }) {
  const sim = createSimulator({ seed: 'wsc', tickerIntervalMs: [100, 300], ...simOpts });
  sims.push(sim);
  const urls = await sim.start(0);
  const got: OkxWsPush[] = [];
  const malformed: string[] = [];
  const serverErrors: OkxWsError[] = [];
  const client = new OkxWsClient({
    url: clientOpts.business ? urls.wsBusiness : urls.wsPublic,
    backoff: { baseMs: 50, maxMs: 400 },
    onPush: (p) => got.push(p),
    onMalformed: (why) => malformed.push(why),
    onServerError: (e) => serverErrors.push(e),
    ...clientOpts,
  });
  clients.push(client);
  return { sim, urls, client, got, malformed, serverErrors };
}

const until = <T>(f: () => T | undefined | false, ms = 5000) => waitUntil('the condition', f, ms, 20);
const tickerIds = (ps: OkxWsPush[]) => new Set(ps.flatMap((p) => (p.kind === 'tickers' ? p.tickers.map((t) => t.instId) : [])));

describe('OkxWsClient', () => {
  it('subscribes tickers for all 27 coins and receives validated pushes for each', async () => {
    const args = DEFAULT_COINS.map((c) => ({ channel: 'tickers', instId: instIdOf(c) }));
    const { client, got, sim } = await setup({}, { args });
    client.start();
    await until(() => tickerIds(got).size === 27);
    const st = client.status();
    expect(st).toMatchObject({ state: 'open', connected: true, subscriptions: 27, acked: 27 });
    expect(st.connId).toMatch(/^[0-9a-f]{8}$/);
    expect(st.counters.pushes).toBe(got.length);
    expect(st.lastPushAgeMs).toBeLessThan(1000);
    const p = got.find((x) => x.kind === 'tickers')!;
    if (p.kind !== 'tickers') throw new Error('unreachable');
    const t = p.tickers[0]!;
    expect(t.sodUtc8).toBe(sim.path.minuteOpen(t.instId, barOpenAt('1D', t.ts)));
  });

  it('receives candle30m on /business whose open is the path minute open at the bar start', async () => {
    const { client, got, sim } = await setup({}, { business: true, args: [{ channel: 'candle30m', instId: 'BTC-USDT-SWAP' }] });
    client.start();
    const p = await until(() => got.find((x) => x.kind === 'candle'));
    if (p.kind !== 'candle') throw new Error('unreachable');
    expect(p.bar).toBe('30m');
    const c = p.candles[0]!;
    expect(c.ts).toBe(barOpenAt('30m', sim.now()));
    expect(c.open).toBe(sim.path.minuteOpen('BTC', c.ts));
    expect(c.confirm).toBe(0);
  });

  it('reports server error events (unknown instId) without dropping the connection', async () => {
    const { client, serverErrors, got } = await setup(
      {},
      {
        args: [
          { channel: 'tickers', instId: 'NOPE-USDT-SWAP' },
          { channel: 'tickers', instId: 'BTC-USDT-SWAP' },
        ],
      },
    );
    client.start();
    await until(() => serverErrors.length === 1 && got.length > 0);
    expect(serverErrors[0]!.code).toBe('60018');
    expect(client.status()).toMatchObject({ connected: true, acked: 1 });
    expect(client.status().counters.serverErrors).toBe(1);
  });

  it('reconnects after a dropped connection (and a refused reconnect), resubscribes and resumes', async () => {
    const { client, got, sim } = await setup({}, { args: [{ channel: 'tickers', instId: 'ETH-USDT-SWAP' }] });
    client.start();
    await until(() => got.length > 0);
    sim.faults.refuseConnections(300);
    sim.faults.dropConnections();
    const mark = got.length;
    await until(() => got.length > mark + 2, 6000);
    const st = client.status();
    expect(st.connected).toBe(true);
    expect(st.counters.reconnects).toBeGreaterThanOrEqual(2); // at least one attempt was refused
    expect(st.counters.connects).toBe(2);
    expect(sim.stats().ws.refused).toBeGreaterThanOrEqual(1);
    expect(st.acked).toBe(1);
  });

  it('pings when quiet, and reconnects when the server goes silent (no pong)', async () => {
    const { client, got, sim } = await setup(
      { tickerIntervalMs: 100 },
      { args: [{ channel: 'tickers', instId: 'SOL-USDT-SWAP' }], pingAfterMs: 200, pongTimeoutMs: 200 },
    );
    client.start();
    await until(() => got.length > 0);
    sim.faults.silence(700);
    await until(() => client.status().counters.pongTimeouts >= 1, 3000);
    expect(client.status().counters.pingsSent).toBeGreaterThanOrEqual(1);
    const mark = got.length;
    await until(() => got.length > mark, 4000); // back after the silence ends
    expect(client.status().counters.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('keeps a quiet but healthy link open through ping/pong', async () => {
    const { client } = await setup({}, { args: [], pingAfterMs: 100, pongTimeoutMs: 300 });
    client.start();
    await until(() => client.status().counters.pingsSent >= 3, 3000);
    expect(client.status()).toMatchObject({ connected: true, counters: { reconnects: 0, pongTimeouts: 0 } });
    expect(client.status().lastMessageAgeMs).toBeLessThan(400);
  });

  it('reconnects at once on the 64008 notice', async () => {
    const { client, got, sim } = await setup({}, { args: [{ channel: 'tickers', instId: 'BTC-USDT-SWAP' }], backoff: { baseMs: 10_000 } });
    client.start();
    await until(() => got.length > 0);
    sim.faults.notice();
    await until(() => client.status().counters.connects === 2, 2000);
    expect(client.status().counters.notices).toBe(1);
  });

  it('counts malformed pushes and frames through the callback, never throws, keeps going', async () => {
    const { client, got, malformed, sim } = await setup(
      { tickerIntervalMs: 100 },
      { args: [{ channel: 'tickers', instId: 'BTC-USDT-SWAP' }] },
    );
    client.start();
    await until(() => got.length > 0);
    sim.faults.corruptNextPushes(2);
    sim.faults.sendRaw('{"arg":{"channel":"candle30m","instId":"BTC-USDT-SWAP"},"data":[["1","x"]]}');
    sim.faults.sendRaw('this is not json');
    await until(() => malformed.length >= 4);
    const mark = got.length;
    await until(() => got.length > mark);
    expect(client.status().counters.malformed).toBe(malformed.length);
    expect(malformed.some((m) => m.startsWith('tickers push: data.0.last'))).toBe(true);
    expect(malformed).toContain('frame is not JSON');
    expect(client.status().connected).toBe(true);
  });

  it('stops cleanly and does not reconnect afterwards', async () => {
    const { client, sim } = await setup({}, { args: [{ channel: 'tickers', instId: 'BTC-USDT-SWAP' }] });
    client.start();
    await until(() => client.status().connected);
    await client.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(client.status().state).toBe('stopped');
    expect(sim.stats().ws.connections).toBe(0);
  });
});
