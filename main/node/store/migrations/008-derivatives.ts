import type { Migration } from './migration.js';

/**
 * Derivatives data (issue 14): mark price, funding, open interest, top-5 book, liquidations and the
 * 24 h tickers of every swap. Each is a syncable table (seq, origin, updated_at) behind a dataset.
 */
export const m008Derivatives: Migration = {
  version: 8,
  name: 'derivatives',
  up: `
    -- MP001: mark price per coin and minute (ts = minute open); the row of the newest minute is the
    -- latest price, rewritten while that minute runs. px_ts = the exchange's time of the value.
    CREATE TABLE mark_prices (
      coin       TEXT NOT NULL,
      ts         INTEGER NOT NULL,
      mark_px    REAL NOT NULL,
      px_ts      INTEGER NOT NULL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (coin, ts)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX mark_prices_seq ON mark_prices(seq);
    CREATE INDEX mark_prices_ts ON mark_prices(ts);

    -- FR001: funding per coin and settlement time. The upcoming settlement carries the forecast
    -- (realized_rate NULL); a settled one carries the rate actually charged.
    CREATE TABLE funding_rates (
      coin          TEXT NOT NULL,
      funding_time  INTEGER NOT NULL,
      funding_rate  REAL NOT NULL,
      realized_rate REAL,
      seq           INTEGER NOT NULL,
      origin        TEXT NOT NULL,
      updated_at    INTEGER NOT NULL,
      PRIMARY KEY (coin, funding_time)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX funding_rates_seq ON funding_rates(seq);

    -- OI001: open interest per coin on a 5-minute grid (ts = bucket open, value = the last seen in it).
    CREATE TABLE open_interest (
      coin       TEXT NOT NULL,
      ts         INTEGER NOT NULL,
      oi         REAL NOT NULL,
      oi_ccy     REAL,
      oi_usd     REAL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (coin, ts)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX open_interest_seq ON open_interest(seq);
    CREATE INDEX open_interest_ts ON open_interest(ts);

    -- OB005: the top 5 of the book per coin, latest only; bids/asks are JSON [[px, sz], ...], best first.
    CREATE TABLE order_books (
      coin       TEXT PRIMARY KEY,
      ts         INTEGER NOT NULL,
      bids       TEXT NOT NULL,
      asks       TEXT NOT NULL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX order_books_seq ON order_books(seq);

    -- LQ001: liquidation orders (OKX sends no id on every push, so the values are the key).
    CREATE TABLE liquidations (
      coin       TEXT NOT NULL,
      ts         INTEGER NOT NULL,
      side       TEXT NOT NULL,
      px         REAL NOT NULL,
      sz         REAL NOT NULL,
      pos_side   TEXT,
      bk_loss    REAL,
      seq        INTEGER NOT NULL,
      origin     TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (coin, ts, side, px, sz)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX liquidations_seq ON liquidations(seq);
    CREATE INDEX liquidations_ts ON liquidations(ts);

    -- OKX001: the 24 h ticker of every USDT swap the exchange lists, latest only.
    CREATE TABLE swap_tickers (
      inst_id     TEXT PRIMARY KEY,
      last        REAL NOT NULL,
      open24h     REAL,
      high24h     REAL,
      low24h      REAL,
      vol24h      REAL,
      vol_ccy24h  REAL,
      sod_utc0    REAL,
      sod_utc8    REAL,
      ts          INTEGER NOT NULL,
      seq         INTEGER NOT NULL,
      origin      TEXT NOT NULL,
      updated_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX swap_tickers_seq ON swap_tickers(seq);
  `,
};
