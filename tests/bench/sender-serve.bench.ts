import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createNode } from '../../main/node/create-node.js';
import { createDatasetRegistry } from '../../main/node/datasets/index.js';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { call } from '../helpers/api.js';
import { tempDataDir } from '../helpers/headless.js';
import { percentile, type BenchResult } from './types.js';

const ROWS = 1_000_000;
const HALF = 1_800_000;
const START = Date.UTC(2020, 0, 1, 16);

/**
 * The HTTPS client runs in a worker thread, as a peer would run in its own process: it pulls pages
 * one after another over a keep-alive loopback connection and reads the cursor from the page head
 * (the sender writes nextSince/hasMore before the rows), so the figure is the sender's, not a
 * JSON parser's.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const https = require('node:https');
// HTTPS like every peer now (the sender's certificate is self-signed; a bench client need not pin it).
const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
const get = (path) => new Promise((resolve, reject) => {
  const req = https.get(workerData.url + path, { agent, headers: { authorization: 'Bearer ' + workerData.token } }, (res) => {
    const chunks = []; let n = 0;
    res.on('data', (c) => { chunks.push(c); n += c.length; });
    res.on('end', () => res.statusCode === 200 ? resolve({ head: chunks[0].toString('latin1', 0, 400), bytes: n }) : reject(new Error('HTTP ' + res.statusCode)));
  });
  req.on('error', reject);
});
(async () => {
  const out = {};
  for (const limit of workerData.limits) {
    let since = 0, rows = 0, bytes = 0, more = true;
    const t = performance.now();
    while (more) {
      const r = await get('/api/data-sync/sender/data/PT002?since=' + since + '&limit=' + limit);
      since = Number(/"nextSince":(\\d+)/.exec(r.head)[1]);
      more = /"hasMore":true/.test(r.head);
      rows += Number(/"count":(\\d+)/.exec(r.head)[1]);
      bytes += r.bytes;
    }
    out['walk' + limit] = { ms: performance.now() - t, rows, bytes };
  }
  const lat = [];
  for (let i = 0; i < workerData.latencySamples; i++) {
    const since = Math.floor(Math.random() * (workerData.maxSeq - 1000));
    const t = performance.now();
    await get('/api/data-sync/sender/data/PT002?since=' + since + '&limit=1000');
    lat.push(performance.now() - t);
  }
  out.latency = lat;
  agent.destroy();
  parentPort.postMessage(out);
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

interface ClientResult {
  error?: string;
  latency: number[];
  [walk: `walk${number}`]: { ms: number; rows: number; bytes: number };
}

export default async function run(): Promise<BenchResult> {
  const dir = tempDataDir('csn-bench-sender-');
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'bench', collect: false });
  try {
    // The shared token, as a script would pull with it (paired devices are measured by the receiver bench).
    await call(node, 'sender.config.update', { port: 0, rateLimitPerMinute: 1_000_000, maxPageRows: 5_000, legacyToken: true });
    const coins = [...DEFAULT_COINS];
    const perCoin = Math.ceil(ROWS / coins.length);
    const tFill = performance.now();
    node.store.write(() => {
      let left = ROWS;
      for (const coin of coins) {
        const n = Math.min(perCoin, left);
        left -= n;
        const rows = Array.from({ length: n }, (_, i) => [coin, START + i * HALF, 100 + (i % 977) / 7, 100, (i % 977) / 7, 'ws']);
        node.store.tables.grid_prices.upsertLocal(rows, node.store.nodeId, Date.now());
      }
    });
    const fillMs = performance.now() - tFill;
    await node.start();
    const { listening, token } = await call(node, 'sender.config.get', {});
    if (!listening) throw new Error('sender did not start');

    // Baseline: the same pages read and serialized in this process, no HTTP.
    // Only syncable pages are read here; the views are wired as the node wires them.
    const { registry } = createDatasetRegistry({
      db: node.store.db,
      coins: () => coins,
      sumSeries: (from, to) => node.market.queries.sumSeries(from, to),
      missing: () => [],
    });
    const direct: Record<number, { ms: number; rows: number; bytes: number }> = {};
    const limits = [1_000, 5_000];
    for (const limit of limits) {
      let since = 0;
      let rows = 0;
      let bytes = 0;
      let more = true;
      const t = performance.now();
      while (more) {
        const p = registry.pageBody('PT002', since, limit);
        bytes += Buffer.byteLength(p.json);
        rows += p.rows;
        since = p.nextSince!;
        more = p.hasMore!;
      }
      direct[limit] = { ms: performance.now() - t, rows, bytes };
    }

    // Collector-like load during the latency samples: ticks for every coin every 100 ms.
    let tick = 0;
    const load = setInterval(() => {
      tick += 1;
      node.store.write(() =>
        node.store.tables.ticks.upsertLocal(
          coins.map((c) => [c, 100 + tick / 100, Date.now(), 'ws', 100, tick / 100]),
          node.store.nodeId,
          Date.now(),
        ),
      );
    }, 100);
    const client = await new Promise<ClientResult>((resolve, reject) => {
      const w = new Worker(CLIENT, {
        eval: true,
        workerData: { url: listening.url, token, limits, latencySamples: 500, maxSeq: node.store.seq.value },
      });
      w.once('message', (m: ClientResult) => {
        void w.terminate();
        if (m.error) reject(new Error(m.error));
        else resolve(m);
      });
      w.once('error', reject);
    });
    clearInterval(load);
    node.call('sender.log', { limit: 1 }); // flushes the request log
    const served = node.store.db.prepare('SELECT AVG(duration_ms) AS avg, COUNT(*) AS n FROM sender_requests WHERE rows = 1000').get() as {
      avg: number;
      n: number;
    };

    const figures: BenchResult['figures'] = [];
    for (const limit of limits) {
      const h = client[`walk${limit}`]!;
      const d = direct[limit]!;
      if (h.rows !== ROWS || d.rows !== ROWS) throw new Error(`walk returned ${h.rows} / ${d.rows} rows, not ${ROWS}`);
      const hr = h.rows / (h.ms / 1000);
      const dr = d.rows / (d.ms / 1000);
      figures.push({
        metric: `serve 1M rows, ${limit}-row pages: rows/s`,
        value: hr,
        unit: 'rows/s',
        baseline: dr,
        ratio: hr / dr,
        goal: '≥ 0.7×',
        pass: hr / dr >= 0.7,
      });
      const hm = h.bytes / 1e6 / (h.ms / 1000);
      const dm = d.bytes / 1e6 / (d.ms / 1000);
      figures.push({
        metric: `serve 1M rows, ${limit}-row pages: MB/s`,
        value: hm,
        unit: 'MB/s',
        baseline: dm,
        ratio: hm / dm,
        goal: '≥ 0.7×',
        pass: hm / dm >= 0.7,
      });
    }
    figures.push({ metric: '1,000-row page: server time onRequest→onResponse (mean)', value: served.avg, unit: 'ms' });
    figures.push({ metric: '1,000-row page latency p50 (ticks written every 100 ms)', value: percentile(client.latency, 50), unit: 'ms' });
    figures.push({ metric: '1,000-row page latency p99 (ticks written every 100 ms)', value: percentile(client.latency, 99), unit: 'ms' });
    return {
      name: 'sender-serve',
      figures,
      notes: [
        `filled ${ROWS.toLocaleString('en-US')} grid_prices rows in ${Math.round(fillMs)} ms (one transaction); client in a worker thread over keep-alive loopback, no gzip; baseline = registry.pageBody() in the same process`,
      ],
    };
  } finally {
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
