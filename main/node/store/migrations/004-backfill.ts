import type { Migration } from './migration.js';

/**
 * Backfill: jobs and their pages. A page is one request's worth of bars for one coin; its state
 * is the retry queue too (failed + attempts + last error + next try). Local to this node, never
 * synced: what a peer needs is the data, and the missing list it computes from its own pages.
 */
export const m004Backfill: Migration = {
  version: 4,
  name: 'backfill',
  up: `
    CREATE TABLE backfill_jobs (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      bar          TEXT NOT NULL,
      from_ts      INTEGER NOT NULL,
      to_ts        INTEGER NOT NULL,
      coins        TEXT NOT NULL,          -- JSON array, in the order asked
      list_times   TEXT NOT NULL,          -- JSON {coin: list time ms | null} known at creation
      state        TEXT NOT NULL,          -- running | stopping | stopped | interrupted | done
      created_at   INTEGER NOT NULL,
      finished_at  INTEGER,
      active_ms    INTEGER NOT NULL DEFAULT 0,
      bars         INTEGER NOT NULL DEFAULT 0,
      rows_written INTEGER NOT NULL DEFAULT 0,
      requests     INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE backfill_pages (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      job_id      INTEGER NOT NULL REFERENCES backfill_jobs(id) ON DELETE CASCADE,
      coin        TEXT NOT NULL,
      start_ts    INTEGER NOT NULL,        -- first bar open in the page
      end_ts      INTEGER NOT NULL,        -- exclusive
      state       TEXT NOT NULL,           -- pending | done | failed
      attempts    INTEGER NOT NULL DEFAULT 0,
      last_error  TEXT,
      next_try_at INTEGER,                 -- failed only; NULL = parked (no more automatic retries)
      gap_sig     TEXT,                    -- bars missing in the last answer, to confirm a real gap
      endpoint    TEXT,
      bars        INTEGER NOT NULL DEFAULT 0,
      no_candle   INTEGER NOT NULL DEFAULT 0,
      done_at     INTEGER
    ) STRICT;
    CREATE INDEX backfill_pages_job ON backfill_pages(job_id, state);
    CREATE INDEX backfill_pages_coin ON backfill_pages(coin, start_ts);
  `,
};
