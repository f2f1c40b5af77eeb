/**
 * Migration 011: why a peer, one of its datasets and a sync run failed is stored as a reason with
 * its parameters beside the English, so after a restart the UI still says it in its language.
 * Real SQLite files, closed and opened again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerInputSchema, type Reasoned } from '../../preload/contract.js';
import { PeerStore } from '../../main/node/receiver/peer-store.js';
import { Store } from '../../main/node/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const auth: Reasoned = { reason: 'peer.auth', params: {} };
const timeout: Reasoned = { reason: 'peer.timeout', params: { seconds: 10 } };

describe('stored reasons (migration 011)', () => {
  it('keeps a peer’s, a dataset’s and a run’s reason across a restart, and clears them with the text', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-reasons-'));
    dirs.push(dir);
    let store = Store.open(dir);
    let peers = new PeerStore(store.db);
    const p = peers.add(PeerInputSchema.parse({ name: 'Desk B', url: 'http://127.0.0.1:1', token: 'x'.repeat(32) }), 1_000);
    peers.setState(p.id, { state: 'auth_failed', lastError: 'The peer refused the token (401).', lastErrorReason: auth, failures: 1 });
    peers.markDataset(p.id, 'PT002', { state: 'backing_off', lastError: 'The peer did not answer within 10 s.', lastErrorReason: timeout });
    const run = { peerId: p.id, startedAt: 1_000, durationMs: 5, trigger: 'manual' as const, datasets: ['PT002'], pages: 0 };
    peers.addRun({
      ...run,
      rowsIn: 0,
      rowsInserted: 0,
      rowsUpdated: 0,
      ok: false,
      error: 'The peer refused the token (401).',
      errorReason: auth,
    });
    peers.addRun({ ...run, rowsIn: 0, rowsInserted: 0, rowsUpdated: 0, ok: true, error: null, errorReason: null });
    store.close();

    store = Store.open(dir);
    peers = new PeerStore(store.db);
    expect(peers.get(p.id)!.lastErrorReason).toEqual(auth);
    expect(peers.cursors(p.id)[0]!.lastErrorReason).toEqual(timeout);
    const runs = peers.runs(p.id, 10);
    expect(runs.map((r) => r.errorReason)).toEqual([null, auth]);

    // A state change without an error keeps both; a cleared error clears both.
    peers.setState(p.id, { state: 'syncing' });
    expect(peers.get(p.id)!.lastErrorReason).toEqual(auth);
    peers.setState(p.id, { state: 'idle', lastError: null });
    expect(peers.get(p.id)!).toMatchObject({ lastError: null, lastErrorReason: null });
    peers.markDataset(p.id, 'PT002', { state: 'idle', lastError: null });
    expect(peers.cursors(p.id)[0]!).toMatchObject({ lastError: null, lastErrorReason: null });

    // A reason this version does not know (a newer one wrote it) reads as the general sentence.
    store.db.prepare(`UPDATE receiver_runs SET error_reason = '{"reason":"peer.from_the_future"}' WHERE ok = 0`).run();
    expect(peers.runs(p.id, 10)[1]!.errorReason).toEqual({ reason: 'peer.last_failed' });
    store.close();
  });
});
