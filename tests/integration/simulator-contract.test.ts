// Contract (b): the simulator's payloads, fetched over real HTTP/WS, have the recorded OKX keys and types.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSimulator, type Simulator, type SimulatorUrls } from '../../main/node/simulator/index.js';

const dir = new URL('../fixtures/okx/', import.meta.url);
const text = (f: string) => fs.readFileSync(new URL(f, dir), 'utf8');
const fixture = (f: string) => JSON.parse(text(f)) as Record<string, unknown> & { data: unknown[] };
const NUMERIC = /^-?\d+(\.\d+)?$/;
const NOW = Date.UTC(2026, 10, 20, 5, 17, 23, 456);

let sim: Simulator;
let urls: SimulatorUrls;
beforeAll(async () => {
  sim = createSimulator({ seed: 'contract', now: () => NOW, tickerIntervalMs: 100 });
  urls = await sim.start(0);
});
afterAll(() => sim.stop());

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> & { data: unknown[] } }> {
  const res = await fetch(urls.rest + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data: unknown[] } };
}

/** Same keys in the same order, and the same JS type per key. */
function sameShape(got: Record<string, unknown>, want: Record<string, unknown>) {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const k of Object.keys(want)) {
    const kind = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);
    expect([k, kind(got[k])]).toEqual([k, kind(want[k])]);
  }
}

function wsMessages(url: string): Promise<{ ws: WebSocket; next: (pred?: (m: string) => boolean) => Promise<string> }> {
  const ws = new WebSocket(url);
  const queue: string[] = [];
  let waiter: (() => void) | undefined;
  ws.on('message', (d) => {
    queue.push(d.toString());
    waiter?.();
  });
  const next = async (pred: (m: string) => boolean = () => true): Promise<string> => {
    for (;;) {
      const i = queue.findIndex(pred);
      if (i >= 0) return queue.splice(i, 1)[0]!;
      await new Promise<void>((r, j) => {
        const t = setTimeout(() => j(new Error('no matching frame within 3 s')), 3000);
        waiter = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

describe('simulator payloads match the recorded OKX payloads', () => {
  it('GET /market/ticker: envelope and row keys in the recorded order, numbers as strings', async () => {
    const want = fixture('rest-market-ticker.json');
    const { status, body } = await get('/api/v5/market/ticker?instId=BTC-USDT-SWAP');
    expect(status).toBe(200);
    sameShape(body, want);
    const row = body.data[0] as Record<string, string>;
    sameShape(row, want.data[0] as Record<string, unknown>);
    expect(row.instType).toBe('SWAP'); // the fixture is SPOT; units differ, keys do not
    for (const [k, v] of Object.entries(row)) if (k !== 'instType' && k !== 'instId') expect([k, NUMERIC.test(v)]).toEqual([k, true]);
  });

  it('GET /market/tickers?instType=SWAP: every listed swap, incl. our 27, with the ticker keys', async () => {
    const want = fixture('rest-market-ticker.json').data[0] as Record<string, unknown>;
    const { body } = await get('/api/v5/market/tickers?instType=SWAP');
    const ids = (body.data as Record<string, string>[]).map((r) => r.instId ?? '');
    expect(ids).toContain('BTC-USDT-SWAP');
    expect(ids).toContain('AAVE-USDT-SWAP');
    expect(ids).toContain('BTC-USD-SWAP'); // consumers must filter
    expect(ids.filter((i) => i.endsWith('-USDT-SWAP')).length).toBeGreaterThanOrEqual(27);
    for (const r of body.data as Record<string, unknown>[]) sameShape(r, want);
  });

  it('candles and history-candles rows: 9 numeric strings like the recorded pages', async () => {
    const want = fixture('rest-market-candles-swap-1m.json');
    for (const ep of ['candles', 'history-candles']) {
      const { body } = await get(`/api/v5/market/${ep}?instId=BTC-USDT-SWAP&bar=1m&limit=5`);
      sameShape(body, want);
      expect(body.data).toHaveLength(5);
      for (const row of body.data as unknown[][]) {
        expect(row).toHaveLength((want.data[0] as unknown[]).length);
        for (const v of row) expect(typeof v === 'string' && NUMERIC.test(v)).toBe(true);
        const [, , h, l, , vol, volCcy, quote] = (row as string[]).map(Number) as number[];
        expect(vol! * 0.01).toBeCloseTo(volCcy!, 6); // BTC-USDT-SWAP ctVal 0.01, as recorded
        expect(quote! / volCcy!).toBeGreaterThanOrEqual(l!);
        expect(quote! / volCcy!).toBeLessThanOrEqual(h!);
      }
      expect((body.data as string[][])[0]![8]).toBe('0'); // the forming bar
      expect((body.data as string[][])[1]![8]).toBe('1');
    }
  });

  it('GET /public/instruments?instType=SWAP: rows shaped like the 2025 recording', async () => {
    const want = fixture('rest-public-instruments-swap.json');
    const { body } = await get('/api/v5/public/instruments?instType=SWAP');
    sameShape(body, want);
    const byId = new Map((body.data as Record<string, unknown>[]).map((r) => [r.instId, r]));
    for (const w of want.data as Record<string, unknown>[]) {
      const g = byId.get(w.instId)!;
      sameShape(g, w);
      for (const k of ['ctType', 'ctVal', 'ctValCcy', 'settleCcy', 'instFamily', 'uly', 'state', 'tickSz'])
        expect([k, g[k]]).toEqual([k, w[k]]);
    }
  });

  it('GET /public/time', async () => {
    const { body } = await get('/api/v5/public/time');
    expect(body).toEqual({ code: '0', msg: '', data: [{ ts: String(NOW) }] });
  });

  it('unknown /api/v5 path: the recorded 404 body', async () => {
    const { status, body } = await get('/api/v5/market/no-such-thing');
    expect(status).toBe(404);
    expect(body).toEqual(fixture('rest-error-404-not-found.json'));
    expect(Object.keys(body)).toEqual(Object.keys(fixture('rest-error-404-not-found.json')));
  });

  it('over the limit: HTTP 429 with the recorded 50011 body', async () => {
    const local = createSimulator({ now: () => NOW, rateLimits: { time: 1 } });
    const u = await local.start(0);
    try {
      expect((await fetch(`${u.rest}/api/v5/public/time`)).status).toBe(200);
      const res = await fetch(`${u.rest}/api/v5/public/time`);
      expect(res.status).toBe(429);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual(fixture('rest-error-50011-rate-limit.json'));
      expect(Object.keys(body)).toEqual(['msg', 'code']);
    } finally {
      await local.stop();
    }
  });

  it('WS subscribe ack like the recording plus connId; tickers push like the USDT-swap recording', async () => {
    const { ws, next } = await wsMessages(urls.wsPublic);
    try {
      ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'tickers', instId: 'ETH-USDT-SWAP' }] }));
      const ack = JSON.parse(await next((m) => m.includes('"event"')));
      const wantAck = JSON.parse(text('ws-subscribe-ack.json'));
      expect(Object.keys(ack)).toEqual([...Object.keys(wantAck), 'connId']);
      expect(ack.arg).toEqual({ channel: 'tickers', instId: 'ETH-USDT-SWAP' });
      expect(ack.connId).toMatch(/^[0-9a-f]{8}$/);

      const want = fixture('ws-tickers-push-usdt-swap.json');
      const push = JSON.parse(await next((m) => m.startsWith('{"arg"')));
      sameShape(push, want);
      sameShape(push.arg, want.arg as Record<string, unknown>);
      sameShape(push.data[0], want.data[0] as Record<string, unknown>);
      for (const [k, v] of Object.entries(push.data[0] as Record<string, string>))
        if (k !== 'instType' && k !== 'instId') expect(NUMERIC.test(v)).toBe(true);
    } finally {
      ws.close();
    }
  });

  it('WS candle push has the recorded candle push shape', async () => {
    const { ws, next } = await wsMessages(urls.wsBusiness);
    try {
      ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'candle1H', instId: 'BTC-USDT-SWAP' }] }));
      const push = JSON.parse(await next((m) => m.startsWith('{"arg"')));
      const want = fixture('ws-candle1H-push.json');
      sameShape(push, want);
      expect(push.arg).toEqual({ channel: 'candle1H', instId: 'BTC-USDT-SWAP' });
      expect(push.data[0]).toHaveLength(9);
      expect(push.data[0][8]).toBe('0');
    } finally {
      ws.close();
    }
  });

  it('WS text ping gets the text pong', async () => {
    const { ws, next } = await wsMessages(urls.wsPublic);
    try {
      ws.send(text('ws-ping.txt'));
      expect(await next()).toBe(text('ws-pong.txt'));
    } finally {
      ws.close();
    }
  });
});
