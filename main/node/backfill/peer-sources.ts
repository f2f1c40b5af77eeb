/**
 * The receiver's peers as backfill sources: which of them may be asked (enabled, and reachable
 * over TLS to the pinned certificate with this node's client certificate, or plain HTTP on this
 * machine), what each holds per day and coin (its coverage), and one coin's rows from one of them,
 * refused unless they are exactly the asked candles with the right checksum.
 */
import type { Agent } from 'undici';
import { CANDLE_DATASET } from '../../../preload/contract/candle-bars.js';
import { checksumOfJson, pageChecksum } from '../datasets/checksum.js';
import type { Logger } from '../log/logger.js';
import { dayOf, DAY_MS } from '../market/grid-time.js';
import { pinnedAgent, type ClientIdentity } from '../net/pinned-tls.js';
import { barOpenAt, type OkxBar } from '../okx/index.js';
import type { CandleInput, CandleWindow, WindowAnswer } from '../okx/candle-pages.js';
import { PeerClient, PeerError } from '../receiver/peer-client.js';
import type { StoredPeer } from '../receiver/peer-store.js';
import { transportOf } from '../receiver/peer-transport.js';
import { MAX_COVERAGE_MS } from '../datasets/cells.js';
import type { Reasoned } from '../../../preload/contract/reasons.js';

/** Columns of a candle range answer, in the order the sender's table declares them. */
export const CANDLE_COLUMNS = [
  'coin',
  'bar',
  'ts',
  'open',
  'high',
  'low',
  'close',
  'vol',
  'vol_ccy',
  'vol_ccy_quote',
  'confirm',
  'seq',
  'origin',
  'updated_at',
];

/** Why a peer's page was not taken: said in the peer's record and the job log. */
export class PeerRefusal extends Error {
  constructor(
    readonly peer: string,
    message: string,
    /** What the peer's record says in the UI's language; `message` stays English for the log. */
    readonly detail: Reasoned,
  ) {
    super(message);
    this.name = 'PeerRefusal';
  }
}

export interface SourcePeer {
  id: string;
  name: string;
  client: PeerClient;
}

/** Per peer: coin → day (UTC+8) → rows held there. */
export type PeerCoverage = Map<string, Map<string, number>>;

export interface PeerSourcesDeps {
  peers: () => readonly StoredPeer[];
  identity: ClientIdentity;
  log: Logger;
  timeoutMs?: number;
}

/** The dataset code of a bar's candles (KL030 for 30m); null when the node has no such dataset. */
export const candleCodeOf = (bar: string): string | null => (CANDLE_DATASET as Record<string, string | undefined>)[bar] ?? null;

export class PeerSources {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly d: PeerSourcesDeps) {}

  /** Enabled peers in their priority order that can be asked without exposing a token. */
  usable(): SourcePeer[] {
    const out: SourcePeer[] = [];
    for (const p of this.d.peers()) {
      if (!p.enabled) continue;
      const t = transportOf(p);
      if (t.kind === 'needs_pairing') continue;
      let dispatcher: Agent | undefined;
      if (t.kind === 'tls') {
        const key = `${p.id}:${t.fingerprint}`;
        dispatcher = this.agents.get(key);
        if (!dispatcher) {
          dispatcher = pinnedAgent({ pin: t.fingerprint, identity: this.d.identity, connections: 4 });
          this.agents.set(key, dispatcher);
        }
      }
      out.push({
        id: p.id,
        name: p.name,
        client: new PeerClient({ url: t.url, token: p.token, timeoutMs: this.d.timeoutMs ?? 10_000, dispatcher }),
      });
    }
    return out;
  }

  /**
   * What `peer` holds of `code` in [from, to); null (and a log line) when it cannot say. `hashes`,
   * when given, receives the hash of each day's values (`coin day` → hash) for cross-checks;
   * without it the peer is asked for counts only (`hashes=0`), which it answers without hashing.
   */
  async coverage(peer: SourcePeer, code: string, from: number, to: number, hashes?: Map<string, string>): Promise<PeerCoverage | null> {
    const cov: PeerCoverage = new Map();
    try {
      for (let a = from; a < to; a += MAX_COVERAGE_MS) {
        const answer = await peer.client.coverage(code, a, Math.min(to, a + MAX_COVERAGE_MS), hashes !== undefined);
        if (pageChecksum(answer.columns, answer.rows) !== answer.checksum)
          throw new PeerRefusal(peer.name, 'its coverage answer has a wrong checksum', { reason: 'source.checksum' });
        for (const [day, coin, count, hash] of answer.rows) {
          // A day split between two requests keeps both halves' hashes (every peer is asked the same halves).
          if (hashes) hashes.set(`${coin} ${day}`, (hashes.has(`${coin} ${day}`) ? `${hashes.get(`${coin} ${day}`)}|` : '') + hash);
          let byDay = cov.get(coin);
          if (!byDay) cov.set(coin, (byDay = new Map()));
          byDay.set(day, (byDay.get(day) ?? 0) + count);
        }
      }
      return cov;
    } catch (e) {
      this.d.log.warn(`peer ${peer.name} cannot tell its coverage of ${code} (${(e as Error).message}); it is not asked for this job`);
      return null;
    }
  }

  /** The candles of one window from `peer`, checked: the range answer's checksum, columns, and every row inside the window. */
  async pull(peer: SourcePeer, w: CandleWindow): Promise<WindowAnswer> {
    const code = candleCodeOf(w.bar);
    if (!code) throw new PeerRefusal(peer.name, `no candle dataset for ${w.bar}`, { reason: 'source.no_candles', params: { bar: w.bar } });
    const a = await peer.client.range(code, w.coin, w.start, w.end);
    // The rows' text as sent matches for a canonical sender; otherwise they are serialized again.
    const asSent = a.rowsJson !== null && checksumOfJson(JSON.stringify(a.columns), a.rowsJson) === a.checksum;
    if (!asSent && pageChecksum(a.columns, a.rows) !== a.checksum)
      throw new PeerRefusal(peer.name, 'wrong checksum on a range page', { reason: 'source.checksum' });
    if (a.columns.join(',') !== CANDLE_COLUMNS.join(','))
      throw new PeerRefusal(peer.name, `unexpected columns ${a.columns.join(',')}`, { reason: 'source.columns' });
    const candles: CandleInput[] = [];
    const seen = new Set<number>();
    for (const r of a.rows) {
      const [coin, bar, ts, open, high, low, close, vol, volCcy, volCcyQuote, confirm] = r;
      if (
        coin !== w.coin ||
        bar !== w.bar ||
        typeof ts !== 'number' ||
        ts < w.start ||
        ts >= w.end ||
        barOpenAt(w.bar as OkxBar, ts) !== ts
      ) {
        throw new PeerRefusal(peer.name, `rows outside the asked range (${String(coin)} ${String(bar)} ${String(ts)})`, {
          reason: 'source.out_of_range',
        });
      }
      if (![open, high, low, close].every(isNum) || ![vol, volCcy, volCcyQuote].every((v) => v === null || isNum(v)) || seen.has(ts)) {
        throw new PeerRefusal(peer.name, `a malformed or repeated row at ${ts}`, { reason: 'source.bad_row' });
      }
      seen.add(ts);
      candles.push({
        coin: w.coin,
        bar: w.bar,
        ts,
        open: open as number,
        high: high as number,
        low: low as number,
        close: close as number,
        vol: vol as number | null,
        volCcy: volCcy as number | null,
        volCcyQuote: volCcyQuote as number | null,
        confirm: confirm === 1,
      });
    }
    candles.sort((x, y) => x.ts - y.ts);
    return { candles, outside: 0, duplicates: 0 };
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map((a) => a.close().catch(() => undefined)));
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Says why a peer failed in a line for its record. */
export function refusalText(e: unknown): string {
  if (e instanceof PeerRefusal) return e.message;
  if (e instanceof PeerError) return `${e.kind}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * The same as a reason for the UI, with the peer's name, which every source sentence names:
 * a refusal's or a request error's own reason, else "its rows were refused" (the log says why).
 */
export function refusalReason(e: unknown, name: string): Reasoned {
  const d = e instanceof PeerRefusal || e instanceof PeerError ? e.detail : { reason: 'source.refused' as const };
  return { reason: d.reason, params: { ...d.params, name } };
}

/** UTC+8 days touched by [from, to), oldest first. */
export function daysOf(from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = from; t < to; t += DAY_MS) out.push(dayOf(t));
  const last = dayOf(to - 1);
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}
