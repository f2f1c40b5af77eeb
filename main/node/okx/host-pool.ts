/**
 * The exchange's REST hosts in priority order (the configured one, then OKX's alternates), with
 * their health. Requests go to the first host that is not down; a host is degraded after one
 * failure of the host itself (no answer, 5xx) and down after `downAfter` in a row. A down host is
 * tried again by the next request once `retryMs` has passed (doubling up to `maxRetryMs` while it
 * keeps failing), so the first host returns as soon as it answers again.
 */
import type { Reasoned } from '../../../preload/contract/reasons.js';

export type HostState = 'ok' | 'degraded' | 'down' | 'unknown';

export interface HostHealth {
  url: string;
  host: string;
  priority: number;
  state: HostState;
  lastError: string | null;
  /** The same as a reason the UI says in its language. */
  lastErrorReason: Reasoned | null;
  lastErrorAt: number | null;
  latencyMs: number | null;
  active: boolean;
}

interface Entry {
  url: string;
  state: HostState;
  failures: number;
  lastError: string | null;
  lastErrorReason: Reasoned | null;
  lastErrorAt: number | null;
  latencyMs: number | null;
  downUntil: number;
  retryMs: number;
}

export interface HostPoolOptions {
  hosts: () => readonly string[];
  downAfter?: number;
  retryMs?: number;
  maxRetryMs?: number;
  now?: () => number;
  onSwitch?: (from: string, to: string, why: string) => void;
}

export const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export class HostPool {
  private readonly entries = new Map<string, Entry>();
  private last: string | null = null;
  /** The host that last answered (what a finished page is credited to). */
  lastOk: string | null = null;
  private readonly now: () => number;

  constructor(private readonly o: HostPoolOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The host the next request goes to. */
  current(): string {
    const list = this.list();
    const now = this.now();
    const pick = list.find((e) => e.state !== 'down' || now >= e.downUntil) ?? list[0]!;
    if (this.last !== null && this.last !== pick.url) {
      const prev = this.entries.get(this.last);
      this.o.onSwitch?.(this.last, pick.url, prev?.lastError ?? 'a host before it answers again');
    }
    this.last = pick.url;
    return pick.url;
  }

  /** What the client saw: `hostFault` = the host itself failed (not an API refusal or a rate limit). */
  record(url: string, r: { ok: boolean; hostFault?: boolean; latencyMs: number; error?: string; reason?: Reasoned }): void {
    const e = this.entries.get(url.replace(/\/+$/, ''));
    if (!e) return;
    e.latencyMs = r.latencyMs;
    if (r.ok || !r.hostFault) {
      e.state = r.ok ? 'ok' : e.state === 'unknown' ? 'ok' : e.state;
      if (r.ok) {
        this.lastOk = e.url;
        e.failures = 0;
        e.retryMs = this.o.retryMs ?? 30_000;
      }
      return;
    }
    e.failures += 1;
    e.lastError = r.error ?? 'failed';
    e.lastErrorReason = r.reason ?? { reason: 'host.failed', params: { host: hostOf(e.url) } };
    e.lastErrorAt = this.now();
    if (e.failures >= (this.o.downAfter ?? 2)) {
      // Tried again after a pause that doubles while it keeps failing.
      const wasDown = e.state === 'down';
      e.state = 'down';
      e.downUntil = this.now() + e.retryMs;
      if (wasDown) e.retryMs = Math.min(e.retryMs * 2, this.o.maxRetryMs ?? 300_000);
    } else e.state = 'degraded';
  }

  health(): HostHealth[] {
    const active = this.last;
    return this.list().map((e, i) => ({
      url: e.url,
      host: hostOf(e.url),
      priority: i,
      state: e.state,
      lastError: e.lastError,
      lastErrorReason: e.lastErrorReason,
      lastErrorAt: e.lastErrorAt,
      latencyMs: e.latencyMs,
      active: e.url === active,
    }));
  }

  private list(): Entry[] {
    const urls = [...new Set(this.o.hosts().map((u) => u.replace(/\/+$/, '')))];
    for (const url of urls) {
      if (!this.entries.has(url)) {
        this.entries.set(url, {
          url,
          state: 'unknown',
          failures: 0,
          lastError: null,
          lastErrorReason: null,
          lastErrorAt: null,
          latencyMs: null,
          downUntil: 0,
          retryMs: this.o.retryMs ?? 30_000,
        });
      }
    }
    return urls.map((u) => this.entries.get(u)!);
  }
}
