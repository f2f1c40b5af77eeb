import fs from 'node:fs';
import { afterEach } from 'vitest';
import type { EventMap, HandlerInput, HandlerName, HandlerOutput } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { createSimulator, type Simulator, type SimulatorOptions, type SimulatorUrls } from '../../main/node/simulator/index.js';
import { valueOf } from './api.js';
import { tempDataDir } from './headless.js';

export interface PeerNode {
  node: SyncNode;
  name: string;
  url: string;
  call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>>;
}

/**
 * Real nodes in this process, each with its own data folder and its sender on 127.0.0.1 port 0,
 * talking to real simulators. No live collector (only backfill asks the exchange) and no
 * automatic receiver sync (a paired peer's rows arrive only through backfill). Call at the top level.
 */
export function usePeerNodes() {
  const nodes: { node: SyncNode; dir: string }[] = [];
  const sims: Simulator[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) {
      await n.node.stop();
      fs.rmSync(n.dir, { recursive: true, force: true });
    }
    for (const s of sims.splice(0)) await s.stop();
  });
  const sim = async (opts: SimulatorOptions = {}): Promise<Simulator> => {
    const s = createSimulator(opts);
    await s.start(0);
    sims.push(s);
    return s;
  };
  const node = async (name: string, exchange: SimulatorUrls): Promise<PeerNode> => {
    const dir = tempDataDir(`csn-pb-${name}-`);
    const n = createNode({
      dataDir: dir,
      mode: 'headless',
      version: 'test',
      collect: false,
      senderPort: 0,
      exchange,
      backfillRetry: { baseMs: 100, maxMs: 1_000, gapConfirmMs: 50 },
      receiver: { backoff: { baseMs: 100, maxMs: 400 }, requestTimeoutMs: 3_000 },
    });
    nodes.push({ node: n, dir });
    await n.start();
    const call = async <K extends HandlerName>(k: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> =>
      valueOf(k, await n.call(k, input));
    await call('receiver.config.update', { autoSync: false });
    const view = await call('sender.config.get', {});
    return { node: n, name, url: view.listening!.url, call };
  };
  /**
   * Where every peer-backfill test starts: one simulator, A ('alpha') and B ('bravo') on it, not yet
   * paired, and the range of the last `days` whole days (UTC+8) before today.
   */
  const alphaBravo = async (days: number) => {
    const s = await sim();
    const a = await node('alpha', s.urls!);
    const b = await node('bravo', s.urls!);
    const to = dayStartOf(Date.now());
    return { s, a, b, from: to - days * DAY_MS, to };
  };
  return { sim, node, alphaBravo };
}

/** `receiver` pairs with `sender` by a code read off the sender; the peer is named after the sender. */
export async function pair(receiver: PeerNode, sender: PeerNode): Promise<string> {
  const { code } = await sender.call('pairing.start', {});
  const r = await receiver.call('peers.pair', { url: sender.url, code: code!, name: sender.name });
  return r.peer.id;
}

/** Starts a backfill job and waits for its end. */
export async function backfill(
  n: PeerNode,
  input: HandlerInput<'backfill.start'>,
  timeoutMs = 120_000,
): Promise<EventMap['backfill.finished']> {
  const done = new Promise<EventMap['backfill.finished']>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('backfill did not finish in time')), timeoutMs);
    const off = n.node.bus.on('backfill.finished', (p) => {
      clearTimeout(t);
      off();
      resolve(p);
    });
  });
  await n.call('backfill.start', input);
  return done;
}

/** Candle and grid values of a range, for comparing two nodes (seq, origin and time of writing left out). */
export function valuesOf(n: PeerNode, from: number, to: number): { candles: unknown[]; grid: unknown[] } {
  const db = n.node.store.db;
  return {
    candles: db
      .prepare(
        `SELECT coin, bar, ts, open, high, low, close, vol, vol_ccy, vol_ccy_quote, confirm FROM candles
         WHERE ts >= ? AND ts < ? ORDER BY coin, bar, ts`,
      )
      .raw(true)
      .all(from, to),
    grid: db
      .prepare('SELECT coin, ts, price, baseline, change_pct FROM grid_prices WHERE ts >= ? AND ts < ? ORDER BY coin, ts')
      .raw(true)
      .all(from, to),
  };
}

/** Candle requests the simulator has answered (what a backfill spends of the exchange). */
export const candleRequests = (s: Simulator): number => s.stats().rest.requests.candles + s.stats().rest.requests.historyCandles;
