import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerInput, HandlerName, HandlerOutput } from '../../preload/contract.js';
import { valueOf } from '../helpers/api.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { pageChecksum } from '../../main/node/datasets/checksum.js';
import { tempDataDir } from '../helpers/headless.js';
import { fetch as undiciFetch, type Agent } from 'undici';
import { pinnedAgent } from '../../main/node/net/pinned-tls.js';
import { gridRows, startSenderNode, TEST_CLIENT, type SenderNode } from './sender-harness.js';

/**
 * A real sender behind a real HTTP proxy that misbehaves on data pages in one chosen way, and a
 * real receiver node in this process with short timeouts and backoff so faults show quickly.
 */
type Mode = 'pass' | 'truncate' | 'badsum' | 'hang' | '429' | '500' | 'html' | 'extraColumn' | 'dropKey';
let mode: Mode = 'pass';
let sender: SenderNode;
let proxy: http.Server;
let proxyUrl: string;
/** The proxy reaches the sender as a paired device would: TLS to its pinned certificate, with TEST_CLIENT's certificate. */
let upstream: Agent;
let receiver: SyncNode;
let dir: string;
const hung: http.ServerResponse[] = [];

async function call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> {
  return valueOf(name, await receiver.call(name, input));
}

function rewrite(body: string, fn: (p: { columns: string[]; rows: unknown[][]; checksum: string }) => void): string {
  const p = JSON.parse(body) as { columns: string[]; rows: unknown[][]; checksum: string };
  fn(p);
  p.checksum = pageChecksum(p.columns, p.rows);
  return JSON.stringify(p);
}

beforeAll(async () => {
  sender = await startSenderNode();
  upstream = pinnedAgent({ pin: sender.fingerprint, identity: TEST_CLIENT });
  sender.node.store.write(() =>
    sender.node.store.tables.grid_prices.upsertLocal(gridRows('F', Date.UTC(2025, 0, 1), 2_000), sender.node.store.nodeId, Date.now()),
  );
  proxy = http.createServer((req, res) => {
    void (async () => {
      const isPage = req.url!.includes('/data/');
      if (isPage && mode === 'hang') return void hung.push(res);
      if (isPage && mode === '429')
        return void res
          .writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' })
          .end('{"error":{"code":"rate_limited","message":"slow down"}}');
      if (isPage && mode === '500') return void res.writeHead(500).end('oops');
      if (mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
      const up = await undiciFetch(`${sender.url}${req.url}`, {
        headers: { authorization: req.headers.authorization ?? '' },
        dispatcher: upstream,
      });
      let body = await up.text();
      if (isPage && up.ok) {
        if (mode === 'truncate') body = body.slice(0, Math.floor(body.length / 2));
        if (mode === 'badsum') body = body.replace(/"checksum":"[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0'));
        if (mode === 'extraColumn') body = rewrite(body, (p) => (p.columns.push('future_col'), p.rows.forEach((r) => r.push('x'))));
        if (mode === 'dropKey')
          body = rewrite(body, (p) => {
            const i = p.columns.indexOf('ts');
            p.columns.splice(i, 1);
            p.rows.forEach((r) => r.splice(i, 1));
          });
      }
      res.writeHead(up.status, { 'content-type': 'application/json' }).end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  dir = tempDataDir('csn-recv-faults-');
  receiver = createNode({
    dataDir: dir,
    mode: 'headless',
    version: 'test',
    collect: false,
    senderPort: 0,
    receiver: { backoff: { baseMs: 100, maxMs: 400 }, requestTimeoutMs: 600 },
  });
  await receiver.start();
  await call('sync.auto', { on: false });
});

afterAll(async () => {
  hung.forEach((r) => r.destroy());
  await receiver.stop();
  await new Promise((r) => proxy.close(r));
  await upstream.close();
  await sender.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rows = () => receiver.store.tables.grid_prices.count();

describe('receiver faults (real sender behind a misbehaving proxy)', () => {
  it('refuses every broken page without applying anything, with a clear error, then recovers', async () => {
    const peer = await call('peers.add', { name: 'proxied', url: proxyUrl, token: sender.token, datasets: ['PT002'] });
    const cases: [Mode, RegExp][] = [
      ['truncate', /cut off or is not JSON/],
      ['badsum', /checksum does not match/],
      ['hang', /did not answer within 1 s/],
      ['500', /failed with 500/],
      ['html', /not a Coin Sync Node sender/],
      ['dropKey', /lacks column ts; refused/],
    ];
    for (const [m, expected] of cases) {
      mode = m;
      const run = await call('sync.peer', { id: peer.id });
      expect(run.ok, m).toBe(false);
      expect(run.error, m).toMatch(expected);
      expect(rows(), m).toBe(0);
      const st = (await call('sync.status', {})).peers[0]!;
      expect(st.state, m).toBe('backing_off');
      expect(st.lastError).toMatch(expected);
    }
    const failures = (await call('sync.status', {})).peers[0]!.failures;
    expect(failures).toBe(cases.length);

    // A newer peer's unknown column is ignored (mapped by name).
    mode = 'extraColumn';
    const ok = await call('sync.peer', { id: peer.id });
    expect(ok).toMatchObject({ ok: true, rowsIn: 2_000, rowsInserted: 2_000 });
    expect(rows()).toBe(2_000);
    const st = (await call('sync.status', {})).peers[0]!;
    expect(st).toMatchObject({ state: 'idle', failures: 0, lastError: null });
    const here = receiver.store.db.prepare('SELECT coin, ts, price, origin FROM grid_prices ORDER BY coin, ts').raw(true).all();
    const there = sender.node.store.db.prepare('SELECT coin, ts, price, origin FROM grid_prices ORDER BY coin, ts').raw(true).all();
    expect(here).toEqual(there);
    await call('peers.remove', { id: peer.id });
  });

  it('429 honours Retry-After; a hung peer does not hold up another peer', async () => {
    await call('sync.auto', { on: true });
    mode = '429';
    const slow = await call('peers.add', { name: 'limited', url: proxyUrl, token: sender.token, datasets: ['PT002'], intervalSec: 3600 });
    const run = await call('sync.peer', { id: slow.id });
    expect(run.error).toMatch(/rate-limiting this node \(429\); waiting 1 s/);
    const st = (await call('sync.status', {})).peers.find((p) => p.id === slow.id)!;
    expect(st.state).toBe('backing_off');
    expect(st.nextRunAt! - Date.now()).toBeGreaterThan(700);

    mode = 'hang';
    // The direct peer is paired by a code like any other (the receiver pins the sender's certificate).
    const { code } = await sender.call('pairing.start', {});
    const direct = (await call('peers.pair', { url: sender.url, code: code!, name: 'direct' })).peer;
    await call('peers.update', { id: direct.id, patch: { intervalSec: 3600 } });
    const t0 = Date.now();
    const directRun = await call('sync.peer', { id: direct.id }).catch((e: Error) => e);
    // The direct peer may be busy with its own startup run: wait for that one instead.
    if (directRun instanceof Error) expect(directRun.message).toMatch(/busy/);
    await expect
      .poll(async () => (await call('sync.status', {})).peers.find((p) => p.id === direct.id)!.state, { timeout: 5_000 })
      .toBe('idle');
    expect(Date.now() - t0).toBeLessThan(3_000);
    await call('peers.remove', { id: slow.id });
    await call('peers.remove', { id: direct.id });
    await call('sync.auto', { on: false });
  });
});
