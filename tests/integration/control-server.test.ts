import Database from 'better-sqlite3';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';

let node: HeadlessNode;
beforeAll(async () => {
  node = await startHeadless();
});
afterAll(async () => {
  await node.kill();
  fs.rmSync(node.ready.dataDir, { recursive: true, force: true });
});

const post = (pathname: string, init: RequestInit = {}) => fetch(`${node.ready.control}${pathname}`, { method: 'POST', ...init });
const auth = () => ({ authorization: `Bearer ${node.token}` });

describe('headless control server', () => {
  it('writes the admin token with mode 0600 and prints the ready line', () => {
    const st = fs.statSync(node.ready.adminTokenFile);
    expect(st.mode & 0o777).toBe(0o600);
    expect(node.ready.control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(node.ready.dataDir).toBe(path.resolve(node.ready.dataDir));
  });

  it('refuses every admin route (API and script aliases) through one hook with the same 401 answer', async () => {
    const get = (pathname: string, init: RequestInit = {}) => fetch(`${node.ready.control}${pathname}`, init);
    const wrong = { authorization: 'Bearer wrong' };
    const refused = [
      post('/api/control/status.get?token=not-logged'),
      get('/api/data-sync/sender/config'),
      post('/api/data-sync/sender/config', { headers: { ...wrong, 'content-type': 'application/json' }, body: '{"enabled":false}' }),
      get('/api/data-sync/receiver/status', { headers: wrong }),
      post('/api/data-sync/receiver/sync-all'),
    ];
    for (const r of await Promise.all(refused)) {
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({
        ok: false,
        error: {
          code: 'unauthorized',
          reason: 'unauthorized',
          message: 'Missing or wrong admin token (Authorization: Bearer <DIR/admin-token>).',
        },
      });
    }
    // With the token the same routes answer.
    expect((await get('/api/data-sync/receiver/status', { headers: auth() })).status).toBe(200);
    expect((await get('/api/data-sync/sender/config', { headers: auth() })).status).toBe(200);
  });

  it('answers each kind of bad request with the right status and a JSON error, and keeps running', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [post('/api/control/status.get'), 401, 'unauthorized'],
      [post('/api/control/status.get', { headers: { authorization: 'Bearer wrong' } }), 401, 'unauthorized'],
      [post('/api/control/no.such', { headers: auth() }), 404, 'unknown_handler'],
      [post('/api/control/status.get', { headers: { ...auth(), 'content-type': 'application/json' }, body: '{nope' }), 400, 'bad_input'],
      [
        post('/api/control/logs.tail', { headers: { ...auth(), 'content-type': 'application/json' }, body: '{"limit":"x"}' }),
        400,
        'bad_input',
      ],
      [
        post('/api/control/settings.update', { headers: { ...auth(), 'content-type': 'application/json' }, body: '[1,2]' }),
        400,
        'bad_input',
      ],
      [
        post('/api/control/status.get', { headers: { ...auth(), 'content-type': 'application/json' }, body: 'x'.repeat(2_000_000) }),
        413,
        'bad_input',
      ],
      [fetch(`${node.ready.control}/api/nothing`), 404, 'not_found'],
    ];
    for (const [req, status, code] of cases) {
      const res = await req;
      const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(res.status, code).toBe(status);
      expect(body.ok).toBe(false);
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    const ok = await node.call('status.get');
    expect(ok.status).toBe(200);
    expect(ok.body.value.nodeId).toBe(node.ready.nodeId);
    const logged = await node.call('logs.tail', { source: 'control', levels: ['warn'] });
    expect(logged.body.value.lines.length).toBeGreaterThan(0);
  });

  it('never listens on anything but 127.0.0.1', async () => {
    const port = Number(new URL(node.ready.control).port);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.2', port }, () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('streams events over the WebSocket to an authorised client only', async () => {
    const wsUrl = node.ready.control.replace('http', 'ws') + '/api/control/events';
    const denied = new WebSocket(wsUrl);
    const closeCode = await new Promise<number>((resolve) => denied.on('close', (c) => resolve(c)));
    expect(closeCode).toBe(4401);

    const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(node.token)}`);
    await new Promise((r) => ws.once('open', r));
    const got = new Promise<{ event: string; payload: { nodeName: string } }>((resolve) =>
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { event: string; payload: { nodeName: string } };
        if (msg.event === 'settings.changed') resolve(msg);
      }),
    );
    await node.call('settings.update', { nodeName: 'via ws' });
    expect((await got).payload.nodeName).toBe('via ws');
    ws.close();
  });
});

describe('headless lifecycle', () => {
  it('stops cleanly on SIGTERM within 5 s with exit code 0', async () => {
    // The exchange is an unreachable local port, so the collector is running and failing over like
    // an offline node. (With an unresolvable host name instead, Node's own exit waits up to the OS
    // resolver's 5 s for getaddrinfo threads still in flight — after our stop has finished.)
    const dead = 'http://127.0.0.1:9';
    const n = await startHeadless({
      args: [
        '--okx-rest',
        dead,
        '--okx-ws-public',
        `${dead.replace('http', 'ws')}/ws/v5/public`,
        '--okx-ws-business',
        `${dead.replace('http', 'ws')}/ws/v5/business`,
      ],
    });
    const t0 = Date.now();
    const code = await n.stop();
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    fs.rmSync(n.ready.dataDir, { recursive: true, force: true });
  });

  it('refuses bad flags with a sentence and exit code 2', async () => {
    await expect(startHeadless({ args: ['--port', 'abc'] })).rejects.toThrow(/exited with 2[\s\S]*--port must be a whole number/);
  });

  it('SIGKILL during settings writes leaves a readable database holding the last committed value', async () => {
    const dataDir = tempDataDir('csn-kill-');
    for (let round = 0; round < 3; round++) {
      const n = await startHeadless({ dataDir });
      let acked = -1;
      let inFlight = -1;
      const writer = (async () => {
        for (let i = 0; ; i++) {
          inFlight = i;
          const r = await n.call('settings.update', { nodeName: `write-${round}-${i}` }).catch(() => null);
          if (!r) return;
          acked = i;
        }
      })();
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 300));
      await n.kill();
      await writer;
      const db = new Database(path.join(dataDir, 'coin-sync-node.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const row = db.prepare("SELECT value FROM settings WHERE key = 'nodeName'").get() as { value: string };
      db.close();
      expect(acked).toBeGreaterThan(0);
      expect([`write-${round}-${acked}`, `write-${round}-${inFlight}`]).toContain(JSON.parse(row.value));
    }
    const n = await startHeadless({ dataDir });
    const s = await n.call('settings.get');
    expect(s.body.value.nodeName).toMatch(/^write-2-\d+$/);
    await n.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
