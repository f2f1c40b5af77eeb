import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/headless.js';
import {
  addPeer,
  gridCount,
  gridOf,
  gridRows,
  removeDir,
  seedGrid,
  sleep,
  startNode,
  waitFor,
  type SyncNodeProc,
} from './receiver-harness.js';

// Real built headless nodes (npm run build), each with its own data folder, talking over loopback.
const started: SyncNodeProc[] = [];
const dirs: string[] = [];
async function node(dir?: string, port?: number): Promise<SyncNodeProc> {
  const n = await startNode(dir, port);
  started.push(n);
  dirs.push(n.dir);
  return n;
}
// Each test's nodes stop when it ends: four idle nodes of an earlier test would only slow the next one.
afterEach(async () => {
  await Promise.all(started.splice(0).map((n) => n.kill()));
});
afterAll(() => dirs.forEach(removeDir));

const status = async (n: SyncNodeProc) => (await n.call('sync.status', {})).body.value;
const senderStats = async (n: SyncNodeProc) => (await n.call('sender.stats', {})).body.value;

describe('receiver topologies over loopback', () => {
  it('A→B one-way: test connection, sync, identical rows, busy answered busy, resync without duplicates', async () => {
    const dirA = tempDataDir('csn-a-');
    seedGrid(dirA, gridRows('A', 20, 500));
    const a = await node(dirA);
    const b = await node();

    // An https address nobody paired with is not even contacted: its certificate is not pinned yet.
    const unpaired = (await b.call('peers.test', { url: a.senderUrl, token: a.senderToken })).body.value;
    expect(unpaired).toMatchObject({ ok: false, outcome: 'needs_pairing' });
    // A script-style peer on this machine: plain HTTP on loopback with the shared token, once A allows both.
    const plainUrl = a.senderUrl.replace('https:', 'http:');
    expect((await b.call('peers.test', { url: plainUrl, token: a.senderToken })).body.value).toMatchObject({
      ok: false,
      outcome: 'not_sync_node',
    });
    await a.call('sender.config.update', { legacyToken: true, loopbackHttp: true });
    const test = (await b.call('peers.test', { url: plainUrl, token: a.senderToken })).body.value;
    expect(test).toMatchObject({ ok: true, outcome: 'ok' });
    expect(test.datasets.map((d: { code: string }) => d.code)).toContain('PT002');
    expect(test.latencyMs).toBeGreaterThan(0);
    const wrong = (await b.call('peers.test', { url: plainUrl, token: 'wrong' })).body.value;
    expect(wrong).toMatchObject({ ok: false, outcome: 'wrong_token' });
    expect(wrong.message).toMatch(/^Wrong token/);
    const closed = (await b.call('peers.test', { url: 'http://127.0.0.1:9', token: 'x' })).body.value;
    expect(closed).toMatchObject({ ok: false, outcome: 'unreachable' });
    const notNode = (await b.call('peers.test', { url: b.ready.control, token: 'x' })).body.value;
    expect(notNode).toMatchObject({ ok: false, outcome: 'not_sync_node' });
    expect((await b.call('peers.add', { name: 'x', url: 'ftp://nope' })).status).toBe(400);

    const id = await addPeer(b, a);
    await waitFor('B has A rows', () => gridCount(b.dir) === 10_000);
    expect(gridOf(b.dir)).toEqual(gridOf(a.dir));
    expect((await b.call('peers.test', { id })).body.value).toMatchObject({ ok: true, outcome: 'ok' });

    const peer = (await status(b)).peers[0];
    const pt002 = peer.datasetStatus.find((d: { code: string }) => d.code === 'PT002');
    expect(pt002).toMatchObject({ lag: 0, rowsInserted: 10_000, lastError: null });
    expect(peer.nodeId).toBe(a.ready.originId);
    expect(peer.identity.nodeId).toBe(a.ready.nodeId);
    expect(peer.transport).toBe('tls');

    // Resync pulls everything again; the merge keeps it duplicate-free and changes nothing.
    const before = (await b.call('status.get', {})).body.value.maxSeq;
    const [r1, r2] = await Promise.all([b.call('sync.resync', { id, code: 'PT002' }), b.call('sync.resync', { id, code: 'PT002' })]);
    const statuses = [r1.status, r2.status].sort();
    expect(statuses[0]).toBe(200);
    const ok = r1.status === 200 ? r1 : r2;
    expect(ok.body.value).toMatchObject({ ok: true, rowsIn: 10_000, rowsInserted: 0, rowsUpdated: 0, trigger: 'resync' });
    if (statuses[1] !== 200) expect(statuses[1]).toBe(409);
    expect(gridCount(b.dir)).toBe(10_000);
    expect((await b.call('status.get', {})).body.value.maxSeq).toBe(before);

    const history = (await b.call('sync.history', { id })).body.value.runs;
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history.some((r: { rowsInserted: number }) => r.rowsInserted === 10_000)).toBe(true);

    // Seed alias on the control server.
    const alias = await fetch(`${b.ready.control}/api/data-sync/receiver/status`, { headers: { authorization: `Bearer ${b.token}` } });
    expect(alias.status).toBe(200);
    expect(((await alias.json()) as { value: { peers: unknown[] } }).value.peers).toHaveLength(1);
    const noToken = await fetch(`${b.ready.control}/api/data-sync/receiver/sync-all`, { method: 'POST' });
    expect(noToken.status).toBe(401);
  });

  it('A⇄B two-way converges, then goes quiet', async () => {
    const dirA = tempDataDir('csn-a-');
    const dirB = tempDataDir('csn-b-');
    seedGrid(dirA, gridRows('A', 5, 200));
    seedGrid(dirB, gridRows('B', 5, 200));
    // The same key on both sides: B's is newer and must win on both.
    seedGrid(dirA, [['SHARED', 1, 1, 1, 0, 'a']], 1_000);
    seedGrid(dirB, [['SHARED', 1, 2, 2, 0, 'b']], 2_000);
    const a = await node(dirA);
    const b = await node(dirB);
    await addPeer(a, b);
    await addPeer(b, a);
    await waitFor(
      'converged',
      () => gridCount(a.dir) === 2_001 && gridCount(b.dir) === 2_001 && gridOf(a.dir).join() === gridOf(b.dir).join(),
    );
    expect(gridOf(a.dir).find((r) => r.includes('SHARED'))).toContain('"b"');

    // Quiet: over several intervals (1 s each) no row moves and no seq is assigned on either side.
    await sleep(1_500);
    const seqA = (await a.call('status.get', {})).body.value.maxSeq;
    const seqB = (await b.call('status.get', {})).body.value.maxSeq;
    const rowsServedA = (await senderStats(a)).totals.rows;
    const rowsServedB = (await senderStats(b)).totals.rows;
    await sleep(3_500);
    expect((await a.call('status.get', {})).body.value.maxSeq).toBe(seqA);
    expect((await b.call('status.get', {})).body.value.maxSeq).toBe(seqB);
    expect((await senderStats(a)).totals.rows).toBe(rowsServedA);
    expect((await senderStats(b)).totals.rows).toBe(rowsServedB);
  });

  it('hub A→C←B, C→D delivers everything to D, including a row backfilled on A with an old timestamp', { timeout: 60_000 }, async () => {
    const dirA = tempDataDir('csn-a-');
    const dirB = tempDataDir('csn-b-');
    seedGrid(dirA, gridRows('A', 3, 100));
    seedGrid(dirB, gridRows('B', 3, 100));
    let a = await node(dirA);
    const b = await node(dirB);
    const c = await node();
    const d = await node();
    await addPeer(c, a);
    await addPeer(c, b);
    await addPeer(d, c);
    await waitFor('D has A and B', () => gridCount(d.dir) === 600);

    // Backfill on A: stop it, write a row stamped 2019 with A's own store, restart on the same port.
    const portA = a.senderPort;
    await a.stop();
    const oldTs = Date.UTC(2019, 5, 1);
    seedGrid(dirA, [['OLD', oldTs, 42, 40, 5, 'backfill']], oldTs);
    a = await node(dirA, portA);
    await waitFor('old row at D', () => gridOf(d.dir).find((r) => r.startsWith('["OLD"')), 30_000);
    expect(gridOf(d.dir)).toEqual(gridOf(c.dir));
    const old = JSON.parse(gridOf(d.dir).find((r) => r.startsWith('["OLD"'))!);
    expect(old[7]).toBe(oldTs);
    expect(old[6]).toBe(a.ready.originId);
  });

  it(
    'a revoked device: auth_failed with a reason, no retry storm at the sender, and pairing again fixes it',
    { timeout: 60_000 },
    async () => {
      const a = await node();
      const b = await node();
      await addPeer(b, a);
      await waitFor('idle', async () => (await status(b)).peers[0].state === 'idle');
      const [device] = (await a.call('devices.list', {})).body.value.devices;
      expect(device.nodeId).toBe(b.ready.nodeId);
      const before = (await senderStats(a)).totals.failed;
      expect((await a.call('devices.revoke', { id: device.id })).status).toBe(200);
      await b.call('sync.all', {});
      await waitFor('auth_failed', async () => (await status(b)).peers[0].state === 'auth_failed');
      const peer = (await status(b)).peers[0];
      expect(peer.lastError).toMatch(/revoked on the sender/);
      await sleep(4_000);
      const failed = (await senderStats(a)).totals.failed - before;
      // One refused run and at most a couple of stream handshakes; nothing after the stop.
      expect(failed).toBeGreaterThanOrEqual(1);
      expect(failed).toBeLessThanOrEqual(3);
      expect((await status(b)).peers[0].state).toBe('auth_failed');

      // Pairing again (same peer, same cursors) lets it sync again.
      const { code } = (await a.call('pairing.start', {})).body.value;
      expect((await b.call('peers.pair', { url: a.senderUrl, code, peerId: peer.id })).status).toBe(200);
      await waitFor('idle again', async () => (await status(b)).peers[0].state === 'idle' && (await status(b)).peers[0].lastError === null);
      expect((await status(b)).peers).toHaveLength(1);
    },
  );
});
