import type { Migration } from './migration.js';

/** Receiver: peers, per-(peer, dataset) cursors and state, run history, receiver config. */
export const m005Receiver: Migration = {
  version: 5,
  name: 'receiver',
  up: `
    CREATE TABLE receiver_peers (
      id           TEXT PRIMARY KEY,
      name         TEXT NOT NULL,
      url          TEXT NOT NULL,
      token        TEXT NOT NULL,
      interval_sec INTEGER NOT NULL,
      priority     INTEGER NOT NULL,
      enabled      INTEGER NOT NULL,
      -- JSON array of dataset codes, or NULL for every syncable dataset both nodes know.
      datasets     TEXT,
      -- The peer's node id as last seen: a different one means a new database behind the same URL.
      node_id      TEXT,
      -- Kept so a refused token is still shown (and not retried on its own) after a restart.
      state        TEXT NOT NULL DEFAULT 'idle',
      last_error   TEXT,
      failures     INTEGER NOT NULL DEFAULT 0,
      last_seen    INTEGER,
      created_at   INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    ) STRICT;

    -- The cursor is written in the same transaction as the rows it covers.
    CREATE TABLE receiver_cursors (
      peer_id       TEXT NOT NULL REFERENCES receiver_peers(id) ON DELETE CASCADE,
      code          TEXT NOT NULL,
      cursor        INTEGER NOT NULL DEFAULT 0,
      peer_max_seq  INTEGER NOT NULL DEFAULT 0,
      last_sync     INTEGER,
      rows_in       INTEGER NOT NULL DEFAULT 0,
      rows_inserted INTEGER NOT NULL DEFAULT 0,
      rows_updated  INTEGER NOT NULL DEFAULT 0,
      last_error    TEXT,
      state         TEXT NOT NULL DEFAULT 'idle',
      PRIMARY KEY (peer_id, code)
    ) STRICT;

    -- The last 100 runs per peer (the writer trims older ones).
    CREATE TABLE receiver_runs (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      peer_id       TEXT NOT NULL REFERENCES receiver_peers(id) ON DELETE CASCADE,
      started_at    INTEGER NOT NULL,
      duration_ms   INTEGER NOT NULL,
      trigger       TEXT NOT NULL,
      datasets      TEXT NOT NULL,
      pages         INTEGER NOT NULL,
      rows_in       INTEGER NOT NULL,
      rows_inserted INTEGER NOT NULL,
      rows_updated  INTEGER NOT NULL,
      ok            INTEGER NOT NULL,
      error         TEXT
    ) STRICT;
    CREATE INDEX receiver_runs_peer ON receiver_runs(peer_id, id);

    -- 'config': JSON {autoSync, pausedUntil, discovery}.
    CREATE TABLE receiver_state (
      key        TEXT PRIMARY KEY,
      value      TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
  `,
};
