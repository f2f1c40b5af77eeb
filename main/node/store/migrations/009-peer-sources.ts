import type { Migration } from './migration.js';

/**
 * Sources of backfill data besides the exchange (issue 12). A page records the source it was
 * planned for (a receiver peer's id; null = the exchange) and who served it in the end (a peer's
 * name or the exchange host), and how many exchange requests it saved. `source_records` keeps, per
 * peer, why its rows were last refused and how often its values disagreed with another source's;
 * `backfill_disputes` the cells two sources disagree on, with both values and the decision.
 * Local to this node, never synced.
 */
export const m009PeerSources: Migration = {
  version: 9,
  name: 'peer-sources',
  up: `
    ALTER TABLE backfill_pages ADD COLUMN source TEXT;
    ALTER TABLE backfill_pages ADD COLUMN served_by TEXT;
    ALTER TABLE backfill_pages ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE backfill_jobs ADD COLUMN saved_requests INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE source_records (
      peer_id        TEXT PRIMARY KEY,
      name           TEXT NOT NULL,
      pages          INTEGER NOT NULL DEFAULT 0,
      refusals       INTEGER NOT NULL DEFAULT 0,
      disagreements  INTEGER NOT NULL DEFAULT 0,
      last_refusal   TEXT,
      last_refusal_at INTEGER,
      updated_at     INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE backfill_disputes (
      coin        TEXT NOT NULL,
      bar         TEXT NOT NULL,
      ts          INTEGER NOT NULL,
      a_source    TEXT NOT NULL,
      a_open      REAL NOT NULL,
      b_source    TEXT NOT NULL,
      b_open      REAL NOT NULL,
      state       TEXT NOT NULL,            -- open | decided
      decided_by  TEXT,
      decided_open REAL,
      wrong_source TEXT,
      created_at  INTEGER NOT NULL,
      decided_at  INTEGER,
      PRIMARY KEY (coin, bar, ts)
    ) STRICT;
  `,
};
