import type { Migration } from './migration.js';

/** Core tables: node metadata, settings, the coin catalog, live ticks, grid prices, baselines. */
export const m001Init: Migration = {
  version: 1,
  name: 'init',
  up: `
    CREATE TABLE meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE settings (
      key        TEXT PRIMARY KEY,
      value      TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    -- Known coins and what the exchange says of them; the selected list lives in settings.
    CREATE TABLE coins (
      symbol     TEXT PRIMARY KEY,
      inst_id    TEXT NOT NULL UNIQUE,
      list_time  INTEGER,
      state      TEXT NOT NULL DEFAULT 'unknown',
      updated_at INTEGER NOT NULL
    ) STRICT;

    -- PT001: latest tick per coin, upserted in place.
    CREATE TABLE ticks (
      coin       TEXT PRIMARY KEY,
      price      REAL NOT NULL,
      ts         INTEGER NOT NULL,
      source     TEXT NOT NULL,
      baseline   REAL,
      change_pct REAL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX ticks_seq ON ticks(seq);

    -- PT002: price at each 30-minute grid point (open of the candle starting at ts).
    CREATE TABLE grid_prices (
      coin       TEXT NOT NULL,
      ts         INTEGER NOT NULL,
      price      REAL NOT NULL,
      baseline   REAL,
      change_pct REAL,
      source     TEXT NOT NULL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (coin, ts)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX grid_prices_seq ON grid_prices(seq);
    CREATE INDEX grid_prices_ts ON grid_prices(ts);

    -- PB001: the 00:00 UTC+8 price of each day per coin, with that day's high and low.
    CREATE TABLE baselines (
      coin       TEXT NOT NULL,
      day        TEXT NOT NULL,
      price      REAL NOT NULL,
      high       REAL,
      low        REAL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (coin, day)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX baselines_seq ON baselines(seq);
  `,
};
