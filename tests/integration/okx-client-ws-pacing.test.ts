// OkxWsClient's subscribe pacing and by-instType args, against a real WebSocket server on 127.0.0.1
// that records what arrives and when.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { OkxWsClient } from '../../main/node/okx/ws-client.js';
import { until as waitUntil } from '../helpers/until.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
const until = <T>(f: () => T | undefined | false, ms = 5_000) => waitUntil('the condition', f, ms, 10);

async function server() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const got: { at: number; conn: number; op: string; args: Record<string, string>[] }[] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => {
    const conn = sockets.push(ws);
    ws.on('message', (d) => {
      const t = d.toString();
      if (t === 'ping') return ws.send('pong');
      const m = JSON.parse(t) as { op: string; args: Record<string, string>[] };
      got.push({ at: performance.now(), conn, ...m });
    });
  });
  cleanup.push(() => new Promise<void>((r) => wss.close(() => r())));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/v5/public`, got, sockets };
}

describe('OkxWsClient subscribe pacing', () => {
  it('sends 120 args as 3 requests of ≤ 50, one per 150 ms, and after a drop subscribes all again from the start', async () => {
    const s = await server();
    const args = [
      ...Array.from({ length: 119 }, (_, i) => ({ channel: 'mark-price', instId: `C${i}-USDT-SWAP` })),
      { channel: 'liquidation-orders', instType: 'SWAP' },
    ];
    const client = new OkxWsClient({ url: s.url, args, subscribeChunk: 50, subscribePaceMs: 150, backoff: { baseMs: 50, maxMs: 100 } });
    cleanup.push(() => client.stop());
    client.start();
    await until(() => s.got.length === 3);
    expect(s.got.map((g) => g.args.length)).toEqual([50, 50, 20]);
    expect(s.got[1]!.at - s.got[0]!.at).toBeGreaterThanOrEqual(140);
    expect(s.got[2]!.at - s.got[1]!.at).toBeGreaterThanOrEqual(140);
    expect(s.got.flatMap((g) => g.args)).toEqual(args);
    expect(s.got[2]!.args.at(-1)).toEqual({ channel: 'liquidation-orders', instType: 'SWAP' });

    // Cut the connection between two paced requests: the rest of the old queue is not sent on the
    // new connection; the new one gets every arg once, in order.
    s.got.length = 0;
    client.reconnect('test', true);
    await until(() => s.got.length >= 1);
    s.sockets.at(-1)!.terminate();
    await until(() => s.got.filter((g) => g.conn === s.sockets.length).length === 3 && s.sockets.length >= 3, 5_000);
    const last = s.got.filter((g) => g.conn === s.sockets.length);
    expect(last.flatMap((g) => g.args)).toEqual(args);
    await new Promise((r) => setTimeout(r, 400));
    expect(s.got.filter((g) => g.conn === s.sockets.length)).toHaveLength(3);
  });
});
