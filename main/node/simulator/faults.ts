/**
 * Fault injection state shared by the simulator's REST and WS sides. Tests (and demos) drive it
 * through `sim.faults`; see `SimFaults` in simulator.ts for the public, documented API.
 */
import type { OkxEndpoint } from '../okx/endpoints.js';

export type RestFaultKind = '429' | '500' | 'truncated' | 'malformed';

interface PendingRestFault {
  kind: RestFaultKind;
  remaining: number;
  endpoint?: OkxEndpoint;
}

export class FaultState {
  latencyMs = 0;
  refuseUntil = 0;
  silentUntil = 0;
  silentAnswersPings = false;
  corruptPushes = 0;
  private rest: PendingRestFault[] = [];

  addRest(count: number, kind: RestFaultKind, endpoint?: OkxEndpoint): void {
    if (!Number.isInteger(count) || count < 0) throw new Error('failNextRest: count must be a whole number ≥ 0.');
    if (count > 0) this.rest.push({ kind, remaining: count, endpoint });
  }

  /** Consumes one pending REST fault that applies to `endpoint`, if any. */
  takeRest(endpoint: OkxEndpoint): RestFaultKind | undefined {
    const f = this.rest.find((r) => r.endpoint === undefined || r.endpoint === endpoint);
    if (!f) return undefined;
    if (--f.remaining <= 0) this.rest.splice(this.rest.indexOf(f), 1);
    return f.kind;
  }

  pendingRest(): number {
    return this.rest.reduce((n, r) => n + r.remaining, 0);
  }

  isSilent(wallNow: number): boolean {
    return wallNow < this.silentUntil;
  }

  isRefusing(wallNow: number): boolean {
    return wallNow < this.refuseUntil;
  }

  reset(): void {
    this.latencyMs = 0;
    this.refuseUntil = 0;
    this.silentUntil = 0;
    this.silentAnswersPings = false;
    this.corruptPushes = 0;
    this.rest = [];
  }
}

/** OKX-style per-IP limit: at most `limit` accepted requests in any sliding `windowMs`. */
export class SlidingWindowLimiter {
  private hits = new Map<string, number[]>();
  constructor(private readonly windowMs: number) {}

  /** Records the request and returns true when it is within the limit. Rejected ones are not counted. */
  allow(key: string, limit: number, now: number): boolean {
    let list = this.hits.get(key);
    if (!list) this.hits.set(key, (list = []));
    while (list.length > 0 && list[0]! <= now - this.windowMs) list.shift();
    if (list.length >= limit) return false;
    list.push(now);
    return true;
  }
}
