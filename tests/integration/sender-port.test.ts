import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/headless.js';
import { removeDir, startNode, type SyncNodeProc } from './receiver-harness.js';
import { request } from './sender-harness.js';

// Issue 16: the port set in Sync › Sender is the port that answers, now and after restarts;
// `--sender-port` only sets it until one is chosen; LAN on/off keeps it; unusable ports are refused.
const live: SyncNodeProc[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((n) => n.kill()));
  dirs.splice(0).forEach(removeDir);
});
async function node(dir: string, senderPort = 0): Promise<SyncNodeProc> {
  const n = await startNode(dir, senderPort);
  live.push(n);
  return n;
}
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
/** Our sender answers on this port (a JSON refusal without a token is an answer). */
async function answers(port: number): Promise<boolean> {
  const r = await request(`https://127.0.0.1:${port}/api/data-sync/sender/status`).catch(() => null);
  return r?.status === 401 && (r.json as { error?: { code?: string } }).error?.code === 'unauthorized';
}
const view = async (n: SyncNodeProc) => (await n.call('sender.config.get', {})).body.value;

describe('the sender port', () => {
  it(
    'a chosen port is the one that answers, after a restart with --sender-port too, and LAN on/off keeps it',
    { timeout: 60_000 },
    async () => {
      const dir = tempDataDir('csn-port-');
      dirs.push(dir);
      let n = await node(dir, 0);
      const first = (await view(n)).listening.port;
      expect(await answers(first)).toBe(true);
      const chosen = await freePort();
      const set = await n.call('sender.config.update', { port: chosen });
      expect(set.status).toBe(200);
      expect(set.body.value.listening.port).toBe(chosen);
      expect(await answers(chosen)).toBe(true);
      expect(await answers(first)).toBe(false);
      // LAN on and off again: same port each time.
      expect((await n.call('sender.config.update', { lanEnabled: true })).body.value.listening).toMatchObject({
        host: '0.0.0.0',
        port: chosen,
      });
      expect(await answers(chosen)).toBe(true);
      expect((await n.call('sender.config.update', { lanEnabled: false })).body.value.listening).toMatchObject({
        host: '127.0.0.1',
        port: chosen,
      });
      // A restart with --sender-port 0 (what the seed's scripts pass) keeps the chosen port.
      await n.stop();
      live.pop();
      n = await node(dir, 0);
      expect((await view(n)).listening.port).toBe(chosen);
      expect(await answers(chosen)).toBe(true);
    },
  );

  it('with port 0 (pick a free one), LAN on/off keeps the port it picked, so peers keep the address', { timeout: 60_000 }, async () => {
    const dir = tempDataDir('csn-port-');
    dirs.push(dir);
    const n = await node(dir, 0);
    await n.call('sender.config.update', { port: 0 });
    const picked = (await view(n)).listening.port;
    expect((await n.call('sender.config.update', { lanEnabled: true })).body.value.listening.port).toBe(picked);
    expect((await n.call('sender.config.update', { lanEnabled: false })).body.value.listening.port).toBe(picked);
    expect(await answers(picked)).toBe(true);
  });

  it('refuses the control port and a port in use with a sentence, changing nothing', { timeout: 60_000 }, async () => {
    const dir = tempDataDir('csn-port-');
    dirs.push(dir);
    const n = await node(dir, 0);
    const before = await view(n);
    const controlPort = Number(new URL(n.ready.control).port);
    const reserved = await n.call('sender.config.update', { port: controlPort });
    expect(reserved.status).toBe(400);
    expect(reserved.body.error).toMatchObject({ reason: 'sender.port_reserved', params: { port: controlPort } });
    expect(reserved.body.error.message).toMatch(/control port.*choose another port/);
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const busy = (holder.address() as net.AddressInfo).port;
    try {
      const inUse = await n.call('sender.config.update', { port: busy });
      expect(inUse.status).toBe(409);
      expect(inUse.body.error).toMatchObject({ reason: 'sender.port_in_use', params: { port: busy } });
      expect(inUse.body.error.message).toMatch(/already in use.*Nothing was changed/);
    } finally {
      await new Promise((r) => holder.close(r));
    }
    const after = await view(n);
    expect(after.config.port).toBe(before.config.port);
    expect(after.listening.port).toBe(before.listening.port);
    expect(await answers(after.listening.port)).toBe(true);
  });
});
