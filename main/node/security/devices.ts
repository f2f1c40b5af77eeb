import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PairedDevice } from '../../../preload/contract/pairing.js';
import { nodeIdOf } from './node-id.js';
import type { Db } from '../store/db.js';

interface DeviceRow {
  id: string;
  name: string;
  fingerprint: string;
  token_hash: string;
  paired_at: number;
  last_seen: number | null;
  last_address: string | null;
  requests: number;
  revoked_at: number | null;
}

export interface Device {
  id: string;
  name: string;
  fingerprint: string;
  revoked: boolean;
}

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const FLUSH_MS = 1_000;

/**
 * The devices paired with this sender (migration 006). Each has its own random token, of which
 * only a SHA-256 is kept: the token is 256 random bits, so a fast hash is as strong as a slow one,
 * and a lookup by hash leaks nothing about a token's characters (no constant-time compare needed).
 * Revoking drops the device from the in-memory index, so its next request is refused at once.
 * Last seen, address and request counts live in memory and reach SQLite once a second.
 */
export class DeviceStore {
  private byHash = new Map<string, Device>();
  private readonly seen = new Map<string, { at: number; address: string; requests: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {
    for (const r of this.rows()) {
      this.byHash.set(r.token_hash, { id: r.id, name: r.name, fingerprint: r.fingerprint, revoked: r.revoked_at !== null });
    }
  }

  /** A new device and its token (returned once, to be sealed to the pairing exchange). */
  add(d: { name: string; fingerprint: string }, now = Date.now()): { device: Device; token: string } {
    const token = `csn_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const hash = hashOf(token);
    this.db
      .prepare('INSERT INTO sender_devices (id, name, fingerprint, token_hash, paired_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, d.name, d.fingerprint, hash, now);
    const device = { id, name: d.name, fingerprint: d.fingerprint, revoked: false };
    this.byHash.set(hash, device);
    return { device, token };
  }

  /** The device a presented token belongs to (revoked ones too, so the refusal can say why). */
  byToken(token: string | undefined): Device | undefined {
    return token ? this.byHash.get(hashOf(token)) : undefined;
  }

  revoke(id: string, now = Date.now()): boolean {
    const changed =
      this.db.prepare('UPDATE sender_devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
    if (changed) for (const d of this.byHash.values()) if (d.id === id) d.revoked = true;
    return changed;
  }

  /** Counts a request of a device (flushed to SQLite within a second). */
  touch(id: string, address: string, at = Date.now()): void {
    const s = this.seen.get(id);
    if (s) {
      s.at = at;
      s.address = address;
      s.requests += 1;
    } else this.seen.set(id, { at, address, requests: 1 });
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  list(): PairedDevice[] {
    this.flush();
    return this.rows().map((r) => ({
      id: r.id,
      name: r.name,
      nodeId: nodeIdOf(r.fingerprint),
      fingerprint: r.fingerprint,
      pairedAt: r.paired_at,
      lastSeen: r.last_seen,
      lastAddress: r.last_address,
      requests: r.requests,
      revokedAt: r.revoked_at,
    }));
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.seen.size === 0 || !this.db.open) return;
    const update = this.db.prepare('UPDATE sender_devices SET last_seen = ?, last_address = ?, requests = requests + ? WHERE id = ?');
    this.db.transaction(() => {
      for (const [id, s] of this.seen) update.run(s.at, s.address, s.requests, id);
    })();
    this.seen.clear();
  }

  private rows(): DeviceRow[] {
    return this.db.prepare('SELECT * FROM sender_devices ORDER BY paired_at DESC').all() as DeviceRow[];
  }
}
