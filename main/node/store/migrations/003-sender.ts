import type { Migration } from './migration.js';

/** Sender: its state (config, token), the request log ring and counters that survive restarts. */
export const m003Sender: Migration = {
  version: 3,
  name: 'sender',
  up: `
    -- 'config' (JSON, validated by SenderConfigSchema on load) and 'token' (the bearer token).
    CREATE TABLE sender_state (
      key        TEXT PRIMARY KEY,
      value      TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    -- A bounded ring: the writer deletes everything older than the newest N entries.
    CREATE TABLE sender_requests (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      ts          INTEGER NOT NULL,
      client      TEXT NOT NULL,
      method      TEXT NOT NULL,
      path        TEXT NOT NULL,
      dataset     TEXT,
      status      INTEGER NOT NULL,
      rows        INTEGER NOT NULL,
      bytes       INTEGER NOT NULL,
      duration_ms REAL NOT NULL,
      error       TEXT
    ) STRICT;

    -- One row per dataset code, plus '*' for every request the sender answered.
    CREATE TABLE sender_counters (
      dataset  TEXT PRIMARY KEY,
      requests INTEGER NOT NULL DEFAULT 0,
      ok       INTEGER NOT NULL DEFAULT 0,
      failed   INTEGER NOT NULL DEFAULT 0,
      rows     INTEGER NOT NULL DEFAULT 0,
      bytes    INTEGER NOT NULL DEFAULT 0,
      last_ts  INTEGER
    ) STRICT;
  `,
};
