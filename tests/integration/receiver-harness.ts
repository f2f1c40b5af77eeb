import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Store } from '../../main/node/store/store.js';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';

export interface SyncNodeProc extends HeadlessNode {
  dir: string;
  senderUrl: string;
  senderToken: string;
  senderPort: number;
}

const GRID_COLS = 'coin, ts, price, baseline, change_pct, source, origin, updated_at';

/**
 * A built headless node on loopback with its own data folder, sender on a free port (or `port`
 * to come back on the same address after a restart), and no live collection.
 */
export async function startNode(dir = tempDataDir('csn-recv-'), port = 0): Promise<SyncNodeProc> {
  const n = await startHeadless({ dataDir: dir, args: ['--sender-port', String(port), '--no-collect'] });
  const view = await n.call('sender.config.get', {});
  if (view.status !== 200 || !view.body.value.listening) throw new Error(`sender not listening: ${JSON.stringify(view.body)}`);
  const url: string = view.body.value.listening.url;
  return { ...n, dir, senderUrl: url, senderToken: view.body.value.token, senderPort: Number(new URL(url).port) };
}

/**
 * Writes grid rows into a STOPPED node's data folder with the node's own Store (so seq, origin and
 * updated_at are assigned exactly as the node would). `updatedAt` lets a test write old rows.
 */
export function seedGrid(dir: string, rows: (string | number | null)[][], updatedAt = Date.now()): { nodeId: string; maxSeq: number } {
  const store = Store.open(dir);
  try {
    const CHUNK = 50_000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      store.write(() => store.tables.grid_prices.upsertLocal(rows.slice(i, i + CHUNK), store.nodeId, updatedAt));
    }
    return { nodeId: store.nodeId, maxSeq: store.seq.value };
  } finally {
    store.close();
  }
}

/** `n` grid rows: coins `${prefix}0..` × 30-minute steps from a fixed day. */
export function gridRows(prefix: string, coins: number, steps: number, price = 100): (string | number | null)[][] {
  const t0 = Date.UTC(2025, 0, 1);
  const out: (string | number | null)[][] = [];
  for (let c = 0; c < coins; c++) {
    for (let s = 0; s < steps; s++) out.push([`${prefix}${c}`, t0 + s * 1_800_000, price + s + c / 100, price, s / 10, 'test']);
  }
  return out;
}

/** Every grid row of a data folder (readonly; safe while the node runs, thanks to WAL). */
export function gridOf(dir: string): string[] {
  const db = new Database(path.join(dir, findDb(dir)), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT ${GRID_COLS} FROM grid_prices ORDER BY coin, ts`).raw(true).all() as unknown[][]).map((r) =>
      JSON.stringify(r),
    );
  } finally {
    db.close();
  }
}

export function gridCount(dir: string): number {
  const db = new Database(path.join(dir, findDb(dir)), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM grid_prices').pluck(true).get() as number;
  } finally {
    db.close();
  }
}

function findDb(dir: string): string {
  const f = fs.readdirSync(dir).find((n) => n.endsWith('.sqlite') || n.endsWith('.db'));
  if (!f) throw new Error(`no database in ${dir}`);
  return f;
}

/**
 * Makes `sender` a peer of `receiver` the way a person does: a pairing code opened on the sender,
 * typed into the receiver (`peers.pair`), which pins the sender's certificate and gets its own
 * token. `extra` then edits the peer (interval 1 s unless given).
 */
export async function addPeer(receiver: HeadlessNode, sender: SyncNodeProc, extra: Record<string, unknown> = {}): Promise<string> {
  const opened = await sender.call('pairing.start', {});
  if (opened.status !== 200) throw new Error(`pairing.start failed: ${JSON.stringify(opened.body)}`);
  const r = await receiver.call('peers.pair', { url: sender.senderUrl, code: opened.body.value.code, name: `peer-${sender.senderPort}` });
  if (r.status !== 200) throw new Error(`peers.pair failed: ${JSON.stringify(r.body)}`);
  const id = r.body.value.peer.id as string;
  const u = await receiver.call('peers.update', { id, patch: { intervalSec: 1, ...extra } });
  if (u.status !== 200) throw new Error(`peers.update failed: ${JSON.stringify(u.body)}`);
  return id;
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
