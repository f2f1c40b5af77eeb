import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Agent } from 'undici';
import { SYNC_PROTOCOL_VERSION } from '../../preload/contract/sender.js';
import { PeerClient } from '../../main/node/receiver/peer-client.js';

/**
 * A peer that restarted (or another machine now behind its address) leaves the receiver's pooled
 * keep-alive connection dead: the request on it fails before any answer. The client asks again
 * on a fresh connection (where the pinned handshake runs again) instead of reporting a socket error.
 */
let server: http.Server;
let url: string;
const connections: Socket[] = [];
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    const socket = req.socket;
    // Every connection answers its first request; a later one on the same connection dies unanswered.
    const served = (socket as Socket & { served?: number }).served ?? 0;
    (socket as Socket & { served?: number }).served = served + 1;
    if (served > 0) return void socket.destroy();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, nodeId: 'n1' }));
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => connections.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

it('a request that meets a dead pooled connection is asked again on a new one', async () => {
  const dispatcher = new Agent({ connections: 1 });
  try {
    const client = new PeerClient({ url, token: 't', dispatcher, timeoutMs: 3_000 });
    expect((await client.status()).nodeId).toBe('n1');
    expect(connections.length).toBe(1);
    // The kept-alive connection is reused, dies under the request, and a second one answers.
    expect((await client.status()).nodeId).toBe('n1');
    expect(connections.length).toBe(2);
    expect(requests).toBe(3);
  } finally {
    await dispatcher.close();
  }
});
