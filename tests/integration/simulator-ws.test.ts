// The simulator's WebSocket protocol over real sockets: acks, errors, pushes and cadence, idle close, faults.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { barOpenAt } from '../../main/node/okx/bars.js';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../main/node/simulator/index.js';
import { until as waitUntil } from '../helpers/until.js';

const sims: Simulator[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const s of sims.splice(0)) await s.stop();
});

async function start(opts: SimulatorOptions = {}) {
  const sim = createSimulator({ seed: 'ws', ...opts });
  sims.push(sim);
  return { sim, urls: await sim.start(0) };
}

interface Frame {
  at: number;
  text: string;
  json?: Record<string, unknown> & { data?: unknown[] };
}
function connect(url: string) {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frames: Frame[] = [];
  let closed: { code: number; reason: string } | undefined;
  ws.on('message', (d) => {
    const text = d.toString();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      /* "pong" */
    }
    frames.push({ at: Date.now(), text, json });
  });
  ws.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
  ws.on('error', () => undefined);
  const until = <T>(f: () => T | undefined, ms = 4000) => waitUntil('the condition', f, ms, 20);
  const opened = new Promise<void>((r, j) => {
    ws.once('open', () => r());
    ws.once('error', j);
  });
  return { ws, frames, until, opened, closed: () => closed, send: (o: unknown) => ws.send(typeof o === 'string' ? o : JSON.stringify(o)) };
}
const pushes = (frames: Frame[], channel?: string) =>
  frames.filter((f) => f.json?.arg && !f.json.event && (!channel || (f.json.arg as { channel: string }).channel === channel));
const events = (frames: Frame[], ev: string) => frames.filter((f) => f.json?.event === ev);

describe('simulator WebSocket', () => {
  it('acks subscriptions (echoing id), pushes tickers for every subscribed coin, stops after unsubscribe', async () => {
    const { urls } = await start({ tickerIntervalMs: [100, 200] });
    const c = connect(urls.wsPublic);
    await c.opened;
    const coins = ['BTC', 'ETH', 'SOL'];
    c.send({ id: 'req1', op: 'subscribe', args: coins.map((k) => ({ channel: 'tickers', instId: `${k}-USDT-SWAP` })) });
    await c.until(() => coins.every((k) => pushes(c.frames).some((p) => (p.json!.arg as { instId: string }).instId === `${k}-USDT-SWAP`)));
    const acks = events(c.frames, 'subscribe');
    expect(acks).toHaveLength(3);
    expect(acks[0]!.json).toMatchObject({ id: 'req1', event: 'subscribe', arg: { channel: 'tickers', instId: 'BTC-USDT-SWAP' } });
    c.send({ op: 'unsubscribe', args: [{ channel: 'tickers', instId: 'BTC-USDT-SWAP' }] });
    await c.until(() => events(c.frames, 'unsubscribe').length === 1);
    const mark = c.frames.length;
    await new Promise((r) => setTimeout(r, 600));
    const later = pushes(c.frames.slice(mark));
    expect(later.length).toBeGreaterThan(0);
    expect(later.some((p) => (p.json!.arg as { instId: string }).instId === 'BTC-USDT-SWAP')).toBe(false);
  });

  it('answers bad subscriptions with OKX error events', async () => {
    const { urls } = await start();
    const pub = connect(urls.wsPublic);
    const biz = connect(urls.wsBusiness);
    await Promise.all([pub.opened, biz.opened]);
    pub.send({ op: 'subscribe', args: [{ channel: 'tickers', instId: 'NOPE-USDT-SWAP' }] });
    pub.send({ id: 'c1', op: 'subscribe', args: [{ channel: 'candle30m', instId: 'BTC-USDT-SWAP' }] });
    pub.send('{not json');
    biz.send({ op: 'subscribe', args: [{ channel: 'tickers', instId: 'BTC-USDT-SWAP' }] });
    biz.send({ op: 'subscribe', args: [{ channel: 'candle7m', instId: 'BTC-USDT-SWAP' }] });
    const errs = await pub.until(() =>
      events(pub.frames, 'error').length === 3 ? events(pub.frames, 'error').map((f) => f.json!) : undefined,
    );
    expect(errs.map((e) => e.code)).toEqual(['60018', '64001', '60012']);
    expect(errs[0]!.msg).toContain('NOPE-USDT-SWAP');
    expect(errs[1]).toMatchObject({ id: 'c1' });
    const bizErrs = await biz.until(() =>
      events(biz.frames, 'error').length === 2 ? events(biz.frames, 'error').map((f) => f.json!.code) : undefined,
    );
    expect(bizErrs).toEqual(['64002', '60018']);
  });

  it('pushes the forming candle at most once a second, then a confirm "1" push when the bar closes', async () => {
    // Start the simulated clock 2.5 s before a minute boundary.
    const boundary = barOpenAt('1m', Date.now()) + 10 * 60_000;
    const offset = boundary - 2_500 - Date.now();
    const { sim, urls } = await start({ clockOffsetMs: offset });
    const c = connect(urls.wsBusiness);
    await c.opened;
    c.send({ op: 'subscribe', args: [{ channel: 'candle1m', instId: 'BTC-USDT-SWAP' }] });
    await c.until(() => pushes(c.frames).some((p) => (p.json!.data as string[][])[0]![0] === String(boundary)), 6000);
    const ps = pushes(c.frames, 'candle1m');
    const rows = ps.map((p) => (p.json!.data as string[][])[0]!);
    const confirmed = rows.filter((r) => r[8] === '1');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]![0]).toBe(String(boundary - 60_000));
    const full = sim.path.bar('BTC', '1m', boundary - 60_000)!;
    expect(confirmed[0]!.slice(1, 5).map(Number)).toEqual([full.open, full.high, full.low, full.close]);
    expect(rows.filter((r) => r[0] === String(boundary - 60_000) && r[8] === '0').length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < ps.length; i++) expect(ps[i]!.at - ps[i - 1]!.at).toBeGreaterThanOrEqual(900);
  });

  it('answers text ping with pong, and closes an idle connection with 4004', async () => {
    const { urls } = await start({ idleCloseMs: 400 });
    const c = connect(urls.wsPublic);
    await c.opened;
    c.send('ping');
    await c.until(() => c.frames.some((f) => f.text === 'pong'));
    const closed = await c.until(() => c.closed(), 3000);
    expect(closed).toEqual({ code: 4004, reason: 'No data received in 30s' });
  });

  it('faults: drop, refuse, silence, notice, corrupt pushes', async () => {
    const { sim, urls } = await start({ tickerIntervalMs: 100 });
    const a = connect(urls.wsPublic);
    await a.opened;
    a.send({ op: 'subscribe', args: [{ channel: 'tickers', instId: 'BTC-USDT-SWAP' }] });
    await a.until(() => pushes(a.frames).length > 0);

    sim.faults.notice();
    const notice = await a.until(() => events(a.frames, 'notice')[0]?.json);
    expect(notice).toMatchObject({ event: 'notice', code: '64008' });

    sim.faults.corruptNextPushes(1);
    await a.until(() => pushes(a.frames).some((p) => JSON.stringify(p.json).includes('not-a-number')));

    sim.faults.silence(500);
    await new Promise((r) => setTimeout(r, 100));
    const mark = a.frames.length;
    a.send('ping');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.frames.length).toBe(mark); // nothing at all, socket still open
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    await a.until(() => a.frames.length > mark, 2000);

    expect(sim.faults.dropConnections()).toBe(1);
    await a.until(() => a.closed());
    expect(a.closed()!.code).toBe(1006);

    sim.faults.refuseConnections(300);
    const b = connect(urls.wsPublic);
    await expect(b.opened).rejects.toThrow(/503/);
    await new Promise((r) => setTimeout(r, 350));
    const c = connect(urls.wsPublic);
    await c.opened;
    expect(sim.stats().ws.refused).toBe(1);
  });
});
