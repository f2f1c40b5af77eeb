import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateAdminToken } from '../../main/node/security/admin-token.js';
import { startControlServer } from '../../main/node/control/control-server.js';
import { request, startSenderNode, type SenderNode } from './sender-harness.js';

const open: SenderNode[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
async function node(patch = {}) {
  const s = await startSenderNode(patch);
  open.push(s);
  return s;
}

describe('sender security', () => {
  it('serves only allow-listed addresses: 127.0.0.2 is another client', async () => {
    const s = await node();
    // Default list (loopback + private ranges) admits both loopback addresses.
    expect((await s.get('/api/data-sync/sender/status', { localAddress: '127.0.0.2' })).status).toBe(200);
    await s.call('sender.config.update', { allowList: ['127.0.0.1/32', 'fd00::/8'] });
    const other = await s.get('/api/data-sync/sender/status', { localAddress: '127.0.0.2' });
    expect(other.status).toBe(403);
    expect(other.json).toMatchObject({ error: { code: 'forbidden' } });
    // Refused before the token is looked at: no token still says 403, not 401.
    expect((await s.get('/api/data-sync/sender/status', { localAddress: '127.0.0.2', token: null })).status).toBe(403);
    expect((await s.get('/api/data-sync/sender/status', { localAddress: '127.0.0.1' })).status).toBe(200);
    await s.call('sender.config.update', { allowList: ['127.0.0.2'] });
    expect((await s.get('/api/data-sync/sender/status', { localAddress: '127.0.0.2' })).status).toBe(200);
    expect((await s.get('/api/data-sync/sender/status', { localAddress: '127.0.0.1' })).status).toBe(403);
  });

  it('limits each client per minute with 429 and Retry-After', async () => {
    // 8 a minute: pairing the test client took 3 (hello, start, confirm), 5 are left.
    const s = await node({ rateLimitPerMinute: 8 });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await s.get('/api/data-sync/sender/catalog');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(last!.json).toMatchObject({ error: { code: 'rate_limited' } });
    const retry = Number(last!.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    // Per client: another address has its own budget.
    expect((await s.get('/api/data-sync/sender/catalog', { localAddress: '127.0.0.3' })).status).toBe(200);
  });

  it('rotates the shared token (off by default): the old one stops working at once', async () => {
    const s = await node();
    const before = s.sharedToken;
    const off = await s.get('/api/data-sync/sender/catalog', { token: before });
    expect(off.status).toBe(401);
    expect(off.text).toContain('shared sender token is switched off');
    await s.call('sender.config.update', { legacyToken: true });
    expect((await s.get('/api/data-sync/sender/catalog', { token: before })).status).toBe(200);
    const view = await s.call('sender.token.rotate', {});
    expect(view.token).not.toBe(before);
    expect((await s.get('/api/data-sync/sender/catalog', { token: before })).status).toBe(401);
    expect((await s.get('/api/data-sync/sender/catalog', { token: view.token })).status).toBe(200);
    // The paired device's own token never depended on it.
    expect((await s.get('/api/data-sync/sender/catalog')).status).toBe(200);
  });

  it('validates config with sentences naming the field and re-binds on port/LAN changes', async () => {
    const s = await node();
    const bad = await s.node.dispatch('sender.config.update', { allowList: ['10.0.0.0/8', '10.0.0.0/33', 'banana'] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('bad_input');
      expect(bad.error.message).toContain('allowList.1');
      expect(bad.error.message).toContain('allowList.2');
      expect(bad.error.message).toContain('CIDR');
    }
    const badPort = await s.node.dispatch('sender.config.update', { port: 70000 });
    expect(!badPort.ok && badPort.error.message).toMatch(/port: must be 0–65535/);
    const lan = await s.call('sender.config.update', { lanEnabled: true });
    expect(lan.listening?.host).toBe('0.0.0.0');
    expect(lan.addresses[0]?.address).toBe('127.0.0.1');
    expect((await request(`${lan.listening!.url}/api/data-sync/sender/status`, { token: s.token })).status).toBe(200);
    const off = await s.call('sender.config.update', { enabled: false });
    expect(off.state).toBe('stopped');
    expect(off.listening).toBeNull();
    await expect(request(`${lan.listening!.url}/api/data-sync/sender/status`)).rejects.toThrow();
    const on = await s.call('sender.config.update', { enabled: true, lanEnabled: false });
    expect(on.listening?.host).toBe('127.0.0.1');
  });

  it('keeps config, token and counters across a restart', async () => {
    const s = await startSenderNode({ rateLimitPerMinute: 321 });
    for (let i = 0; i < 3; i++) await s.get('/api/data-sync/sender/data/PT001');
    const devices = (await s.call('devices.list', {})).devices;
    await s.get('/api/data-sync/sender/data/NOPE9');
    const stats = await s.call('sender.stats', {});
    await s.close({ keepDir: true });
    const again = await startSenderNode({}, s.dir, { pair: false });
    open.push(again);
    expect(again.sharedToken).toBe(s.sharedToken);
    expect(again.fingerprint).toBe(s.fingerprint);
    expect((await again.call('devices.list', {})).devices.map((d) => [d.id, d.fingerprint, d.revokedAt])).toEqual(
      devices.map((d) => [d.id, d.fingerprint, d.revokedAt]),
    );
    expect((await again.call('sender.config.get', {})).config.rateLimitPerMinute).toBe(321);
    const after = await again.call('sender.stats', {});
    expect(after.totals.requests).toBe(stats.totals.requests);
    expect(after.datasets.PT001?.requests).toBe(3);
    expect(after.lastRequest?.path).toBe('/api/data-sync/sender/data/NOPE9');
    expect((await again.call('sender.log', { limit: 10 })).entries.length).toBe(stats.totals.requests);
    // The device paired before the restart is still paired: its token works at once.
    expect((await request(`${again.url}/api/data-sync/sender/catalog`, { token: s.token, pin: s.fingerprint })).status).toBe(200);
  });

  it('exposes config on the control server only, with the admin token', async () => {
    const s = await node();
    const adminToken = loadOrCreateAdminToken(s.dir);
    const control = await startControlServer({ node: s.node, adminToken, port: 0 });
    try {
      const url = `${control.url}/api/data-sync/sender/config`;
      expect((await request(url)).status).toBe(401);
      const got = await request(url, { token: adminToken });
      expect(got.status).toBe(200);
      expect(got.json).toMatchObject({
        ok: true,
        value: { token: s.sharedToken, config: { enabled: true, lanEnabled: false, legacyToken: false, loopbackHttp: false } },
      });
      const bad = await request(url, { token: adminToken, method: 'POST', body: JSON.stringify({ maxPageRows: 0 }) });
      expect(bad.status).toBe(400);
      expect(bad.json).toMatchObject({ ok: false, error: { code: 'bad_input' } });
      const ok = await request(url, { token: adminToken, method: 'POST', body: JSON.stringify({ maxPageRows: 10 }) });
      expect(ok.json).toMatchObject({ ok: true, value: { config: { maxPageRows: 10 } } });
      expect((await s.get('/api/data-sync/sender/data/PT002?limit=11')).status).toBe(400);
      // The sender port has no config route at all.
      for (const method of ['GET', 'POST']) {
        const r = await s.get('/api/data-sync/sender/config', { method, body: method === 'POST' ? '{"enabled":false}' : undefined });
        expect(r.status).toBe(404);
      }
      expect((await s.call('sender.config.get', {})).config.enabled).toBe(true);
    } finally {
      await control.close();
    }
  });
});
