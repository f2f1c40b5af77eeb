import type { StreamCounters, StreamStatus } from '../../../../preload/contract/market.js';

/** Mode, freshness and counters of one collector stream (tickers or candles), for the status screen. */
export class StreamTracker {
  mode: StreamStatus['mode'] = 'down';
  lastMessageAt: number | null = null;
  lastError: string | null = null;
  readonly counters: StreamCounters = { wsMessages: 0, restCalls: 0, reconnects: 0, errors: 0, malformed: 0, rateLimited: 0 };

  constructor(readonly name: StreamStatus['name']) {}

  message(at: number, via: 'ws' | 'rest'): void {
    this.lastMessageAt = at;
    if (via === 'ws') this.counters.wsMessages += 1;
    else this.counters.restCalls += 1;
  }

  error(message: string, kind?: string): void {
    this.counters.errors += 1;
    if (kind === 'rate_limited') this.counters.rateLimited += 1;
    if (kind === 'malformed') this.counters.malformed += 1;
    this.lastError = message;
  }

  status(now: number): StreamStatus {
    return {
      name: this.name,
      mode: this.mode,
      lastMessageAt: this.lastMessageAt,
      lastMessageAgeMs: this.lastMessageAt === null ? null : Math.max(0, now - this.lastMessageAt),
      counters: { ...this.counters },
      lastError: this.lastError,
    };
  }
}
