import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { pinnedAgent } from '../../main/node/net/pinned-tls.js';
import { createSelfSignedCertificate, fingerprintOf } from '../../main/node/security/certificate.js';
import { nodeIdOf } from '../../main/node/security/node-id.js';
import { until } from '../helpers/until.js';
import { pairNodes, tcpTap, useNodes, writeGrid, type InNode } from './secure-harness.js';

const start = useNodes();
const rows = (n: InNode) => n.node.store.tables.grid_prices.count();
const peerOf = async (n: InNode) => (await n.call('sync.status', {})).peers[0]!;
/** A manual sync; one the stream started may still be running, so "busy" waits for it. */
async function syncNow(n: InNode, id: string) {
  for (;;) {
    const r = await n.node.call('sync.peer', { id });
    if (r.ok) return r.value;
    if (r.error.code !== 'busy') throw new Error(r.error.message);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/**
 * A relay in the middle that terminates TLS with its own certificate on both sides: to B it
 * serves certificate M, to A it presents M' as its client certificate, and passes the HTTP
 * through. `disguise` rewrites A's node ID in the hello to M's, as a careful attacker would.
 */
async function tlsRelay(target: string, disguise: boolean) {
  const m = createSelfSignedCertificate('relay');
  const m2 = createSelfSignedCertificate('relay client');
  const mNodeId = nodeIdOf(fingerprintOf(new X509Certificate(m.certPem)));
  const upstream = pinnedAgent({ pin: null, identity: m2 });
  const seen: string[] = [];
  const server = https.createServer(
    { cert: m.certPem, key: m.keyPem, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          seen.push(req.url!);
          const up = await fetch(`${target}${req.url}`, {
            method: req.method,
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
            body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
            dispatcher: upstream,
          });
          let body = await up.text();
          if (disguise && req.url!.endsWith('/pair/hello')) body = body.replace(/"nodeId":"[^"]+"/, `"nodeId":"${mNodeId}"`);
          res.writeHead(up.status, { 'content-type': 'application/json' }).end(body);
        })().catch(() => res.destroy());
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await upstream.close();
    },
  };
}

describe('secure peers over real TLS on loopback', () => {
  it('pairs A and B by code, both see the other’s node ID, then B syncs over TLS', async () => {
    const a = await start();
    const b = await start();
    writeGrid(a, 'BTC', 500);
    const opened = await a.call('pairing.start', {});
    expect(opened.code).toMatch(/^\d{6}$/);
    expect(opened.expiresAt! - Date.now()).toBeGreaterThan(4.9 * 60_000);
    expect(opened.attemptsLeft).toBe(3);
    expect(opened.link).toContain(`id=${a.node.identity.nodeId}`);
    const paired = await b.call('peers.pair', {
      link: opened.link!.replace(/host=[^&]+/, 'host=127.0.0.1').replace(/port=\d+/, `port=${new URL(a.url).port}`),
    });
    // B shows A's node ID (to compare with A's screen); A lists B with B's node ID.
    expect(paired.remote.nodeId).toBe(a.node.identity.nodeId);
    expect(paired.peer.identity?.nodeId).toBe(a.node.identity.nodeId);
    expect(paired.peer.transport).toBe('tls');
    const devices = (await a.call('devices.list', {})).devices;
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ nodeId: b.node.identity.nodeId, revokedAt: null });
    const state = await a.call('pairing.status', {});
    expect(state).toMatchObject({ active: false, last: { outcome: 'paired', device: { nodeId: b.node.identity.nodeId } } });
    // The code is spent: a second device cannot use it.
    expect(await a.call('pairing.status', {})).toMatchObject({ code: null });

    await until('B synced', async () => rows(b) === 500 || undefined, 20_000, 50);
    const run = await syncNow(b, paired.peer.id);
    expect(run.ok).toBe(true);
    expect((await peerOf(b)).state).toBe('idle');
    expect((await peerOf(b)).streamConnected).toBe(true);
    await until('A saw B', async () => ((await a.call('devices.list', {})).devices[0]!.requests > 0 ? true : undefined), 5_000, 100);
    const seen = (await a.call('devices.list', {})).devices[0]!;
    expect(seen.lastAddress).toMatch(/127\.0\.0\.1/);
  });

  it('a TLS relay with its own certificate makes pairing fail on both sides, and B stores nothing', async () => {
    const a = await start();
    const b = await start();
    writeGrid(a, 'ETH', 50);
    for (const disguise of [false, true]) {
      const relay = await tlsRelay(a.url, disguise);
      try {
        const { code } = await a.call('pairing.start', {});
        const err = await b.refuse('peers.pair', { url: relay.url, code: code!, name: 'via relay' });
        expect(err.message).toMatch(disguise ? /did not match|someone may be between/ : /someone may be between the two nodes/);
        expect(err.message).toMatch(/./);
        // A paired nobody; with the disguise the relay got as far as a (failed) attempt, which A counted.
        expect((await a.call('devices.list', {})).devices).toEqual([]);
        const st = await a.call('pairing.status', {});
        if (disguise) {
          expect(relay.seen.some((u) => u.endsWith('/pair/confirm'))).toBe(true);
          expect(st.last).toMatchObject({ outcome: 'wrong_code' });
          expect(st.attemptsLeft).toBe(2);
        }
        // B stores nothing: no peer, no rows, nothing pinned.
        expect((await b.call('sync.status', {})).peers).toEqual([]);
        expect(rows(b)).toBe(0);
      } finally {
        await relay.close();
      }
    }
  });

  it('after pairing, a peer whose certificate changed is refused with the sentence, and nothing is sent to it', async () => {
    const a = await start();
    const b = await start();
    writeGrid(a, 'SOL', 20);
    const { peer } = await pairNodes(b, a);
    await until('synced', async () => rows(b) === 20 || undefined, 20_000, 50);
    await b.call('sync.auto', { on: false });
    // A gets a new identity (a new machine, or someone else) behind the same address.
    const port = Number(new URL(a.url).port);
    await a.node.stop();
    fs.rmSync(path.join(a.dir, 'identity'), { recursive: true, force: true });
    const a2 = await start({ dir: a.dir, senderPort: port });
    expect(a2.node.identity.fingerprint).not.toBe(a.node.identity.fingerprint);
    const before = (await a2.call('sender.stats', {})).totals.requests;
    const run = await syncNow(b, peer.id);
    expect(run.ok).toBe(false);
    expect(run.error).toBe("The peer's identity changed — pair again.");
    const st = await peerOf(b);
    expect(st.state).toBe('identity_changed');
    expect(st.lastError).toBe("The peer's identity changed — pair again.");
    // Refused during the handshake: the new A never received a request (so never the token).
    expect((await a2.call('sender.stats', {})).totals.requests).toBe(before);
    const test = await b.call('peers.test', { id: peer.id });
    expect(test).toMatchObject({ ok: false, outcome: 'identity_changed' });
    // Pairing again (a person decided) pins the new certificate; cursors are kept.
    const again = await pairNodes(b, a2);
    expect(again.peer.id).toBe(peer.id);
    expect(again.peer.identity?.nodeId).toBe(a2.node.identity.nodeId);
    expect((await syncNow(b, peer.id)).ok).toBe(true);
  });

  it('3 wrong codes void the code; the right code afterwards is refused', async () => {
    const a = await start();
    const b = await start();
    const { code } = await a.call('pairing.start', {});
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const messages: string[] = [];
    for (let i = 0; i < 3; i++) messages.push((await b.refuse('peers.pair', { url: a.url, code: wrong })).message);
    expect(messages[0]).toMatch(/did not match.*2 tries left/);
    expect(messages[1]).toMatch(/did not match.*1 try left/);
    expect(messages[2]).toMatch(/3 times and is now void/);
    const st = await a.call('pairing.status', {});
    expect(st).toMatchObject({ active: false, code: null, last: { outcome: 'void' } });
    expect((await b.refuse('peers.pair', { url: a.url, code: code! })).message).toMatch(/No pairing code is open/);
    expect((await a.call('devices.list', {})).devices).toEqual([]);
    expect((await b.call('sync.status', {})).peers).toEqual([]);
  });

  it('revoking one of two devices refuses only that one, at once', async () => {
    const a = await start();
    const b = await start();
    const c = await start();
    writeGrid(a, 'XRP', 10);
    const pb = await pairNodes(b, a, 'A for B');
    const pc = await pairNodes(c, a, 'A for C');
    await until('both synced', async () => (rows(b) === 10 && rows(c) === 10) || undefined, 20_000, 50);
    const devices = (await a.call('devices.list', {})).devices;
    const devB = devices.find((d) => d.nodeId === b.node.identity.nodeId)!;
    await a.call('devices.revoke', { id: devB.id });
    writeGrid(a, 'XRP', 20);
    const runB = await syncNow(b, pb.peer.id);
    expect(runB.ok).toBe(false);
    expect(runB.error).toMatch(/\(401\).*revoked on the sender/);
    expect((await peerOf(b)).state).toBe('auth_failed');
    const runC = await syncNow(c, pc.peer.id);
    expect(runC.ok).toBe(true);
    expect(rows(c)).toBe(20);
    const after = (await a.call('devices.list', {})).devices;
    expect(after.find((d) => d.id === devB.id)!.revokedAt).not.toBeNull();
    expect(after.find((d) => d.nodeId === c.node.identity.nodeId)!.revokedAt).toBeNull();
    expect((await a.refuse('devices.revoke', { id: devB.id })).code).toBe('conflict');
  });

  it('the token never appears on the wire: a tap on loopback sees only TLS while B pairs and syncs', async () => {
    const a = await start();
    const b = await start();
    writeGrid(a, 'TRX', 300);
    const tap = await tcpTap({ host: '127.0.0.1', port: Number(new URL(a.url).port) });
    try {
      const { code } = await a.call('pairing.start', {});
      const paired = await b.call('peers.pair', { url: `https://127.0.0.1:${tap.port}`, code: code!, name: 'tapped' });
      await until('synced through the tap', async () => rows(b) === 300 || undefined, 20_000, 50);
      expect((await syncNow(b, paired.peer.id)).ok).toBe(true);
      const token = b.node.store.db.prepare('SELECT token FROM receiver_peers').pluck(true).get() as string;
      expect(token).toMatch(/^csn_/);
      const wire = tap.bytes();
      expect(wire.length).toBeGreaterThan(10_000);
      for (const secret of [token, (await a.call('sender.config.get', {})).token, code!]) {
        expect(wire.includes(Buffer.from(secret)), 'secret on the wire').toBe(false);
        expect(wire.includes(Buffer.from(Buffer.from(secret).toString('base64'))), 'secret on the wire (base64)').toBe(false);
      }
      // Nor any plaintext HTTP at all: every record is TLS (0x16 handshake, 0x17 application data, 0x14/0x15).
      expect(wire.includes(Buffer.from('HTTP/1.1'))).toBe(false);
      expect(wire.includes(Buffer.from('authorization'))).toBe(false);
      expect(wire.includes(Buffer.from('"rows"'))).toBe(false);
    } finally {
      await tap.close();
    }
  });

  it('refuses replayed pairing messages without spending an attempt', async () => {
    const a = await start();
    const b = await start();
    await a.call('pairing.start', {});
    const agent = pinnedAgent({ pin: a.node.identity.fingerprint, identity: b.node.identity });
    try {
      const post = async (p: string, body: object) => {
        const r = await fetch(`${a.url}/api/data-sync/sender/pair/${p}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          dispatcher: agent,
        });
        return { status: r.status, json: (await r.json()) as { error?: { message: string } } };
      };
      const { ristretto255 } = await import('@noble/curves/ed25519.js');
      const share = Buffer.from(ristretto255.Point.BASE.multiply(12345n).toBytes()).toString('base64url');
      const msg = { v: 1, sid: Buffer.alloc(16, 7).toString('base64url'), share, name: 'replayer' };
      expect((await post('start', msg)).status).toBe(200);
      const replay = await post('start', msg);
      expect(replay.status).toBe(409);
      expect(replay.json.error?.message).toMatch(/already used/);
      expect((await a.call('pairing.status', {})).attemptsLeft).toBe(2);
      const confirm = { sid: msg.sid, mac: Buffer.alloc(32).toString('base64url') };
      expect((await post('confirm', confirm)).status).toBe(401);
      const again = await post('confirm', confirm);
      expect(again.status).toBe(409);
      expect(again.json.error?.message).toMatch(/already used, or replayed/);
      // No client certificate: refused before the code is looked at.
      const bare = await fetch(`${a.url}/api/data-sync/sender/pair/hello`, {
        dispatcher: pinnedAgent({ pin: a.node.identity.fingerprint }),
      });
      expect(bare.status).toBe(400);
    } finally {
      await agent.close();
    }
  });
});
