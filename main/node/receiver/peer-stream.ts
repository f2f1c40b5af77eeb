import WebSocket from 'ws';
import { z } from 'zod';
import { backoffDelay, type BackoffPolicy } from '../timing/backoff.js';

const Message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), nodeId: z.string().optional(), maxSeq: z.record(z.string(), z.number()).optional() }).passthrough(),
  z.object({ type: z.literal('changed'), code: z.string(), maxSeq: z.number() }).passthrough(),
]);

export interface PeerStreamOptions {
  url: string;
  token: () => string;
  /** Opens the socket (pinned TLS, net/pinned-tls.ts); plain `ws` when absent (loopback HTTP). */
  open?: (url: string, headers: Record<string, string>) => WebSocket;
  backoff: BackoffPolicy;
  /** The peer announced data: a dataset's max seq (hello gives every dataset's). */
  onChanged(code: string, maxSeq: number): void;
  onState(connected: boolean, error: string | null): void;
  /** The peer's node id from the stream's hello. */
  onHello?(nodeId: string | undefined): void;
}

/**
 * The peer's change stream (`WS /api/data-sync/sender/stream`). Reconnects with backoff for as
 * long as it is started; a refused handshake (401/403) is reported and retried slowly, since the
 * sync loop itself stops the peer on auth failures and stops this stream with it.
 */
export class PeerStream {
  private socket: WebSocket | null = null;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private running = false;
  connected = false;

  constructor(private readonly opts: PeerStreamOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.removeAllListeners();
      s.on('error', () => {});
      s.terminate();
    }
    if (this.connected) {
      this.connected = false;
      this.opts.onState(false, null);
    }
  }

  private connect(): void {
    if (!this.running) return;
    const url = `${this.opts.url.replace(/^http/, 'ws')}/api/data-sync/sender/stream`;
    const headers = { authorization: `Bearer ${this.opts.token()}` };
    const socket = this.opts.open ? this.opts.open(url, headers) : new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    this.socket = socket;
    let why: string | null = null;
    socket.on('open', () => {
      this.failures = 0;
      this.connected = true;
      this.opts.onState(true, null);
    });
    socket.on('unexpected-response', (_req, res) => {
      why = `stream refused (${res.statusCode})`;
      socket.terminate();
    });
    socket.on('message', (data) => {
      let parsed;
      try {
        parsed = Message.safeParse(JSON.parse(String(data)));
      } catch {
        return; // a garbled frame is ignored; the interval sync still runs
      }
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'changed') this.opts.onChanged(m.code, m.maxSeq);
      else {
        this.opts.onHello?.(m.nodeId);
        for (const [code, seq] of Object.entries(m.maxSeq ?? {})) this.opts.onChanged(code, seq);
      }
    });
    socket.on('error', (e) => {
      why ??= e.message;
    });
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const was = this.connected;
      this.connected = false;
      if (was || why) this.opts.onState(false, why ?? (code === 4401 ? 'token rotated on the peer' : null));
      if (!this.running) return;
      this.failures += 1;
      this.timer = setTimeout(() => this.connect(), backoffDelay(this.failures, this.opts.backoff));
      this.timer.unref();
    });
  }
}
