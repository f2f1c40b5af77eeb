/**
 * EXPLAIN QUERY PLAN of every statement two real nodes prepare while they collect from the
 * simulator, backfill, answer every read screen and export, serve their sender and sync A → B.
 * The statements are captured as the node's own code prepares them (tests/helpers/query-plans.ts),
 * so a query changed in main/ is checked as it now is. Tables that grow with time or traffic may
 * only be searched through an index; a full scan of one fails with the line that prepared it.
 *
 * A new table counts as growing until it is listed in BOUNDED with the reason its size is bounded;
 * a scan that is cheap on purpose goes in ALLOWED_SCANS with the reason (each entry must still match).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { pinnedAgent } from '../../main/node/net/pinned-tls.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { LATEST_SCHEMA_VERSION } from '../../main/node/store/migrations/index.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { syncTableDefs } from '../../main/node/store/tables.js';
import { tempDataDir } from '../helpers/headless.js';
import { captureStatements, planOf, scansOf, showStatement, type CapturedStatement } from '../helpers/query-plans.js';
import { databaseAt, describeSchema } from '../helpers/schema.js';
import { call } from '../helpers/sim-node.js';

const COINS = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE'];

let captured: CapturedStatement[] = [];

beforeAll(async () => {
  const capture = captureStatements();
  const dirs = [tempDataDir('csn-plan-a-'), tempDataDir('csn-plan-b-')];
  let sim: Simulator | undefined;
  let a: SyncNode | undefined;
  let b: SyncNode | undefined;
  try {
    sim = createSimulator({});
    const urls = await sim.start(0);
    a = createNode({
      dataDir: dirs[0]!,
      mode: 'headless',
      version: 'test',
      exchange: urls,
      senderPort: 0,
      backfillRetry: { baseMs: 50, gapConfirmMs: 50 },
    });
    a.settings.update({ coins: COINS });
    await a.start();
    const to = dayStartOf(Date.now());
    const from = to - 2 * DAY_MS;
    const done = new Promise<void>((r) => a!.bus.on('backfill.finished', () => r()));
    await call(a, 'backfill.start', { from, to });
    await done;

    // Every read screen and export of node A.
    await call(a, 'market.sumSeries', { from: to - 30 * DAY_MS, to });
    await call(a, 'market.day', { date: new Date(from + 8 * 3_600_000).toISOString().slice(0, 10) });
    await call(a, 'market.live', {});
    await call(a, 'market.status', {});
    for (const kind of ['full', 'sum', 'missing'] as const) await call(a, 'export.csv', { kind, from, to, lang: 'en' });
    // The coin screen: candles of a timeframe, the derivatives picture, liquidations, the ticker board.
    await call(a, 'market.candles', { coin: 'BTC', bar: '1H', from, to });
    await call(a, 'market.coin', { coin: 'BTC' });
    await call(a, 'market.liquidations', { from, to });
    await call(a, 'market.liquidations', { coin: 'BTC', from, to });
    await call(a, 'market.tickers', {});
    await call(a, 'backfill.coverage', { from, to });
    await call(a, 'backfill.missing', { from: from - DAY_MS, to, limit: 50 });
    await call(a, 'backfill.status', {});
    await call(a, 'status.get', {});
    await call(a, 'logs.tail', { limit: 50 });
    await call(a, 'settings.update', { nodeName: 'plan A' });

    // The sender: catalog, pages and both views over HTTP, as a peer asks them.
    await call(a, 'sender.config.update', { legacyToken: true });
    const view = await call(a, 'sender.config.get', {});
    const base = view.listening!.url;
    const auth = { authorization: `Bearer ${view.token}` };
    const pinned = pinnedAgent({ pin: view.identity.fingerprint });
    for (const p of [
      'catalog',
      'status',
      'data/PT002?since=0&limit=100',
      `data/CS001?from=${from}&to=${to}`,
      `data/BF001?from=${from}&to=${to}`,
    ]) {
      const res = await fetch(`${base}/api/data-sync/sender/${p}`, { headers: auth, dispatcher: pinned });
      expect(res.status, p).toBe(200);
      await res.arrayBuffer();
    }

    // Node B pulls everything from A: cursors, merges, run history.
    b = createNode({ dataDir: dirs[1]!, mode: 'headless', version: 'test', collect: false, senderPort: 0 });
    await b.start();
    await call(b, 'sync.auto', { on: false });
    await pinned.close();
    const { code } = await call(a, 'pairing.start', {});
    if (code === null) throw new Error('pairing.start opened no code');
    const { peer } = await call(b, 'peers.pair', { url: base, code, name: 'A' });
    await call(a, 'devices.list', {});
    await call(b, 'sync.peer', { id: peer.id });
    await call(b, 'sync.peer', { id: peer.id });
    await call(b, 'sync.resync', { id: peer.id, code: 'PT002' });
    await call(b, 'sync.status', {});
    await call(b, 'sync.history', { id: peer.id, limit: 20 });
    await call(b, 'sync.history', { limit: 20 });
    await call(b, 'peers.update', { id: peer.id, patch: { intervalSec: 120 } });
    await call(b, 'peers.list', {});

    // A's request log as the sender screen filters it (after B's requests are in it).
    await call(a, 'sender.stats', {});
    for (const q of [{}, { dataset: 'PT002' }, { client: '127.0.0.1' }, { outcome: 'failed' as const }, { beforeId: 5 }])
      await call(a, 'sender.log', { limit: 50, ...q });
    await call(b, 'peers.remove', { id: peer.id });
  } finally {
    await b?.stop();
    await a?.stop();
    await sim?.stop();
    captured = capture.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}, 120_000);

/**
 * Tables whose size is bounded by design, with the reason; a scan of one reads few rows. Every
 * other table (grid_prices, baselines, candles, backfill_pages, and any table added later) grows
 * with time or traffic. `trimmedBy`: the statement that keeps the bound, which must have run.
 */
const BOUNDED: Record<string, { why: string; trimmedBy?: RegExp }> = {
  meta: { why: 'a few keys (node id, seq)' },
  settings: { why: 'one row per setting' },
  coins: { why: 'one row per coin the exchange lists (a few hundred)' },
  ticks: { why: 'one row per coin: the latest tick, upserted in place' },
  price_speed: { why: 'one row per coin: the latest speed, upserted in place' },
  collector_state: { why: 'a few keys per coin' },
  sender_state: { why: 'a few keys (config, token, port_chosen)' },
  sender_devices: { why: 'the devices a user paired' },
  sender_counters: { why: 'one row per dataset code' },
  sender_requests: {
    why: 'a ring of the newest 10,000 requests (sender/request-log.ts); a filter that walks all of it takes about 0.5 ms',
    trimmedBy: /^DELETE FROM sender_requests WHERE id <= \(SELECT MAX\(id\) FROM sender_requests\) - \?$/,
  },
  receiver_peers: { why: 'the peers a user added' },
  receiver_cursors: { why: 'peers × dataset codes' },
  receiver_state: { why: 'one key (config)' },
  receiver_runs: {
    why: 'the last 100 live pushes and the last 100 other runs per peer (receiver/peer-store.ts)',
    trimmedBy:
      /^DELETE FROM receiver_runs WHERE peer_id = \? AND \(trigger = 'stream' AND ok = 1\) = \? AND id <= \( SELECT id FROM receiver_runs WHERE peer_id = \?/,
  },
  backfill_jobs: { why: 'one row per backfill job a user started' },
  swap_tickers: { why: 'one row per USDT swap instrument: the latest 24 h ticker, upserted in place (ON CONFLICT (inst_id))' },
  order_books: { why: 'one row per coin: the latest books5 snapshot, upserted in place (ON CONFLICT (coin))' },
  source_records: { why: 'one row per peer that served backfill pages (keyed by peer_id, backfill/source-records.ts)' },
};

/** Scans of growing tables that are cheap on purpose, each with the reason. */
const ALLOWED_SCANS: { sql: RegExp; why: string }[] = [
  {
    sql: /^SELECT COUNT\(\*\)(?: AS \w+)? FROM \w+$/,
    why:
      'a bare COUNT(*) counts the cells of the smallest index page by page without decoding rows (about 0.1–0.6 ms per ' +
      '470,000 rows), and the catalog caches it by the table’s max seq (datasets/registry.ts)',
  },
  {
    sql: /^SELECT COUNT\(DISTINCT ts\) FROM grid_prices$/,
    why:
      'CS001’s catalog count (datasets/builtin.ts) walks the ts index, 15–60 ms per year of 27 coins; datasets/registry.ts ' +
      'caches it by grid_prices’ max seq, so a catalog recounts only after the grid changed (tests/bench/catalog.bench.ts)',
  },
  {
    sql: /^SELECT \* FROM backfill_disputes ORDER BY created_at DESC, coin, ts LIMIT \?$/,
    why:
      'the disputes list (backfill/disputes.ts) walks backfill_disputes_created (migration 010) in its order and stops ' +
      'after LIMIT rows; no temporary sort of the table',
  },
];

interface Hot {
  name: string;
  /** The file whose code prepares it. */
  from: string;
  sql: RegExp;
  /** Plan lines it must have: the index searches that keep it off a full scan. */
  searches: RegExp[];
  /** Its ORDER BY must come from the index (no temporary sort of the table). */
  ordered?: boolean;
}

const PK_RANGE = /^SEARCH grid_prices USING PRIMARY KEY \(coin=\? AND ts>\? AND ts<\?\)/;
/** The queries on the hot paths, which the scenario above must have run through their own code. */
const HOT: Hot[] = [
  {
    name: 'sum series (market.sumSeries, CS001, the sum CSV)',
    from: 'main/node/market/queries.ts',
    sql: /SUM\(change_pct\) AS sum.* FROM grid_prices/,
    searches: [PK_RANGE],
  },
  {
    name: 'rows changed since the sum cache last looked (market.sumSeries)',
    from: 'main/node/market/sum-cache.ts',
    sql: /FROM grid_prices WHERE seq > \?$/,
    searches: [/^SEARCH grid_prices USING COVERING INDEX grid_prices_seq \(seq>\?\)/],
  },
  {
    name: 'grid rows (market.day, the full CSV)',
    from: 'main/node/market/queries.ts',
    sql: /^SELECT coin, ts, price, baseline, change_pct AS changePct FROM grid_prices/,
    searches: [PK_RANGE],
  },
  {
    name: 'a day’s baselines (market.day)',
    from: 'main/node/market/queries.ts',
    sql: /FROM baselines WHERE day = \?/,
    searches: [/^SEARCH baselines USING PRIMARY KEY \(coin=\? AND day=\?\)/],
  },
  {
    name: 'last grid point of a coin (market.status)',
    from: 'main/node/market/queries.ts',
    sql: /^SELECT MAX\(ts\) AS ts FROM grid_prices WHERE coin = \?$/,
    searches: [/^SEARCH grid_prices USING PRIMARY KEY \(coin=\?\)/],
  },
  {
    name: 'coverage and missing list: grid points of a coin',
    from: 'main/node/backfill/coverage.ts',
    sql: /^SELECT ts FROM grid_prices WHERE coin = \? AND ts >= \? AND ts < \?$/,
    searches: [PK_RANGE],
  },
  {
    name: 'coverage and missing list: backfill pages of a coin',
    from: 'main/node/backfill/coverage.ts',
    sql: /FROM backfill_pages p JOIN backfill_jobs j/,
    searches: [/^SEARCH p USING INDEX backfill_pages_coin \(coin=\? AND start_ts<\?\)/, /^SEARCH j USING INTEGER PRIMARY KEY/],
  },
  {
    name: 'backfill: open pages of a job',
    from: 'main/node/backfill/job-store.ts',
    sql: /^SELECT \* FROM backfill_pages WHERE job_id = \? AND state != 'done'/,
    searches: [/^SEARCH backfill_pages USING INDEX backfill_pages_job \(job_id=\?\)/],
  },
  {
    name: 'grid writer: a coin’s day',
    from: 'main/node/market/grid-writer.ts',
    sql: /^SELECT ts, price, source FROM grid_prices WHERE coin = \? AND ts >= \? AND ts < \?$/,
    searches: [PK_RANGE],
  },
  {
    name: 'grid writer: a day’s high and low from candles',
    from: 'main/node/market/grid-writer.ts',
    sql: /FROM candles WHERE coin = \? AND bar = '30m' AND ts >= \? AND ts < \?$/,
    searches: [/^SEARCH candles USING PRIMARY KEY \(coin=\? AND bar=\? AND ts>\? AND ts<\?\)/],
  },
  ...Object.keys(syncTableDefs)
    .filter((t) => t !== 'candles')
    .map((t) => ({
      name: `sender: page read of ${t} (WHERE seq > ? ORDER BY seq LIMIT ?)`,
      from: 'main/node/datasets/registry.ts',
      sql: new RegExp(`^SELECT [\\w, ]+ FROM ${t} WHERE seq > \\? ORDER BY seq LIMIT \\?$`),
      searches: [new RegExp(`^SEARCH ${t} USING (COVERING )?INDEX ${t}_seq \\(seq>\\?\\)`)],
      ordered: true,
    })),
  {
    // KL001…KLD01 are each one bar of candles (datasets/candle-datasets.ts).
    name: 'sender: page read of one candle timeframe (WHERE bar = ? AND seq > ? ORDER BY seq LIMIT ?)',
    from: 'main/node/datasets/registry.ts',
    sql: /^SELECT [\w, ]+ FROM candles WHERE bar = \? AND seq > \? ORDER BY seq LIMIT \?$/,
    searches: [/^SEARCH candles USING (COVERING )?INDEX candles_bar_seq \(bar=\? AND seq>\?\)/],
    ordered: true,
  },
  {
    name: 'candles of one timeframe (market.candles)',
    from: 'main/node/api/candle-handlers.ts',
    sql: /^SELECT ts, open, high, low, close, vol, confirm FROM candles WHERE coin = \? AND bar = \? AND ts >= \? AND ts < \? ORDER BY ts$/,
    searches: [/^SEARCH candles USING PRIMARY KEY \(coin=\? AND bar=\? AND ts>\? AND ts<\?\)/],
    ordered: true,
  },
  {
    name: 'candle repair: confirmed bars of a coin and timeframe',
    from: 'main/node/market/candles/candle-repair.ts',
    sql: /^SELECT ts FROM candles WHERE coin = \? AND bar = \? AND ts >= \? AND ts <= \? AND confirm = 1$/,
    searches: [/^SEARCH candles USING PRIMARY KEY \(coin=\? AND bar=\? AND ts>\? AND ts<\?\)/],
  },
  {
    name: 'sum cache: the grid range changed since it last looked',
    from: 'main/node/market/sum-cache.ts',
    sql: /^SELECT MIN\(ts\) AS lo, MAX\(ts\) AS hi FROM grid_prices WHERE seq > \?$/,
    searches: [/^SEARCH grid_prices USING COVERING INDEX grid_prices_seq \(seq>\?\)/],
  },
  {
    name: 'coverage: open disputes of a coin (BF001 disputed cells)',
    from: 'main/node/backfill/coverage.ts',
    sql: /^SELECT ts FROM backfill_disputes WHERE coin = \? AND bar = '30m' AND state = 'open' AND ts >= \? AND ts < \?$/,
    searches: [/^SEARCH backfill_disputes USING INDEX sqlite_autoindex_backfill_disputes_1 \(coin=\? AND bar=\? AND ts>\? AND ts<\?\)/],
  },
  {
    name: 'disputes: a peer page’s stored candles',
    from: 'main/node/backfill/disputes.ts',
    sql: /^SELECT ts, open FROM candles WHERE coin = \? AND bar = \? AND ts >= \? AND ts < \?$/,
    searches: [/^SEARCH candles USING PRIMARY KEY \(coin=\? AND bar=\? AND ts>\? AND ts<\?\)/],
  },
  ...(
    [
      ['mark_prices', /FROM mark_prices WHERE coin = \? ORDER BY ts DESC LIMIT 1$/, /^SEARCH mark_prices USING PRIMARY KEY \(coin=\?\)/],
      [
        'funding_rates',
        /FROM funding_rates WHERE coin = \? ORDER BY funding_time DESC LIMIT 1$/,
        /^SEARCH funding_rates USING PRIMARY KEY \(coin=\?\)/,
      ],
      [
        'open_interest',
        /FROM open_interest WHERE coin = \? ORDER BY ts DESC LIMIT 1$/,
        /^SEARCH open_interest USING PRIMARY KEY \(coin=\?\)/,
      ],
    ] as const
  ).map(([what, sql, search]) => ({
    name: `market.coin: newest row of ${what}`,
    from: 'main/node/market/derivs/derivs-queries.ts',
    sql,
    searches: [search],
    ordered: true,
  })),
  {
    name: 'market.liquidations of a range (all coins)',
    from: 'main/node/market/derivs/derivs-queries.ts',
    sql: /^SELECT ts, coin, side, px, sz FROM liquidations WHERE ts >= \? AND ts < \? ORDER BY/,
    searches: [/^SEARCH liquidations USING COVERING INDEX liquidations_ts \(ts>\? AND ts<\?\)/],
  },
  {
    name: 'market.liquidations of a range (one coin)',
    from: 'main/node/market/derivs/derivs-queries.ts',
    sql: /^SELECT ts, coin, side, px, sz FROM liquidations WHERE ts >= \? AND ts < \? AND coin = \? ORDER BY/,
    searches: [/^SEARCH liquidations USING PRIMARY KEY \(coin=\? AND ts>\? AND ts<\?\)/],
  },
  // The receiver tells inserts from updates by inserting first (no existence query per slice); the
  // key conflict is found through the primary key, so the plan must simply scan nothing.
  ...['grid_prices', 'candles'].map((t) => ({
    name: `receiver: a page's new keys of ${t} (INSERT … ON CONFLICT DO NOTHING)`,
    from: 'main/node/store/sync-table.ts',
    sql: new RegExp(`^INSERT INTO ${t} \\([\\w, ]+\\) VALUES \\([?, ]+\\) ON CONFLICT \\([\\w, ]+\\) DO NOTHING$`),
    searches: [],
  })),
  {
    name: 'receiver: the cursor of a peer and dataset',
    from: 'main/node/receiver/peer-store.ts',
    sql: /^SELECT cursor FROM receiver_cursors WHERE peer_id = \? AND code = \?$/,
    searches: [/^SEARCH receiver_cursors USING (COVERING )?INDEX \w+ \(peer_id=\? AND code=\?\)/],
  },
  {
    name: 'receiver: the cursors of a peer (sync.status)',
    from: 'main/node/receiver/peer-store.ts',
    sql: /^SELECT \* FROM receiver_cursors WHERE peer_id = \? ORDER BY code$/,
    searches: [/^SEARCH receiver_cursors USING INDEX \w+ \(peer_id=\?\)/],
    ordered: true,
  },
  {
    name: 'receiver: the run history of a peer (live pushes, then the other runs)',
    from: 'main/node/receiver/peer-store.ts',
    sql: /^SELECT \* FROM receiver_runs WHERE peer_id = \? AND (NOT \()?trigger = 'stream' AND ok = 1\)? ORDER BY id DESC LIMIT \?$/,
    searches: [/^SEARCH receiver_runs USING INDEX receiver_runs_peer \(peer_id=\?\)/],
    ordered: true,
  },
];

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('query plans of the statements two nodes prepared', () => {
  const db = databaseAt(LATEST_SCHEMA_VERSION);
  const tables = new Set(Object.keys(describeSchema(db).tables));
  afterAll(() => db.close());
  let plans: { s: CapturedStatement; plan: string[] }[] | undefined;
  const planned = () => (plans ??= captured.map((s) => ({ s, plan: planOf(db, s.sql) })));

  it('captured the node’s statements', () => {
    expect(captured.length).toBeGreaterThan(100);
    expect(captured.filter((s) => !s.where.startsWith('main/node/')).map((s) => `${s.where}: ${oneLine(s.sql)}`)).toEqual([]);
  });

  it('the hot queries run through their own code and search by index', () => {
    const problems: string[] = [];
    for (const h of HOT) {
      const found = planned().filter(({ s }) => h.sql.test(oneLine(s.sql)));
      if (found.length === 0) problems.push(`${h.name}: no statement like ${h.sql} was prepared`);
      for (const { s, plan } of found) {
        const why: string[] = [];
        if (!s.where.startsWith(`${h.from}:`)) why.push(`prepared in ${s.where}, not ${h.from}`);
        for (const r of h.searches) if (!plan.some((l) => r.test(l))) why.push(`no plan line like ${r}`);
        const scans = scansOf(s.sql, plan, tables);
        if (scans.length > 0) why.push(`scans ${scans.map((x) => x.table).join(', ')}`);
        if (h.ordered && plan.some((l) => l.startsWith('USE TEMP B-TREE')))
          why.push('sorts in a temporary b-tree instead of reading the index in order');
        if (why.length > 0) problems.push(`${h.name}: ${why.join('; ')}\n    ${showStatement(s, plan)}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('no statement scans a growing table (bounded tables and cheap scans are listed with their reason)', () => {
    const used = new Set<number>();
    const problems: string[] = [];
    for (const { s, plan } of planned()) {
      const growing = scansOf(s.sql, plan, tables).filter((x) => !Object.hasOwn(BOUNDED, x.table));
      if (growing.length === 0) continue;
      const allowed = ALLOWED_SCANS.findIndex((a) => a.sql.test(oneLine(s.sql)));
      if (allowed >= 0) {
        used.add(allowed);
        continue;
      }
      problems.push(
        `${growing.map((g) => g.table).join(', ')} read in full (${growing.map((g) => g.detail).join('; ')}):\n    ${showStatement(s, plan)}\n` +
          '    add an index in a new migration or rewrite the query; if the table is bounded, list it in BOUNDED with the reason.',
      );
    }
    expect(problems, problems.join('\n')).toEqual([]);
    const stale = ALLOWED_SCANS.filter((_, i) => !used.has(i)).map((a) => `${a.sql}`);
    expect(stale, `ALLOWED_SCANS entries no statement needs any more (remove them): ${stale.join(', ')}`).toEqual([]);
  });

  it('every bounded table exists, and the statements that keep the bounds ran', () => {
    expect(Object.keys(BOUNDED).filter((t) => !tables.has(t))).toEqual([]);
    const sqls = captured.map((s) => oneLine(s.sql));
    const idle = Object.entries(BOUNDED).filter(([, b]) => b.trimmedBy && !sqls.some((q) => b.trimmedBy!.test(q)));
    expect(idle.map(([t]) => t)).toEqual([]);
  });
});
