/**
 * The exchange's WebSocket hosts of one socket kind (public or business) in priority order, with
 * their health, shared by every socket of that kind (collector, candles, derivatives). A socket
 * connects to `current()`: the first host that is not down. A host is degraded after one failure
 * (refused, handshake failure, a drop soon after it opened) and down after `downAfter` in a row;
 * a connection that stays up `stableMs` clears its count. A down host ahead of the one in use is
 * probed in the background (a bare handshake, nothing subscribed) after `probeMs`, doubling up to
 * `maxProbeMs` while it keeps failing; when it answers it is ok again and the sockets move back to
 * it (they are told through `onChange`).
 */
import type { LookupFunction } from 'node:net';
import { WebSocket } from 'ws';
import { hostOf, type HostHealth, type HostState } from './host-pool.js';

export interface WsHostPoolOptions {
  hosts: () => readonly string[];
  downAfter?: number;
  probeMs?: number;
  maxProbeMs?: number;
  /** A connection that closes before this is a drop that counts against its host. Default 30 s. */
  stableMs?: number;
  handshakeTimeoutMs?: number;
  lookup?: LookupFunction;
  now?: () => number;
  onSwitch?: (from: string, to: string, why: string) => void;
}

interface Entry {
  url: string;
  state: HostState;
  failures: number;
  lastError: string | null;
  lastErrorAt: number | null;
  latencyMs: number | null;
  openSince: number | null;
  /** When a socket last opened on it: a drop after that is a new failure, however soon. */
  lastOpenAt: number | null;
  probeMs: number;
  probeTimer: NodeJS.Timeout | undefined;
  probing: WebSocket | undefined;
}

/** Failures of one host this close together are one event. */
const SAME_EVENT_MS = 200;

const norm = (u: string) => u.replace(/\/+$/, '');

export class WsHostPool {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private last: string | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly o: WsHostPoolOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The host the next connection goes to. */
  current(): string {
    const list = this.list();
    const pick = list.find((e) => e.state !== 'down') ?? list[0]!;
    if (this.last !== null && this.last !== pick.url) {
      const prev = this.entries.get(this.last);
      this.o.onSwitch?.(this.last, pick.url, prev?.state === 'down' ? (prev.lastError ?? 'down') : `${hostOf(pick.url)} answers again`);
    }
    this.last = pick.url;
    return pick.url;
  }

  /** Told when `current()` may have changed (a host recovered, the order changed): sockets elsewhere move. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The order or the set of hosts changed (settings): sockets on a host that is no longer first move. */
  reordered(): void {
    this.emit();
  }

  opened(url: string, latencyMs: number): void {
    const e = this.entries.get(norm(url));
    if (!e) return;
    e.latencyMs = latencyMs;
    e.openSince = this.now();
    e.lastOpenAt = e.openSince;
    e.state = e.failures > 0 ? 'degraded' : 'ok';
  }

  /** A connection to `url` could not be made (refused, handshake failed or timed out). */
  failed(url: string, error: string): void {
    this.fault(url, error);
  }

  /** An open connection closed: a drop before `stableMs` counts against the host. */
  dropped(url: string, openForMs: number, reason: string): void {
    const e = this.entries.get(norm(url));
    if (!e) return;
    e.openSince = null;
    if (openForMs >= (this.o.stableMs ?? 30_000)) {
      e.failures = 0;
      return;
    }
    this.fault(url, `dropped after ${Math.round(openForMs)} ms (${reason})`);
  }

  health(): HostHealth[] {
    const active = this.last;
    const now = this.now();
    return this.list().map((e, i) => {
      if (e.openSince !== null && now - e.openSince >= (this.o.stableMs ?? 30_000)) {
        e.failures = 0;
        e.state = 'ok';
      }
      return {
        url: e.url,
        host: hostOf(e.url),
        priority: i,
        state: e.state,
        lastError: e.lastError,
        // Socket failures carry no reason of their own yet: the UI says "this host failed" with the text beside it.
        lastErrorReason: e.lastError === null ? null : { reason: 'host.failed', params: { host: hostOf(e.url) } },
        lastErrorAt: e.lastErrorAt,
        latencyMs: e.latencyMs,
        active: e.url === active,
      };
    });
  }

  /** Stops every probe (the node stops). */
  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) {
      clearTimeout(e.probeTimer);
      e.probing?.terminate();
    }
    this.listeners.clear();
  }

  private fault(url: string, error: string): void {
    const e = this.entries.get(norm(url));
    if (!e) return;
    e.openSince = null;
    const now = this.now();
    // Several sockets dropped by one event (a restart cuts them all) are one failure, not several;
    // a socket that opened again since the last failure and drops fails anew (a host that accepts
    // and drops at once must still reach "down").
    const sameEvent =
      e.lastErrorAt !== null && now - e.lastErrorAt < SAME_EVENT_MS && (e.lastOpenAt === null || e.lastOpenAt < e.lastErrorAt);
    e.lastError = error;
    e.lastErrorAt = now;
    if (sameEvent) return;
    e.failures += 1;
    if (e.failures < (this.o.downAfter ?? 2)) {
      if (e.state !== 'down') e.state = 'degraded';
      return;
    }
    const wasDown = e.state === 'down';
    e.state = 'down';
    if (!wasDown) {
      e.probeMs = this.o.probeMs ?? 15_000;
      this.scheduleProbe(e);
    }
  }

  private scheduleProbe(e: Entry): void {
    if (this.closed) return;
    clearTimeout(e.probeTimer);
    e.probeTimer = setTimeout(() => this.probe(e), e.probeMs);
    e.probeTimer.unref();
  }

  /** One bare handshake to a down host; ok brings it back (and the sockets to it if it is ahead). */
  private probe(e: Entry): void {
    if (this.closed || e.state !== 'down' || !this.entries.has(e.url)) return;
    const t0 = this.now();
    let done = false;
    const finish = (ok: boolean, why: string) => {
      if (done) return;
      done = true;
      e.probing = undefined;
      if (this.closed) return;
      if (ok) {
        e.state = 'ok';
        e.failures = 0;
        e.latencyMs = this.now() - t0;
        e.probeMs = this.o.probeMs ?? 15_000;
        this.emit();
        return;
      }
      e.lastError = why;
      e.lastErrorAt = this.now();
      e.probeMs = Math.min(e.probeMs * 2, this.o.maxProbeMs ?? 300_000);
      this.scheduleProbe(e);
    };
    let ws: WebSocket;
    try {
      ws = new WebSocket(e.url, {
        handshakeTimeout: this.o.handshakeTimeoutMs ?? 10_000,
        ...(this.o.lookup && { lookup: this.o.lookup }),
      });
    } catch (err) {
      return finish(false, (err as Error).message);
    }
    e.probing = ws;
    ws.on('open', () => {
      finish(true, 'ok');
      ws.close(1000, 'probe');
    });
    ws.on('error', (err) => finish(false, err.message));
    ws.on('close', (code) => finish(false, `closed (${code})`));
  }

  private emit(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // one socket's bug must not stop the others from moving
      }
    }
  }

  private list(): Entry[] {
    const urls = [...new Set(this.o.hosts().map(norm))];
    if (urls.length === 0) throw new Error('no WebSocket host configured');
    for (const url of urls) {
      if (!this.entries.has(url)) {
        this.entries.set(url, {
          url,
          state: 'unknown',
          failures: 0,
          lastError: null,
          lastErrorAt: null,
          latencyMs: null,
          openSince: null,
          lastOpenAt: null,
          probeMs: this.o.probeMs ?? 15_000,
          probeTimer: undefined,
          probing: undefined,
        });
      }
    }
    return urls.map((u) => this.entries.get(u)!);
  }
}
