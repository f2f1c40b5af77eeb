import type { WebSocket } from 'ws';
import type { DatasetRegistry } from '../datasets/registry.js';

/** How long commits are gathered before one announcement per dataset (well inside 100 ms). */
const COALESCE_MS = 20;

/**
 * The change stream behind `WS /api/data-sync/sender/stream`: commits are mapped from tables to
 * dataset codes, bursts coalesced, then each client gets `{"type":"changed","code","maxSeq"}`
 * per dataset, with the dataset's own max seq (what a receiver compares its cursor with).
 */
export class ChangeFeed {
  private readonly clients = new Set<WebSocket>();
  /** Who each client authenticated as (a device id, or 'shared'), so a revoke closes only that device's streams. */
  private readonly owners = new WeakMap<WebSocket, string>();
  private readonly pending = new Set<string>();
  /** The max seq last announced per code. */
  private readonly announced = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly registry: DatasetRegistry) {}

  /** Feed it store commits (`store.onCommit`). */
  onCommit(table: string): void {
    for (const code of this.registry.codesForTable(table)) this.pending.add(code);
    if (this.pending.size > 0 && !this.timer && this.clients.size > 0) {
      this.timer = setTimeout(() => this.announce(), COALESCE_MS);
    } else if (this.clients.size === 0) {
      this.pending.clear();
    }
  }

  add(socket: WebSocket, hello: object, owner = 'shared'): void {
    this.clients.add(socket);
    this.owners.set(socket, owner);
    const drop = () => this.clients.delete(socket);
    socket.on('close', drop);
    socket.on('error', drop);
    // Clients only listen; anything they send is ignored (and bounded by maxPayload).
    socket.on('message', () => {});
    socket.send(JSON.stringify(hello));
    if (!this.heartbeat) {
      // Keeps NATs and idle timeouts from silently dropping a quiet stream.
      this.heartbeat = setInterval(() => {
        for (const c of this.clients) if (c.readyState === c.OPEN) c.ping();
      }, 30_000);
      this.heartbeat.unref();
    }
  }

  get size(): number {
    return this.clients.size;
  }

  /** Closes every client (token rotated, sender stopping): they must reconnect and re-authenticate. */
  closeAll(code = 1001, reason = 'sender stopping'): void {
    for (const c of this.clients) c.close(code, reason);
    this.clients.clear();
  }

  /** Closes the streams of one device (revoked) or of the shared token (switched off). */
  closeOwner(owner: string, code: number, reason: string): void {
    for (const c of this.clients) {
      if (this.owners.get(c) !== owner) continue;
      c.close(code, reason);
      this.clients.delete(c);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
    this.pending.clear();
    for (const c of this.clients) c.terminate();
    this.clients.clear();
  }

  private announce(): void {
    this.timer = undefined;
    const codes = [...this.pending];
    this.pending.clear();
    const messages: string[] = [];
    for (const code of codes) {
      const maxSeq = this.registry.maxSeq(code);
      // Datasets sharing a table (KL001…KLD01 in candles) are all woken by its commit; tell only those that moved.
      if (this.announced.get(code) === maxSeq) continue;
      this.announced.set(code, maxSeq);
      messages.push(JSON.stringify({ type: 'changed', code, maxSeq }));
    }
    for (const c of this.clients) {
      if (c.readyState !== c.OPEN) continue;
      for (const m of messages) c.send(m);
    }
  }
}
