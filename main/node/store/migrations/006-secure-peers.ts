import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

/**
 * Secure peers: the devices paired with this sender (each with its own token, stored hashed, and
 * the certificate it presented), and on the receiver side the pinned certificate of each peer.
 *
 * An install that ran before pairing existed keeps working as it did: its shared token and plain
 * HTTP on loopback stay on (new installs start with both off), so the URL + token peers it already
 * has on this machine go on syncing; over the LAN those peers are asked to pair instead.
 */
export const m006SecurePeers: Migration = {
  version: 6,
  name: 'secure-peers',
  up: (db: Database) => {
    db.exec(`
      CREATE TABLE sender_devices (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        -- SHA-256 (hex) of the client certificate presented while pairing; every request must present it again.
        fingerprint  TEXT NOT NULL,
        -- SHA-256 (hex) of the device's token: the token itself is never stored on this side.
        token_hash   TEXT NOT NULL UNIQUE,
        paired_at    INTEGER NOT NULL,
        last_seen    INTEGER,
        last_address TEXT,
        requests     INTEGER NOT NULL DEFAULT 0,
        revoked_at   INTEGER
      ) STRICT;

      -- The sender's certificate fingerprint pinned when pairing; NULL for a peer added by URL + token.
      ALTER TABLE receiver_peers ADD COLUMN fingerprint TEXT;
      ALTER TABLE receiver_peers ADD COLUMN paired_at INTEGER;
    `);
    const existing = db.prepare("SELECT 1 FROM sender_state WHERE key = 'token'").get();
    if (!existing) return;
    const row = db.prepare("SELECT value FROM sender_state WHERE key = 'config'").pluck(true).get() as string | undefined;
    let config: Record<string, unknown> = {};
    try {
      const v: unknown = row === undefined ? {} : JSON.parse(row);
      if (v && typeof v === 'object' && !Array.isArray(v)) config = v as Record<string, unknown>;
    } catch {
      // a broken stored config is reported (and replaced by defaults) by SenderConfigStore
    }
    // Only the value changes: updated_at still says when a person last changed the config.
    db.prepare(
      `INSERT INTO sender_state (key, value, updated_at) VALUES ('config', ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    ).run(JSON.stringify({ ...config, legacyToken: true, loopbackHttp: true }), Date.now());
  },
};
