/**
 * One entry per migration, keyed by its version: the objects it creates (exactly) and
 * representative rows for every table it creates. tests/unit/store-migration-steps.test.ts builds
 * a database of each version before, fills it with the rows of all earlier entries, runs the step
 * and checks that those rows survived, that the step created what its entry says and that the new
 * tables take the entry's rows. A migration without an entry fails that test.
 *
 * Rows are what the node really writes: epoch-ms times, UTC+8 day strings, NULL where the column
 * allows it, a Chinese name, prices with many decimals.
 */
import { expect } from 'vitest';
import type Database from 'better-sqlite3';
import type { Row } from '../helpers/old-database.js';

export interface MigrationFixture {
  /** Exactly what the step adds: new tables, new columns (`table.column`) and new indexes. */
  creates: { tables?: string[]; columns?: string[]; indexes?: string[] };
  /** Rows for each table the step creates (every one of them), inserted once the step has run. */
  rows: Record<string, Row[]>;
  /** Old columns (`table.column`) whose values the step rewrites on purpose; `check` must then say how. */
  rewrites?: string[];
  /** What else must hold after the step: a migration that rewrites data checks the result here. */
  check?: (db: Database.Database) => void;
}

const T = Date.UTC(2026, 0, 15, 16, 0); // 00:00 UTC+8 on 2026-01-16
const HALF = 1_800_000;
const ORIGIN = '6f1c2a9e-0b7d-4c55-9a43-2f0d5b8e7c11';
const PEER = 'a3c1e0f2-5d4b-4e8a-9b7c-1d2e3f405162';

export const migrationFixtures: Record<number, MigrationFixture> = {
  1: {
    creates: {
      tables: ['baselines', 'coins', 'grid_prices', 'meta', 'settings', 'ticks'],
      // sqlite_autoindex_coins_2: the UNIQUE constraint on coins.inst_id.
      indexes: ['baselines_seq', 'grid_prices_seq', 'grid_prices_ts', 'sqlite_autoindex_coins_2', 'ticks_seq'],
    },
    rows: {
      meta: [
        { key: 'node_id', value: ORIGIN },
        { key: 'seq', value: '7' },
      ],
      settings: [
        { key: 'coins', value: '["BTC","ETH","SOL"]', updated_at: T },
        { key: 'nodeName', value: '"交易室 2"', updated_at: T + 1 },
      ],
      coins: [
        { symbol: 'BTC', inst_id: 'BTC-USDT-SWAP', list_time: 1_573_557_408_000, state: 'live', updated_at: T },
        { symbol: 'NEWC', inst_id: 'NEWC-USDT-SWAP', list_time: null, state: 'unknown', updated_at: T },
      ],
      ticks: [
        {
          coin: 'BTC',
          price: 97_123.45,
          ts: T + 61_000,
          source: 'ws',
          baseline: 96_000.1,
          change_pct: 1.16995,
          seq: 1,
          origin: ORIGIN,
          updated_at: T,
        },
        {
          coin: 'ETH',
          price: 3_333.3333,
          ts: T + 62_000,
          source: 'rest',
          baseline: null,
          change_pct: null,
          seq: 2,
          origin: ORIGIN,
          updated_at: T,
        },
      ],
      grid_prices: [
        { coin: 'BTC', ts: T, price: 96_000.1, baseline: 96_000.1, change_pct: 0, source: 'ws', seq: 3, origin: ORIGIN, updated_at: T },
        {
          coin: 'BTC',
          ts: T + HALF,
          price: 95_500,
          baseline: 96_000.1,
          change_pct: -0.5209,
          source: 'backfill',
          seq: 4,
          origin: PEER,
          updated_at: T + 5,
        },
        {
          coin: 'SOL',
          ts: T + HALF,
          price: 0.000123456789,
          baseline: null,
          change_pct: null,
          source: 'backfill',
          seq: 5,
          origin: ORIGIN,
          updated_at: T,
        },
      ],
      baselines: [
        { coin: 'BTC', day: '2026-01-16', price: 96_000.1, high: 97_500, low: 95_100.25, seq: 6, origin: ORIGIN, updated_at: T },
        { coin: 'ETH', day: '2026-01-16', price: 3_300, high: null, low: null, seq: 7, origin: PEER, updated_at: T },
      ],
    },
  },
  2: {
    creates: { tables: ['candles', 'collector_state', 'price_speed'], indexes: ['candles_seq', 'candles_ts', 'price_speed_seq'] },
    rows: {
      price_speed: [
        { coin: 'BTC', price: 97_123.45, chg_1m: 0.01, chg_5m: null, chg_15m: -0.2, ts: T + 61_000, seq: 8, origin: ORIGIN, updated_at: T },
      ],
      candles: [
        {
          coin: 'BTC',
          bar: '30m',
          ts: T,
          open: 96_000.1,
          high: 96_400,
          low: 95_900,
          close: 96_350.5,
          vol: 1234.5,
          vol_ccy: 12.345,
          vol_ccy_quote: 1_187_654.3,
          confirm: 1,
          seq: 9,
          origin: ORIGIN,
          updated_at: T,
        },
        {
          coin: 'BTC',
          bar: '30m',
          ts: T + HALF,
          open: 96_350.5,
          high: 96_351,
          low: 96_300,
          close: 96_320,
          vol: null,
          vol_ccy: null,
          vol_ccy_quote: null,
          confirm: 0,
          seq: 10,
          origin: ORIGIN,
          updated_at: T,
        },
      ],
      collector_state: [{ key: 'repaired:BTC', value: String(T + HALF), updated_at: T }],
    },
  },
  3: {
    creates: { tables: ['sender_counters', 'sender_requests', 'sender_state'] },
    rows: {
      sender_state: [
        { key: 'config', value: '{"lanEnabled":true,"port":17411}', updated_at: T },
        { key: 'token', value: 'k'.repeat(43), updated_at: T },
      ],
      sender_requests: [
        {
          id: 1,
          ts: T,
          client: '192.168.1.20',
          method: 'GET',
          path: '/api/data-sync/sender/data/PT002?since=0',
          dataset: 'PT002',
          status: 200,
          rows: 5000,
          bytes: 812_345,
          duration_ms: 12.5,
          error: null,
        },
        {
          id: 2,
          ts: T + 1,
          client: '::1',
          method: 'GET',
          path: '/x',
          dataset: null,
          status: 401,
          rows: 0,
          bytes: 90,
          duration_ms: 0.4,
          error: 'bad token',
        },
      ],
      sender_counters: [{ dataset: '*', requests: 2, ok: 1, failed: 1, rows: 5000, bytes: 812_435, last_ts: T + 1 }],
    },
  },
  4: {
    creates: { tables: ['backfill_jobs', 'backfill_pages'], indexes: ['backfill_pages_coin', 'backfill_pages_job'] },
    rows: {
      backfill_jobs: [
        {
          id: 1,
          bar: '30m',
          from_ts: T - 14 * 86_400_000,
          to_ts: T,
          coins: '["BTC","ETH"]',
          list_times: '{"BTC":1573557408000,"ETH":null}',
          state: 'interrupted',
          created_at: T,
          finished_at: null,
          active_ms: 4_200,
          bars: 96,
          rows_written: 96,
          requests: 3,
        },
      ],
      backfill_pages: [
        {
          id: 1,
          job_id: 1,
          coin: 'BTC',
          start_ts: T - HALF * 100,
          end_ts: T,
          state: 'done',
          attempts: 1,
          last_error: null,
          next_try_at: null,
          gap_sig: null,
          endpoint: 'candles',
          bars: 100,
          no_candle: 0,
          done_at: T,
        },
        {
          id: 2,
          job_id: 1,
          coin: 'ETH',
          start_ts: T - HALF * 100,
          end_ts: T,
          state: 'failed',
          attempts: 3,
          last_error: 'OKX 50011: too many requests',
          next_try_at: T + 60_000,
          gap_sig: '1768492800000',
          endpoint: 'history-candles',
          bars: 0,
          no_candle: 0,
          done_at: null,
        },
      ],
    },
  },
  5: {
    creates: { tables: ['receiver_cursors', 'receiver_peers', 'receiver_runs', 'receiver_state'], indexes: ['receiver_runs_peer'] },
    rows: {
      receiver_peers: [
        {
          id: 'p1',
          name: '办公室 Mac',
          url: 'http://192.168.1.20:17411',
          token: 't'.repeat(43),
          interval_sec: 60,
          priority: 1,
          enabled: 1,
          datasets: null,
          node_id: PEER,
          state: 'auth_failed',
          last_error: 'The peer refused the token.',
          failures: 2,
          last_seen: T,
          created_at: T,
          updated_at: T,
        },
      ],
      receiver_cursors: [
        {
          peer_id: 'p1',
          code: 'PT002',
          cursor: 5000,
          peer_max_seq: 9000,
          last_sync: T,
          rows_in: 5000,
          rows_inserted: 4990,
          rows_updated: 10,
          last_error: null,
          state: 'idle',
        },
      ],
      receiver_runs: [
        {
          id: 1,
          peer_id: 'p1',
          started_at: T,
          duration_ms: 812,
          trigger: 'auto',
          datasets: '["PT002"]',
          pages: 1,
          rows_in: 5000,
          rows_inserted: 4990,
          rows_updated: 10,
          ok: 1,
          error: null,
        },
      ],
      receiver_state: [{ key: 'config', value: '{"autoSync":true,"pausedUntil":null,"discovery":true}', updated_at: T }],
    },
  },
  6: {
    creates: {
      tables: ['sender_devices'],
      columns: ['receiver_peers.fingerprint', 'receiver_peers.paired_at'],
      // The UNIQUE token hash (the primary key's index is the table's own).
      indexes: ['sqlite_autoindex_sender_devices_2'],
    },
    rows: {
      sender_devices: [
        {
          id: 'd1',
          name: '交易室 2',
          fingerprint: 'dd4cbe2dd5a1f0649d132809653b9ff982a894055c4209817dd21bab36189ebc',
          token_hash: 'a'.repeat(64),
          paired_at: T,
          last_seen: T + 5_000,
          last_address: '::ffff:192.168.1.21',
          requests: 42,
          revoked_at: null,
        },
        {
          id: 'd2',
          name: 'Laptop',
          fingerprint: 'b'.repeat(64),
          token_hash: 'c'.repeat(64),
          paired_at: T,
          last_seen: null,
          last_address: null,
          requests: 0,
          revoked_at: T + 9_000,
        },
      ],
    },
    // An install from before pairing (it has a shared token) keeps its shared token and plain
    // HTTP on loopback on, so its URL + token peers on this machine keep syncing.
    rewrites: ['sender_state.value'],
    check: (db) => {
      const config = JSON.parse(db.prepare("SELECT value FROM sender_state WHERE key = 'config'").pluck(true).get() as string) as object;
      if (JSON.stringify(config) !== JSON.stringify({ lanEnabled: true, port: 17411, legacyToken: true, loopbackHttp: true })) {
        throw new Error(`sender config after migration 6: ${JSON.stringify(config)}`);
      }
      const peer = db.prepare("SELECT fingerprint, paired_at FROM receiver_peers WHERE id = 'p1'").get();
      if (JSON.stringify(peer) !== JSON.stringify({ fingerprint: null, paired_at: null })) throw new Error('old peers start unpaired');
    },
  },
  7: {
    // Only an index: the candles rows of migration 2 survive unchanged and stay readable per bar.
    creates: { indexes: ['candles_bar_seq'] },
    rows: {},
    check: (db) => {
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT seq FROM candles WHERE bar = '30m' AND seq > 0 ORDER BY seq").all() as {
        detail: string;
      }[];
      if (!plan.some((p) => p.detail.includes('candles_bar_seq')))
        throw new Error(`per-bar page read does not use candles_bar_seq: ${JSON.stringify(plan)}`);
    },
  },
  8: {
    creates: {
      tables: ['funding_rates', 'liquidations', 'mark_prices', 'open_interest', 'order_books', 'swap_tickers'],
      indexes: [
        'funding_rates_seq',
        'liquidations_seq',
        'liquidations_ts',
        'mark_prices_seq',
        'mark_prices_ts',
        'open_interest_seq',
        'open_interest_ts',
        'order_books_seq',
        'swap_tickers_seq',
      ],
    },
    rows: {
      mark_prices: [{ coin: 'BTC', ts: T, mark_px: 97_123.456789, px_ts: T + 59_912, seq: 30, origin: ORIGIN, updated_at: T + 60_000 }],
      funding_rates: [
        { coin: 'BTC', funding_time: T, funding_rate: 0.000101234, realized_rate: 0.0000998, seq: 31, origin: ORIGIN, updated_at: T },
        { coin: 'BTC', funding_time: T + 28_800_000, funding_rate: -0.00002, realized_rate: null, seq: 32, origin: PEER, updated_at: T },
      ],
      open_interest: [
        { coin: 'ETH', ts: T, oi: 2_663_107.299, oi_ccy: 26_631.073, oi_usd: 1_676_426_045.35, seq: 33, origin: ORIGIN, updated_at: T },
        { coin: 'TAO', ts: T + 300_000, oi: 12, oi_ccy: null, oi_usd: null, seq: 34, origin: ORIGIN, updated_at: T },
      ],
      order_books: [
        {
          coin: 'BTC',
          ts: T + 1_234,
          bids: '[[97123.4,12.5],[97123.3,1]]',
          asks: '[[97123.5,3],[97123.6,0.01]]',
          seq: 35,
          origin: ORIGIN,
          updated_at: T + 1_300,
        },
      ],
      liquidations: [
        { coin: 'SOL', ts: T + 5_000, side: 'buy', px: 181.3, sz: 2, pos_side: null, bk_loss: null, seq: 37, origin: PEER, updated_at: T },
        {
          coin: 'SOL',
          ts: T + 5_000,
          side: 'sell',
          px: 181.23,
          sz: 40,
          pos_side: 'long',
          bk_loss: 0,
          seq: 36,
          origin: ORIGIN,
          updated_at: T,
        },
      ],
      swap_tickers: [
        {
          inst_id: 'WNCG-USDT-SWAP',
          last: 2.1729,
          open24h: 2.1,
          high24h: 2.2,
          low24h: 2.05,
          vol24h: 644_195,
          vol_ccy24h: 644_195,
          sod_utc0: 2.11,
          sod_utc8: null,
          ts: T + 9_000,
          seq: 38,
          origin: ORIGIN,
          updated_at: T + 9_000,
        },
      ],
    },
  },
  9: {
    creates: {
      tables: ['backfill_disputes', 'source_records'],
      columns: ['backfill_jobs.saved_requests', 'backfill_pages.saved', 'backfill_pages.served_by', 'backfill_pages.source'],
    },
    rows: {
      source_records: [
        {
          peer_id: 'p1',
          name: '书房 NAS',
          pages: 12,
          refusals: 1,
          disagreements: 0,
          last_refusal: 'checksum',
          last_refusal_at: T,
          updated_at: T,
        },
        {
          peer_id: 'p2',
          name: 'Laptop',
          pages: 0,
          refusals: 0,
          disagreements: 0,
          last_refusal: null,
          last_refusal_at: null,
          updated_at: T,
        },
      ],
      backfill_disputes: [
        {
          coin: 'BTC',
          bar: '30m',
          ts: T + HALF,
          a_source: 'exchange',
          a_open: 97_123.456789,
          b_source: 'p1',
          b_open: 97_124.1,
          state: 'decided',
          decided_by: 'www.okx.com',
          decided_open: 97_123.456789,
          wrong_source: 'p1',
          created_at: T,
          decided_at: T + 1_000,
        },
        {
          coin: 'ETH',
          bar: '30m',
          ts: T,
          a_source: 'p1',
          a_open: 3_312.5,
          b_source: 'p2',
          b_open: 3_312.51,
          state: 'open',
          decided_by: null,
          decided_open: null,
          wrong_source: null,
          created_at: T,
          decided_at: null,
        },
      ],
    },
  },
  10: {
    creates: { indexes: ['backfill_disputes_created'] },
    rows: {},
  },
  11: {
    creates: {
      columns: [
        'receiver_cursors.last_error_reason',
        'receiver_peers.last_error_reason',
        'receiver_runs.error_reason',
        'source_records.last_refusal_reason',
      ],
    },
    rows: {},
    // Rows from before hold no reason (the UI falls back to their text); a new one holds its JSON.
    check(db) {
      expect(db.prepare('SELECT COUNT(*) FROM source_records WHERE last_refusal_reason IS NOT NULL').pluck().get()).toBe(0);
      const why = JSON.stringify({ reason: 'source.checksum', params: { name: '书房 NAS' } });
      db.prepare("UPDATE source_records SET last_refusal_reason = ? WHERE peer_id = 'p1'").run(why);
      expect(db.prepare("SELECT last_refusal_reason FROM source_records WHERE peer_id = 'p1'").pluck().get()).toBe(why);
    },
  },
};
