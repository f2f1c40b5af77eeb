import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDataDir } from '../helpers/headless.js';
import { useNodes, writeGrid } from './secure-harness.js';

const FIXTURE = path.join(ROOT, 'tests/fixtures/upgrade-schema5');
const start = useNodes();

/** A copy of one fixture data folder (made by the code before certificates, see its README). */
function copyOf(which: 'a' | 'b'): string {
  const dir = tempDataDir(`csn-upgrade-${which}-`);
  fs.copyFileSync(path.join(FIXTURE, which, 'coin-sync-node.sqlite'), path.join(dir, 'coin-sync-node.sqlite'));
  return dir;
}
function read<T>(dir: string, sql: string): T[] {
  const db = new Database(path.join(dir, 'coin-sync-node.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('upgrading a database made before certificates', () => {
  it('keeps origin ids, rows, cursors and the URL + token peer working; pairing it later keeps its cursors', async () => {
    const dirA = copyOf('a');
    const dirB = copyOf('b');
    const [oldA] = read<{ value: string }>(dirA, "SELECT value FROM meta WHERE key = 'node_id'");
    const [oldB] = read<{ value: string }>(dirB, "SELECT value FROM meta WHERE key = 'node_id'");
    const [oldPeer] = read<{ id: string; url: string; token: string; node_id: string }>(
      dirB,
      'SELECT id, url, token, node_id FROM receiver_peers',
    );
    const oldCursors = read<{ code: string; cursor: number }>(dirB, 'SELECT code, cursor FROM receiver_cursors ORDER BY code');
    const oldRowsB = read<unknown[]>(dirB, 'SELECT coin, ts, price, origin, updated_at, seq FROM grid_prices ORDER BY coin, ts');
    const [sharedToken] = read<{ value: string }>(dirA, "SELECT value FROM sender_state WHERE key = 'token'");
    expect(oldPeer!.node_id).toBe(oldA!.value);

    // A comes back on the port B knows it by.
    const a = await start({ dir: dirA, senderPort: Number(new URL(oldPeer!.url).port) });
    const b = await start({ dir: dirB });
    await b.call('sync.auto', { on: false });

    // The store's origin id stays; the certificate node ID is new and beside it.
    expect(a.node.store.nodeId).toBe(oldA!.value);
    expect(b.node.store.nodeId).toBe(oldB!.value);
    const statusA = await a.call('status.get', {});
    expect(statusA.originId).toBe(oldA!.value);
    expect(statusA.nodeId).toBe(a.node.identity.nodeId);
    expect(statusA.nodeId).not.toBe(oldA!.value);
    // Rows already written are untouched, origin and seq included.
    expect(read<unknown[]>(dirB, 'SELECT coin, ts, price, origin, updated_at, seq FROM grid_prices ORDER BY coin, ts')).toEqual(oldRowsB);
    expect(read<{ origin: string }>(dirA, 'SELECT DISTINCT origin FROM grid_prices')).toEqual([{ origin: oldA!.value }]);

    // An existing install keeps its shared token and plain HTTP on loopback, so its peer keeps syncing.
    const configA = await a.call('sender.config.get', {});
    expect(configA.config).toMatchObject({ legacyToken: true, loopbackHttp: true });
    expect(configA.token).toBe(sharedToken!.value);
    const [peer] = (await b.call('sync.status', {})).peers;
    expect(peer).toMatchObject({
      id: oldPeer!.id,
      url: oldPeer!.url,
      token: oldPeer!.token,
      nodeId: oldA!.value,
      transport: 'loopback_http',
      identity: null,
    });
    expect(peer!.datasetStatus.map((d) => ({ code: d.code, cursor: d.cursor }))).toEqual(oldCursors);

    // New rows on A arrive incrementally: the cursor was not reset, nothing is pulled twice.
    writeGrid(a, 'NEW', 7);
    const run = await b.call('sync.peer', { id: peer!.id });
    expect(run).toMatchObject({ ok: true, rowsInserted: 7 });
    expect(run.rowsIn).toBe(7);
    expect(b.node.store.tables.grid_prices.count()).toBe(207);

    // Pairing the old peer (as the UI asks over the LAN) pins A's certificate and keeps its cursors.
    const before = (await b.call('sync.status', {})).peers[0]!.datasetStatus.map((d) => ({ code: d.code, cursor: d.cursor }));
    const { code } = await a.call('pairing.start', {});
    const paired = await b.call('peers.pair', { url: oldPeer!.url, code: code!, peerId: oldPeer!.id });
    expect(paired.peer).toMatchObject({ id: oldPeer!.id, transport: 'tls', identity: { nodeId: a.node.identity.nodeId } });
    expect(paired.peer.url).toBe(oldPeer!.url.replace('http:', 'https:'));
    expect(paired.peer.datasetStatus.map((d) => ({ code: d.code, cursor: d.cursor }))).toEqual(before);
    writeGrid(a, 'TLS', 3);
    for (;;) {
      const r = await b.node.call('sync.peer', { id: oldPeer!.id });
      if (r.ok) {
        expect(r.value).toMatchObject({ ok: true, rowsIn: 3, rowsInserted: 3 });
        break;
      }
      expect(r.error.code).toBe('busy');
      await new Promise((res) => setTimeout(res, 50));
    }
    // Now the shared token can go: the paired peer does not need it.
    await a.call('sender.config.update', { legacyToken: false, loopbackHttp: false });
    writeGrid(a, 'LAST', 2);
    const last = await b.call('sync.peer', { id: oldPeer!.id }).catch(async () => b.call('sync.peer', { id: oldPeer!.id }));
    expect(last.ok).toBe(true);
    expect(b.node.store.tables.grid_prices.count()).toBe(212);
  });

  it('a new install starts with the shared token and plain HTTP off', async () => {
    const n = await start();
    expect((await n.call('sender.config.get', {})).config).toMatchObject({ legacyToken: false, loopbackHttp: false });
  });
});
