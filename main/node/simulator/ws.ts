/**
 * The simulator's WebSocket side: /ws/v5/public (tickers) and /ws/v5/business (candle<bar>), with
 * OKX's acks, error events, text ping/pong, the 30 s idle close (4004) and push cadences
 * (the client's side: tests/integration/okx-client-ws.test.ts). One 50 ms scheduler drives every push.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { barOpenAt, isOkxBar, type OkxBar } from '../okx/bars.js';
import type { FaultState } from './faults.js';
import { candleRow, tickerValues, wsTicker } from './payloads.js';
import type { PricePath } from './price-path.js';
import { DerivsModel } from './derivs-model.js';
import { DERIV_CHANNELS, SimDerivsChannels } from './derivs-ws.js';

export type WsKind = 'public' | 'business';

export interface WsOptions {
  /** Close a connection after this long without a subscription or data sent (OKX: 30 s). */
  idleCloseMs: number;
  /** Ticker push interval per instrument, random in [min, max] ms. */
  tickerIntervalMs: [number, number];
  /** Minimum gap between candle pushes of one subscription (OKX: 1 s). */
  candleIntervalMs: number;
  /** Funding-rate push interval, random in [min, max] ms (OKX: 30–90 s). */
  fundingIntervalMs?: [number, number];
  /** Subscriptions one connection may hold; one more closes it with 4009 (OKX gives no number). */
  maxSubsPerConnection?: number;
}

/** OKX: subscribe + unsubscribe + login requests per connection per hour (okx-v5.md §4.4). */
const OPS_PER_HOUR = 480;

export interface WsStats {
  connections: number;
  connectsTotal: number;
  refused: number;
  pushes: number;
  dropped: number;
  /** Open connections and connections ever accepted, per URL (/public, /business). */
  byKind: Record<WsKind, { connections: number; connectsTotal: number }>;
}

interface Sub {
  channel: string;
  instId: string;
  bar?: OkxBar;
  lastPushWall: number;
  lastBarOpen?: number;
  fresh: boolean;
  /** Derivatives channels (derivs-ws.ts): last body, next due time, liquidations scanned to. */
  lastBody?: string;
  nextDueWall?: number;
  scannedTo?: number;
}

interface Conn {
  ws: WebSocket;
  kind: WsKind;
  connId: string;
  subs: Map<string, Sub>;
  lastActivityWall: number;
  /** Wall times of the subscribe/unsubscribe requests of the last hour. */
  ops: number[];
}

const subKey = (channel: string, instId: string) => `${channel}|${instId}`;

export class SimWsServer {
  readonly wss = new WebSocketServer({ noServer: true });
  readonly conns = new Set<Conn>();
  readonly stats: WsStats = {
    connections: 0,
    connectsTotal: 0,
    refused: 0,
    pushes: 0,
    dropped: 0,
    byKind: { public: { connections: 0, connectsTotal: 0 }, business: { connections: 0, connectsTotal: 0 } },
  };
  private timer: NodeJS.Timeout | undefined;
  private nextTickerDue = new Map<string, number>();
  private readonly derivs: SimDerivsChannels;

  constructor(
    private readonly path: PricePath,
    private readonly now: () => number,
    private readonly faults: FaultState,
    private readonly opts: WsOptions,
  ) {
    this.derivs = new SimDerivsChannels(path, new DerivsModel(path), { fundingIntervalMs: opts.fundingIntervalMs ?? [30_000, 90_000] });
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), 50);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://sim').pathname;
    const kind: WsKind | undefined = pathname === '/ws/v5/public' ? 'public' : pathname === '/ws/v5/business' ? 'business' : undefined;
    if (!kind || this.faults.isRefusing(Date.now())) {
      if (kind) this.stats.refused++;
      socket.end(
        kind ? 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, kind));
  }

  private attach(ws: WebSocket, kind: WsKind): void {
    const conn: Conn = { ws, kind, connId: randomBytes(4).toString('hex'), subs: new Map(), lastActivityWall: Date.now(), ops: [] };
    this.conns.add(conn);
    this.stats.connections = this.conns.size;
    this.stats.connectsTotal++;
    this.stats.byKind[kind].connections++;
    this.stats.byKind[kind].connectsTotal++;
    ws.on('message', (raw, isBinary) => this.onMessage(conn, isBinary ? '' : raw.toString()));
    ws.on('close', () => {
      this.conns.delete(conn);
      this.stats.connections = this.conns.size;
      this.stats.byKind[kind].connections--;
    });
    ws.on('error', () => undefined); // a reset socket is routine here; 'close' follows
  }

  private send(conn: Conn, text: string): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(text);
    conn.lastActivityWall = Date.now();
  }

  private onMessage(conn: Conn, text: string): void {
    const wall = Date.now();
    if (this.faults.isSilent(wall) && !(text === 'ping' && this.faults.silentAnswersPings)) return;
    if (text === 'ping') return this.send(conn, 'pong');
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.error(conn, undefined, '60012', `Invalid request: ${text.slice(0, 200)}`);
    }
    const m = (msg ?? {}) as { id?: unknown; op?: unknown; args?: unknown };
    const id = typeof m.id === 'string' ? m.id : undefined;
    if ((m.op !== 'subscribe' && m.op !== 'unsubscribe') || !Array.isArray(m.args) || m.args.length === 0) {
      return this.error(conn, id, '60012', `Invalid request: ${text.slice(0, 200)}`);
    }
    conn.ops = conn.ops.filter((t) => t > wall - 3_600_000);
    if (conn.ops.length >= OPS_PER_HOUR) return this.error(conn, id, '60014', 'Requests too frequent.');
    conn.ops.push(wall);
    for (const a of m.args as unknown[]) {
      const arg = (a ?? {}) as { channel?: unknown; instId?: unknown; instType?: unknown };
      if (arg.channel === 'liquidation-orders' && typeof arg.instType === 'string') {
        if (m.op === 'subscribe') this.subscribeDeriv(conn, id, arg.channel, undefined, arg.instType);
        else {
          conn.subs.delete(subKey(arg.channel, arg.instType));
          this.ack(conn, id, 'unsubscribe', arg.channel, arg.instType, 'instType');
        }
        continue;
      }
      if (typeof arg.channel !== 'string' || typeof arg.instId !== 'string') {
        this.error(conn, id, '60013', `Invalid args: ${JSON.stringify(a)}`);
        continue;
      }
      if (m.op === 'subscribe') this.subscribe(conn, id, arg.channel, arg.instId);
      else {
        conn.subs.delete(subKey(arg.channel, arg.instId));
        this.ack(conn, id, 'unsubscribe', arg.channel, arg.instId);
      }
    }
  }

  private subscribe(conn: Conn, id: string | undefined, channel: string, instId: string): void {
    if (DERIV_CHANNELS.has(channel)) return this.subscribeDeriv(conn, id, channel, instId, undefined);
    const listed = this.path.instrument(instId) !== undefined && instId.includes('-') && this.path.listedFrom(instId) <= this.now();
    const isCandle = channel.startsWith('candle');
    const bar = channel.slice('candle'.length);
    if (conn.kind === 'public' && isCandle && isOkxBar(bar)) {
      return this.error(
        conn,
        id,
        '64001',
        "This channel has been migrated to the '/business' URL. Please subscribe using the new URL. More details can refer to: https://www.okx.com/help-center/changes-to-v5-api-websocket-subscription-parameter-and-url",
      );
    }
    if (conn.kind === 'business' && channel === 'tickers') {
      return this.error(conn, id, '64002', 'This channel is not supported by "/business" URL. Please use "/public" URL.');
    }
    const ok = listed && ((conn.kind === 'public' && channel === 'tickers') || (conn.kind === 'business' && isCandle && isOkxBar(bar)));
    if (!ok)
      return this.error(
        conn,
        id,
        '60018',
        `Wrong URL or channel:${channel},instId:${instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`,
      );
    const key = subKey(channel, instId);
    if (!conn.subs.has(key)) {
      conn.subs.set(key, { channel, instId, bar: isCandle ? (bar as OkxBar) : undefined, lastPushWall: 0, fresh: true });
    }
    this.ack(conn, id, 'subscribe', channel, instId);
  }

  private subscribeDeriv(
    conn: Conn,
    id: string | undefined,
    channel: string,
    instId: string | undefined,
    instType: string | undefined,
  ): void {
    if (conn.kind !== 'public')
      return this.error(conn, id, '64002', 'This channel is not supported by "/business" URL. Please use "/public" URL.');
    const why = this.derivs.refuse(channel, instId, instType, this.now());
    if (why) return this.error(conn, id, '60018', why);
    const target = (instId ?? instType)!;
    const key = subKey(channel, target);
    if (!conn.subs.has(key)) {
      if (conn.subs.size >= (this.opts.maxSubsPerConnection ?? Number.POSITIVE_INFINITY)) {
        this.error(conn, id, '64009', 'This connection has too many subscriptions.');
        conn.ws.close(4009, 'too many subscriptions');
        return;
      }
      conn.subs.set(key, { channel, instId: target, lastPushWall: 0, fresh: true });
    }
    this.ack(conn, id, 'subscribe', channel, target, instId ? 'instId' : 'instType');
  }

  private ack(
    conn: Conn,
    id: string | undefined,
    event: string,
    channel: string,
    instId: string,
    field: 'instId' | 'instType' = 'instId',
  ): void {
    this.send(conn, JSON.stringify({ ...(id ? { id } : {}), event, arg: { channel, [field]: instId }, connId: conn.connId }));
  }

  private error(conn: Conn, id: string | undefined, code: string, msg: string): void {
    this.send(conn, JSON.stringify({ ...(id ? { id } : {}), event: 'error', code, msg, connId: conn.connId }));
  }

  /** A push, unless a corrupt-push fault is pending, in which case rows our schemas must reject. */
  private push(conn: Conn, channel: string, instId: string, data: unknown[], arg?: Record<string, string>): void {
    let body = data;
    if (this.faults.corruptPushes > 0) {
      this.faults.corruptPushes--;
      body = channel === 'tickers' ? [{ instId, last: 'not-a-number' }] : [['bad-row']];
    }
    this.stats.pushes++;
    this.send(conn, JSON.stringify({ arg: arg ?? { channel, instId }, data: body }));
  }

  private tick(): void {
    const wall = Date.now();
    if (this.faults.isSilent(wall)) return;
    const now = this.now();
    const tickerCache = new Map<string, Record<string, string>>();
    const tickerPayload = (instId: string) => {
      let p = tickerCache.get(instId);
      if (!p) tickerCache.set(instId, (p = wsTicker(tickerValues(this.path, this.path.instrument(instId)!, now))));
      return p;
    };
    const dueNow = new Set<string>();
    for (const conn of this.conns) {
      for (const sub of conn.subs.values()) {
        if (sub.channel === 'tickers') {
          const due = this.nextTickerDue.get(sub.instId) ?? 0;
          if (wall >= due) dueNow.add(sub.instId);
          if (wall >= due || sub.fresh) {
            sub.fresh = false;
            this.push(conn, 'tickers', sub.instId, [tickerPayload(sub.instId)]);
          }
        } else if (sub.bar) {
          this.candleTick(conn, sub, now, wall);
        } else if (DERIV_CHANNELS.has(sub.channel)) {
          this.derivs.tick(sub, now, wall, (ch, id, data, arg) => this.push(conn, ch, id, data, arg));
        }
      }
      if (wall - conn.lastActivityWall >= this.opts.idleCloseMs && conn.ws.readyState === WebSocket.OPEN) {
        conn.ws.close(4004, 'No data received in 30s');
      }
    }
    const [lo, hi] = this.opts.tickerIntervalMs;
    for (const instId of dueNow) this.nextTickerDue.set(instId, wall + lo + Math.random() * (hi - lo));
  }

  private candleTick(conn: Conn, sub: Sub, now: number, wall: number): void {
    const bar = sub.bar!;
    const open = barOpenAt(bar, now);
    const inst = this.path.instrument(sub.instId)!;
    // Every push, the final one included, keeps OKX's at-most-once-a-second cadence.
    if (wall - sub.lastPushWall < this.opts.candleIntervalMs) return;
    if (sub.lastBarOpen !== undefined && open > sub.lastBarOpen) {
      // The bar we were pushing has closed: one final confirm "1" push; the new bar follows a second later.
      const done = this.path.bar(sub.instId, bar, sub.lastBarOpen, now);
      sub.lastBarOpen = open;
      sub.lastPushWall = wall;
      if (done) this.push(conn, sub.channel, sub.instId, [candleRow(inst, done)]);
      return;
    }
    const forming = this.path.bar(sub.instId, bar, open, now);
    sub.lastBarOpen = open;
    sub.lastPushWall = wall;
    if (forming) this.push(conn, sub.channel, sub.instId, [candleRow(inst, forming)]);
  }

  /** Sends text to every open connection (optionally of one kind). */
  broadcast(text: string, kind?: WsKind): void {
    for (const c of this.conns) if (!kind || c.kind === kind) this.send(c, text);
  }

  notice(): void {
    for (const c of this.conns) {
      this.send(
        c,
        JSON.stringify({
          event: 'notice',
          code: '64008',
          msg: 'The connection will soon be closed for a service upgrade. Please reconnect.',
          connId: c.connId,
        }),
      );
    }
  }

  drop(graceful: boolean): number {
    const n = this.conns.size;
    for (const c of this.conns) {
      if (graceful) c.ws.close(1001, 'Going away');
      else c.ws.terminate();
    }
    this.stats.dropped += n;
    return n;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.conns) c.ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}
