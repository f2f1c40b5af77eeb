import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_COINS, type BackfillStatus } from '../../preload/contract.js';
import { DAY_MS, GRID_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { createSimulator, type Simulator } from '../../main/node/simulator/index.js';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';
import { until as waitUntil } from '../helpers/until.js';

/**
 * kill -9 in the middle of a job, in a real child process (the built headless node), then a
 * restart that resumes by itself (the default setting): the result is the path, every page is
 * done, and no page that was done before the kill is fetched again. The node reaches the simulator
 * through a logging HTTP relay, so the test sees every request the node made.
 */
let sim: Simulator | undefined;
let relay: http.Server | undefined;
let child: HeadlessNode | undefined;
let dir: string | undefined;
afterEach(async () => {
  await child?.kill();
  relay?.closeAllConnections();
  await new Promise<void>((r) => (relay ? relay.close(() => r()) : r()));
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  sim = relay = child = dir = undefined;
});

async function startRelay(target: string, seen: URL[]): Promise<string> {
  relay = http.createServer((req, res) => {
    seen.push(new URL(req.url ?? '/', 'http://relay'));
    fetch(target + (req.url ?? '/'))
      .then(async (r) => {
        const body = await r.text();
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((r) => relay!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
}

const until = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000) => waitUntil(what, fn, timeoutMs, 100);

const status = async (n: HeadlessNode): Promise<BackfillStatus> => {
  const r = await n.call('backfill.status');
  expect(r.status).toBe(200);
  return r.body.value as BackfillStatus;
};

describe('backfill resume after kill -9', () => {
  it('resumes by itself at start, refetches no finished page, and ends with the same values as the path', async () => {
    sim = createSimulator();
    const urls = await sim.start(0);
    const seen: URL[] = [];
    const rest = await startRelay(urls.rest, seen);
    dir = tempDataDir('csn-bf-kill-');
    const args = ['--okx-rest', rest, '--okx-ws-public', urls.wsPublic, '--okx-ws-business', urls.wsBusiness];
    child = await startHeadless({ dataDir: dir, args });
    // 20 days older than the candles endpoint's reach: 4 history-candles pages per coin, ~11 s at 20/2 s.
    const to = dayStartOf(Date.now()) - 40 * DAY_MS;
    const from = to - 20 * DAY_MS;
    const started = await child.call('backfill.start', { from, to });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect((started.body.value as BackfillStatus).progress?.pagesTotal).toBe(27 * 4);
    await until('a third of the pages', async () => ((await status(child!)).progress!.pagesDone >= 36 ? true : undefined));
    await child.kill();
    const killedAt = seen.length;

    const db = new Database(path.join(dir, 'coin-sync-node.sqlite'), { fileMustExist: true });
    const doneBefore = db.prepare("SELECT coin, start_ts AS start, end_ts AS end FROM backfill_pages WHERE state = 'done'").all() as {
      coin: string;
      start: number;
      end: number;
    }[];
    const jobState = db.prepare('SELECT state FROM backfill_jobs').pluck().get();
    db.close();
    expect(doneBefore.length).toBeGreaterThanOrEqual(36);
    expect(doneBefore.length).toBeLessThan(27 * 4);
    expect(jobState).toBe('running'); // kill -9: nobody could record anything else

    // The killed process's last requests still count at the exchange for one 2 s window, and a new
    // process cannot know them (it would meet a 429 and retry). Restarting after that window keeps
    // the request count after resume exact.
    await new Promise((r) => setTimeout(r, 2_100));
    child = await startHeadless({ dataDir: dir, args });
    const final = await until('the resumed job to finish', async () => {
      const s = await status(child!);
      return s.job?.state === 'done' ? s : undefined;
    });
    expect(final.progress).toMatchObject({ pagesDone: 27 * 4, pagesQueued: 0, percent: 100 });
    expect(final.log.some((l) => /did not finish last time/.test(l.message))).toBe(true);

    // Requests for the job's candle pages after the restart, per page. The candle collector's
    // repair of the last day (every start) also reaches history-candles for its oldest window:
    // those requests lie outside the job's range and are no page of it.
    const key = (coin: string, start: number, end: number) => `${coin}-USDT-SWAP|${end}|${start - 1}`;
    const after = new Map<string, number>();
    for (const u of seen.slice(killedAt)) {
      if (u.pathname !== '/api/v5/market/history-candles') continue;
      if (Number(u.searchParams.get('before')) + 1 < from || Number(u.searchParams.get('after')) > to) continue;
      const k = `${u.searchParams.get('instId')}|${u.searchParams.get('after')}|${u.searchParams.get('before')}`;
      after.set(k, (after.get(k) ?? 0) + 1);
    }
    for (const p of doneBefore) expect(after.get(key(p.coin, p.start, p.end)), `${p.coin} ${p.start} refetched`).toBeUndefined();
    const twice = [...after].filter(([, n]) => n > 1);
    expect(
      twice,
      `fetched more than once after resume; log: ${final.log
        .filter((l) => l.level !== 'debug')
        .map((l) => l.message)
        .join(' | ')}`,
    ).toEqual([]);
    expect(after.size).toBe(27 * 4 - doneBefore.length);

    // Same values as an uninterrupted run would give: the simulator's path, every cell.
    const db2 = new Database(path.join(dir, 'coin-sync-node.sqlite'), { readonly: true, fileMustExist: true });
    const rows = db2.prepare('SELECT coin, ts, price FROM grid_prices WHERE ts >= ? AND ts < ?').all(from, to) as {
      coin: string;
      ts: number;
      price: number;
    }[];
    const dupes = db2
      .prepare('SELECT COUNT(*) FROM (SELECT coin, bar, ts FROM candles GROUP BY coin, bar, ts HAVING COUNT(*) > 1)')
      .pluck()
      .get();
    db2.close();
    expect(rows).toHaveLength(27 * ((to - from) / GRID_MS));
    expect(dupes).toBe(0);
    for (const r of rows) expect(r.price).toBe(sim.path.minuteOpen(r.coin, r.ts));
    expect(new Set(rows.map((r) => r.coin))).toEqual(new Set(DEFAULT_COINS));
  }, 120_000);
});
