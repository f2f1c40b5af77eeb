/**
 * A reconnecting OKX WebSocket: subscribes to a set of args, keeps the link alive with OKX's text
 * "ping"/"pong", reconnects with the node's backoff (`timing/backoff.ts`), resubscribes,
 * reconnects at once on the 64008 upgrade notice, and validates every push. Nothing in here throws
 * at the caller: bad frames are counted and reported through `onMalformed`.
 */
import type { LookupFunction } from 'node:net';
import { WebSocket } from 'ws';
import type { OkxWsError, OkxWsSubArg } from './schemas.js';
import { readWsFrame, type OkxWsPush } from './ws-frames.js';
import { backoffDelay, type BackoffPolicy } from '../timing/backoff.js';
import { withinDeadline } from '../timing/deadline.js';
import { hostOf } from './host-pool.js';
import { WsHostPool } from './ws-host-pool.js';

const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

export type { OkxWsPush } from './ws-frames.js';

export type WsUrlSource = string | (() => string) | WsHostPool;

export type OkxWsState = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

export interface OkxWsOptions {
  /**
   * ws:// or wss:// URL; a function is read on every (re)connect, so settings changes apply. A host
   * pool (ws-host-pool.ts) is told how each connection went and moves the socket between hosts.
   */
  url: WsUrlSource;
  /** Subscriptions to hold; more can be added with subscribe(). */
  args?: OkxWsSubArg[];
  /** Args per subscribe request (default 100, far below OKX's 64 KB), and the gap between requests
   *  in ms (default 0: all at once). OKX counts 480 requests per connection per hour. */
  subscribeChunk?: number;
  subscribePaceMs?: number;
  /** Send "ping" after this long without any inbound frame (must be < 30 s). Default 20 000. */
  pingAfterMs?: number;
  /** Reconnect if nothing (normally "pong") arrives this long after a ping. Default 5 000. */
  pongTimeoutMs?: number;
  /** Reconnect delays (`timing/backoff.ts`); defaults 500 ms doubling up to 30 s. */
  backoff?: Partial<BackoffPolicy>;
  /** Give up a connection attempt after this long. Default 10 000. */
  handshakeTimeoutMs?: number;
  /** Resolves the host (net/resolver.ts); default: the OS resolver. */
  lookup?: LookupFunction;
  onPush?: (push: OkxWsPush) => void;
  onMalformed?: (reason: string, raw: string) => void;
  /** Error events from the server (e.g. 60018 unknown channel/instId). */
  onServerError?: (err: OkxWsError) => void;
  onStateChange?: (state: OkxWsState, detail: string) => void;
}

export interface OkxWsCounters {
  messages: number;
  pushes: number;
  connects: number;
  reconnects: number;
  errors: number;
  malformed: number;
  serverErrors: number;
  notices: number;
  pingsSent: number;
  pongTimeouts: number;
}

export interface OkxWsStatus {
  state: OkxWsState;
  connected: boolean;
  url: string;
  connId?: string;
  subscriptions: number;
  /** Subscriptions the server has acknowledged on the current connection. */
  acked: number;
  lastMessageAt?: number;
  lastMessageAgeMs: number | null;
  /** Data pushes only (pongs and acks do not count): the measure of a silent feed. */
  lastPushAt?: number;
  lastPushAgeMs: number | null;
  lastError?: string;
  counters: OkxWsCounters;
}

const argKey = (a: OkxWsSubArg) => `${a.channel}|${'instId' in a ? a.instId : a.instType}`;

export class OkxWsClient {
  private ws: WebSocket | undefined;
  private state: OkxWsState = 'idle';
  private readonly subs = new Map<string, OkxWsSubArg>();
  /** Requests waiting for their turn when subscribes are paced. */
  private outbox: string[] = [];
  private paceTimer: NodeJS.Timeout | undefined;
  private readonly acked = new Set<string>();
  private attempt = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private connId: string | undefined;
  private lastMessageAt: number | undefined;
  private lastPushAt: number | undefined;
  private lastError: string | undefined;
  private everConnected = false;
  /** The URL of the current connection attempt, when it started, and when it opened. */
  private connUrl = '';
  private connStartedAt = 0;
  private connOpenedAt: number | null = null;
  private offPool: (() => void) | undefined;
  private readonly counters: OkxWsCounters = {
    messages: 0,
    pushes: 0,
    connects: 0,
    reconnects: 0,
    errors: 0,
    malformed: 0,
    serverErrors: 0,
    notices: 0,
    pingsSent: 0,
    pongTimeouts: 0,
  };

  constructor(private readonly opts: OkxWsOptions) {
    for (const a of opts.args ?? []) this.subs.set(argKey(a), a);
  }

  start(): void {
    if (this.state !== 'idle' && this.state !== 'stopped') return;
    const pool = this.pool();
    // A host ahead of this one answers again (or the order changed): move there now.
    if (pool && !this.offPool)
      this.offPool = pool.onChange(() => {
        const next = pool.current();
        if (this.state !== 'stopped' && this.state !== 'idle' && next !== this.connUrl) this.reconnect(`moving to ${hostOf(next)}`, true);
      });
    this.connect();
  }

  /** Closes the socket and stops reconnecting. */
  async stop(): Promise<void> {
    this.setState('stopped', 'stopped by the node');
    this.offPool?.();
    this.offPool = undefined;
    this.clearTimers();
    clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = undefined;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000, 'bye');
    // An exchange that never answers the close handshake is cut off after a second.
    if ((await withinDeadline(closed, 1_000)) === 'late') ws.terminate();
  }

  subscribe(args: OkxWsSubArg[]): void {
    const fresh = args.filter((a) => !this.subs.has(argKey(a)));
    for (const a of fresh) this.subs.set(argKey(a), a);
    if (fresh.length) this.sendOp('subscribe', fresh);
  }

  unsubscribe(args: OkxWsSubArg[]): void {
    const known = args.filter((a) => this.subs.delete(argKey(a)));
    for (const a of known) this.acked.delete(argKey(a));
    if (known.length) this.sendOp('unsubscribe', known);
  }

  /** Drops the current connection and reconnects (immediately when `immediate`). */
  reconnect(reason: string, immediate = false): void {
    if (this.state === 'stopped' || this.state === 'idle') return;
    this.lastError = reason;
    clearTimeout(this.retryTimer);
    this.abandonSocket();
    if (immediate) {
      this.attempt = 0;
      this.connect();
    } else this.scheduleReconnect(reason);
  }

  status(): OkxWsStatus {
    const now = Date.now();
    return {
      state: this.state,
      connected: this.state === 'open',
      url: this.url(),
      connId: this.connId,
      subscriptions: this.subs.size,
      acked: this.acked.size,
      lastMessageAt: this.lastMessageAt,
      lastMessageAgeMs: this.lastMessageAt === undefined ? null : now - this.lastMessageAt,
      lastPushAt: this.lastPushAt,
      lastPushAgeMs: this.lastPushAt === undefined ? null : now - this.lastPushAt,
      lastError: this.lastError,
      counters: { ...this.counters },
    };
  }

  private url(): string {
    const u = this.opts.url;
    return u instanceof WsHostPool ? u.current() : typeof u === 'function' ? u() : u;
  }

  private pool(): WsHostPool | undefined {
    return this.opts.url instanceof WsHostPool ? this.opts.url : undefined;
  }

  /** Tells the pool how the connection to `connUrl` ended: never opened (a failure) or dropped. */
  private reportEnd(reason: string): void {
    const pool = this.pool();
    if (!pool || !this.connUrl) return;
    if (this.connOpenedAt === null) pool.failed(this.connUrl, reason);
    else pool.dropped(this.connUrl, Date.now() - this.connOpenedAt, reason);
    this.connOpenedAt = null;
  }

  private setState(s: OkxWsState, detail: string): void {
    if (this.state === s) return;
    this.state = s;
    this.opts.onStateChange?.(s, detail);
  }

  private connect(): void {
    if (this.everConnected) this.counters.reconnects++;
    this.everConnected = true;
    const url = this.url();
    this.connUrl = url;
    this.connStartedAt = Date.now();
    this.connOpenedAt = null;
    this.setState('connecting', url);
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        handshakeTimeout: this.opts.handshakeTimeoutMs ?? 10_000,
        ...(this.opts.lookup && { lookup: this.opts.lookup }),
      });
    } catch (e) {
      // A bad URL from settings: report and keep retrying (the setting may be fixed meanwhile).
      this.counters.errors++;
      this.lastError = (e as Error).message;
      this.reportEnd(this.lastError);
      this.scheduleReconnect(this.lastError);
      return;
    }
    this.ws = ws;
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.counters.connects++;
      this.connOpenedAt = Date.now();
      this.pool()?.opened(url, this.connOpenedAt - this.connStartedAt);
      this.acked.clear();
      this.setState('open', 'connected');
      this.sendOp('subscribe', [...this.subs.values()]);
      this.armPing();
    });
    ws.on('message', (data, isBinary) => {
      if (this.ws === ws) this.onFrame(isBinary ? '' : data.toString());
    });
    ws.on('error', (e) => {
      if (this.ws !== ws) return;
      this.counters.errors++;
      this.lastError = e.message;
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.clearTimers();
      if (this.state === 'stopped') return;
      const why = `closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
      // A refused or failed handshake closes with 1006; the error event said why.
      this.reportEnd(this.connOpenedAt === null ? (this.lastError ?? why) : why);
      this.scheduleReconnect(why);
    });
  }

  private abandonSocket(): void {
    const ws = this.ws;
    this.ws = undefined;
    this.clearTimers();
    ws?.terminate();
  }

  private scheduleReconnect(reason: string): void {
    if (this.state === 'stopped') return;
    clearTimeout(this.retryTimer);
    this.attempt++;
    // The pool moved this socket to another host: no reason to wait out the failing one's backoff.
    if (this.pool() && this.url() !== this.connUrl) this.attempt = 1;
    const delay = backoffDelay(this.attempt, { ...RECONNECT_BACKOFF, ...this.opts.backoff });
    this.setState('waiting', `${reason}; retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private sendOp(op: 'subscribe' | 'unsubscribe', args: OkxWsSubArg[]): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || args.length === 0) return;
    // Chunks keep each request far below OKX's 64 KB args limit.
    const n = this.opts.subscribeChunk ?? 100;
    for (let i = 0; i < args.length; i += n) this.outbox.push(JSON.stringify({ op, args: args.slice(i, i + n) }));
    this.drainOutbox();
  }

  /** Sends queued requests, one per `subscribePaceMs` when pacing is on. */
  private drainOutbox(): void {
    if (this.paceTimer) return;
    const ws = this.ws;
    const pace = this.opts.subscribePaceMs ?? 0;
    while (this.outbox.length > 0) {
      if (!ws || ws.readyState !== WebSocket.OPEN) return void (this.outbox = []);
      ws.send(this.outbox.shift()!);
      if (pace > 0 && this.outbox.length > 0) {
        this.paceTimer = setTimeout(() => {
          this.paceTimer = undefined;
          this.drainOutbox();
        }, pace);
        return;
      }
    }
  }

  private armPing(): void {
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = setTimeout(() => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      ws.send('ping');
      this.counters.pingsSent++;
      this.pongTimer = setTimeout(() => {
        this.counters.pongTimeouts++;
        this.reportEnd('no pong after ping');
        this.reconnect('no pong after ping');
      }, this.opts.pongTimeoutMs ?? 5_000);
    }, this.opts.pingAfterMs ?? 20_000);
  }

  private clearTimers(): void {
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.paceTimer);
    this.paceTimer = undefined;
    // Requests for a connection that is gone: the next one subscribes everything afresh.
    this.outbox = [];
  }

  private malformed(reason: string, raw: string): void {
    this.counters.malformed++;
    try {
      this.opts.onMalformed?.(reason, raw.slice(0, 500));
    } catch {
      // a listener's bug must not take the socket down
    }
  }

  private onFrame(text: string): void {
    const now = Date.now();
    this.counters.messages++;
    this.lastMessageAt = now;
    this.armPing();
    const f = readWsFrame(text, now);
    switch (f.type) {
      case 'pong':
      case 'ignored':
        return;
      case 'malformed':
        return this.malformed(f.reason, text);
      case 'ack': {
        this.connId = f.connId ?? this.connId;
        const target = f.arg.instId ?? f.arg.instType;
        if (target) {
          const k = `${f.arg.channel}|${target}`;
          if (f.event === 'subscribe') this.acked.add(k);
          else this.acked.delete(k);
        }
        this.attempt = 0;
        return;
      }
      case 'error':
        this.counters.serverErrors++;
        this.counters.errors++;
        this.lastError = `server error ${f.error.code}: ${f.error.msg}`;
        this.opts.onServerError?.(f.error);
        return;
      case 'notice':
        this.counters.notices++;
        // 64008: the server restarts soon; move now rather than be cut off mid-stream.
        if (f.code === '64008') this.reconnect('service upgrade notice (64008)', true);
        return;
      case 'push':
        this.counters.pushes++;
        this.lastPushAt = now;
        this.attempt = 0; // data flows: the next outage starts again from the short delay
        try {
          this.opts.onPush?.(f.push);
        } catch (e) {
          this.counters.errors++;
          this.lastError = `push listener failed: ${(e as Error).message}`;
        }
    }
  }
}
