import type { Migration } from './migration.js';

/** Market data: price speed, 30-minute candles, collector bookkeeping (filled by the market-data work). */
export const m002Market: Migration = {
  version: 2,
  name: 'market',
  up: `
    -- PS001: change over the last 1 / 5 / 15 minutes per coin, the latest only (upserted in place).
    CREATE TABLE price_speed (
      coin       TEXT PRIMARY KEY,
      price      REAL NOT NULL,
      chg_1m     REAL,
      chg_5m     REAL,
      chg_15m    REAL,
      ts         INTEGER NOT NULL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX price_speed_seq ON price_speed(seq);

    -- KL030: exchange candles per coin and bar ('30m' for the grid); confirm 1 = the bar is closed.
    CREATE TABLE candles (
      coin          TEXT NOT NULL,
      bar           TEXT NOT NULL,
      ts            INTEGER NOT NULL,
      open          REAL NOT NULL,
      high          REAL NOT NULL,
      low           REAL NOT NULL,
      close         REAL NOT NULL,
      vol           REAL,
      vol_ccy       REAL,
      vol_ccy_quote REAL,
      confirm       INTEGER NOT NULL,
      seq           INTEGER NOT NULL,
      origin        TEXT NOT NULL,
      updated_at    INTEGER NOT NULL,
      PRIMARY KEY (coin, bar, ts)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX candles_seq ON candles(seq);
    CREATE INDEX candles_ts ON candles(bar, ts);

    -- Collector bookkeeping that must survive a restart (e.g. the last grid point seen per stream,
    -- outage windows still to repair). Local to this node, never synced.
    CREATE TABLE collector_state (
      key        TEXT PRIMARY KEY,
      value      TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
  `,
};
