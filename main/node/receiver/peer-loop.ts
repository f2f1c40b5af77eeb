import type { RunTrigger, SyncRun } from '../../../preload/contract/receiver.js';
import type { Reasoned } from '../../../preload/contract/reasons.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { Logger } from '../log/logger.js';
import type { Agent } from 'undici';
import { pinnedAgent, pinnedWebSocket, type ClientIdentity } from '../net/pinned-tls.js';
import type { Store } from '../store/store.js';
import { backoffDelay, type BackoffPolicy } from '../timing/backoff.js';
import { transportOf } from './peer-transport.js';
import { type PageApplier } from './page-apply.js';
import { PeerClient, PeerError, type PeerCatalog, type PeerPage } from './peer-client.js';
import { PeerStream } from './peer-stream.js';
import type { PeerStore, StoredPeer } from './peer-store.js';

/** Rows asked per page; a sender configured for fewer answers 400 and we fall back to its default. */
const PAGE_LIMIT = 5_000;
/** From this many failed runs in a row the node raises `sync.peer.failing`. */
export const FAILING_AFTER = 3;

export interface LoopDeps {
  store: Store;
  peers: PeerStore;
  registry: DatasetRegistry;
  log: Logger;
  backoff: BackoffPolicy;
  requestTimeoutMs: number;
  /** This node's certificate, presented to paired senders. */
  identity: ClientIdentity;
  /** Auto-sync on and not paused: scheduled and stream-triggered runs may start. */
  autoActive(): boolean;
  changed(): void;
  onRun(run: SyncRun): void;
  onFailing(p: { peerId: string; peerName: string; failures: number; lastError: string }): void;
  table(code: string): PageApplierFactory | undefined;
  now(): number;
}

export type PageApplierFactory = () => PageApplier;

export class BusyError extends Error {}

/** States a person must act on; the loop neither syncs nor streams in them. */
const STOPPED_STATES: ReadonlySet<string> = new Set(['auth_failed', 'identity_changed', 'pairing_required']);

/**
 * One peer's sync loop: runs on its interval and whenever the peer's stream announces data we lack,
 * one run at a time. A run reads the peer's catalog, then pages each wanted dataset from our cursor
 * until `hasMore` is false, committing each page with its cursor. Auth refusals stop the peer;
 * 429 waits Retry-After; other failures back off exponentially with jitter.
 */
export class PeerLoop {
  private running: Promise<SyncRun> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stream: PeerStream | null = null;
  private again = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private limit: number | undefined = PAGE_LIMIT;
  /** What the stream announced since the last run (code → peer max seq), and who announced it. */
  private announced = new Map<string, number>();
  private streamNodeId: string | undefined;
  /** The pinned connection pool to this peer (kept across runs, closed with the loop). */
  private agent: Agent | null = null;
  nextRunAt: number | null = null;
  /**
   * Why the last run failed, as the UI says it; `peer.lastError` keeps the English. Held in memory:
   * the stored peer has only the text column, so after a restart the next run's failure says it.
   */
  lastErrorReason: Reasoned | null = null;
  /** The same per dataset whose own pages failed (code → reason). */
  readonly datasetReasons = new Map<string, Reasoned>();

  constructor(
    public peer: StoredPeer,
    private readonly d: LoopDeps,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  get streamConnected(): boolean {
    return this.stream?.connected ?? false;
  }

  /** (Re)arms the loop after start, config or auto-sync changes. */
  refresh(runNow = false, trigger: RunTrigger = 'interval'): void {
    if (this.stopped) return;
    const p = this.peer;
    const active = p.enabled && !STOPPED_STATES.has(p.state) && this.d.autoActive();
    if (!active) {
      this.clearTimer();
      this.stopStream();
      return;
    }
    const transport = transportOf(p);
    if (transport.kind === 'needs_pairing') {
      this.clearTimer();
      this.stopStream();
      if (p.state !== 'pairing_required') this.fail(new PeerError('pairing', transport.why));
      return;
    }
    if (!this.stream) {
      this.stream = new PeerStream({
        url: transport.url,
        token: () => this.peer.token,
        open:
          transport.kind === 'tls'
            ? (url, headers) =>
                pinnedWebSocket(url, { pin: transport.fingerprint, identity: this.d.identity, headers, handshakeTimeout: 10_000 })
            : undefined,
        backoff: { baseMs: 1_000, maxMs: 60_000 },
        onChanged: (code, maxSeq) => this.onAnnounced(code, maxSeq),
        onHello: (nodeId) => (this.streamNodeId = nodeId),
        onState: (connected, error) => {
          if (error) this.d.log.debug(`${this.peer.name}: stream ${connected ? 'up' : `down (${error})`}`);
          this.d.changed();
        },
      });
      this.stream.start();
    }
    if (runNow) this.schedule(0, trigger);
    else if (!this.timer && !this.running)
      this.schedule(p.state === 'backing_off' ? backoffDelay(p.failures, this.d.backoff) : p.intervalSec * 1000);
  }

  /** A run for a manual request; answers BusyError when one is already running. */
  runManual(trigger: RunTrigger, codes?: string[]): Promise<SyncRun> {
    if (this.running) throw new BusyError(`A sync of ${this.peer.name} is already running; try again when it finishes.`);
    return this.start(trigger, codes);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.stopStream();
    this.abort.abort();
    await this.running?.catch(() => {});
    await this.agent?.close().catch(() => {});
    this.agent = null;
  }

  private onAnnounced(code: string, maxSeq: number): void {
    const wanted = this.peer.datasets;
    if (wanted && !wanted.includes(code)) return;
    if (!this.d.table(code)) return;
    if (maxSeq <= this.d.peers.cursor(this.peer.id, code)) return;
    this.announced.set(code, Math.max(maxSeq, this.announced.get(code) ?? 0));
    if (this.peer.state === 'backing_off' || !this.d.autoActive()) return;
    if (this.running) this.again = true;
    else this.schedule(0, 'stream');
  }

  private schedule(delayMs: number, trigger: RunTrigger = 'interval'): void {
    this.clearTimer();
    this.nextRunAt = this.d.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.nextRunAt = null;
      if (this.stopped || this.running) return;
      if (!this.d.autoActive() || !this.peer.enabled || STOPPED_STATES.has(this.peer.state)) {
        this.refresh();
        return;
      }
      void this.start(trigger).catch(() => {});
    }, delayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextRunAt = null;
  }

  private stopStream(): void {
    this.stream?.stop();
    this.stream = null;
  }

  private start(trigger: RunTrigger, codes?: string[]): Promise<SyncRun> {
    this.clearTimer();
    const p = this.run(trigger, codes).finally(() => {
      this.running = null;
      if (this.stopped) return;
      const again = this.again;
      this.again = false;
      if (again && this.peer.state === 'idle' && this.d.autoActive()) this.schedule(0, 'stream');
      else this.refresh();
    });
    this.running = p;
    return p;
  }

  private async run(trigger: RunTrigger, codes?: string[]): Promise<SyncRun> {
    const { peers, log } = this.d;
    const peer = this.peer;
    const startedAt = this.d.now();
    const totals = { pages: 0, rowsIn: 0, rowsInserted: 0, rowsUpdated: 0 };
    const done: string[] = [];
    const datasetErrors: string[] = [];
    this.setState('syncing');
    const transport = transportOf(peer);
    let error: PeerError | null = null;
    try {
      if (transport.kind === 'needs_pairing') throw new PeerError('pairing', transport.why);
      if (transport.kind === 'tls') this.agent ??= pinnedAgent({ pin: transport.fingerprint, identity: this.d.identity });
      const client = new PeerClient({
        url: transport.url,
        token: peer.token,
        timeoutMs: this.d.requestTimeoutMs,
        signal: this.abort.signal,
        dispatcher: transport.kind === 'tls' ? (this.agent ?? undefined) : undefined,
      });
      const light = this.announcedCatalog(trigger);
      const catalog = light ?? (await client.catalog());
      this.announced.clear();
      if (light) codes ??= light.datasets.map((d) => d.code);
      const nodeId = catalog.nodeId;
      if (nodeId && peer.nodeId && nodeId !== peer.nodeId) {
        // Same address, different database: its seqs mean nothing against our cursors.
        log.warn(`${peer.name} is now node ${nodeId} (was ${peer.nodeId}); pulling everything again`);
        peers.resetCursor(peer.id);
      }
      peers.setState(peer.id, { state: 'syncing', lastSeen: this.d.now(), nodeId });
      this.peer = { ...this.peer, nodeId: nodeId ?? this.peer.nodeId, lastSeen: this.d.now() };
      for (const code of this.wanted(catalog, codes)) {
        try {
          totals.pages += await this.pullDataset(client, catalog, code, totals);
          done.push(code);
        } catch (e) {
          if (!(e instanceof PeerError) || !['bad_page', 'not_found'].includes(e.kind)) throw e;
          // A bad page of one dataset: the others still sync; the run counts as failed (backoff).
          peers.markDataset(peer.id, code, { state: 'backing_off', lastError: e.message, lastErrorReason: e.detail });
          this.datasetReasons.set(code, e.detail);
          datasetErrors.push(e.message);
          error ??= e;
        }
      }
    } catch (e) {
      error = e instanceof PeerError ? e : new PeerError('server', (e as Error)?.message ?? String(e), undefined, { reason: 'internal' });
    }
    const finishedAt = this.d.now();
    const stoppedNow = this.stopped;
    if (error && !stoppedNow) this.fail(error);
    else if (!stoppedNow) {
      peers.setState(peer.id, { state: 'idle', lastError: null, failures: 0 });
      this.peer = { ...this.peer, state: 'idle', lastError: null, failures: 0 };
      this.lastErrorReason = null;
    }
    const run = peers.addRun({
      peerId: peer.id,
      startedAt,
      durationMs: finishedAt - startedAt,
      trigger,
      datasets: done,
      ...totals,
      ok: error === null,
      error: error ? (datasetErrors.length > 1 ? datasetErrors.join(' ') : error.message) : null,
      errorReason: error?.detail ?? null,
    });
    if (totals.rowsIn > 0 || error) {
      log.info(
        `${peer.name}: ${trigger} sync ${error ? 'failed' : 'done'}: ${totals.rowsIn} rows in, ${totals.rowsInserted} new, ${totals.rowsUpdated} updated in ${run.durationMs} ms${error ? ` (${error.message})` : ''}`,
      );
    }
    this.d.onRun(run);
    this.d.changed();
    return run;
  }

  /** Pages one dataset from our cursor until the peer says there is no more. Returns pages applied. */
  private async pullDataset(
    client: PeerClient,
    catalog: PeerCatalog,
    code: string,
    totals: { rowsIn: number; rowsInserted: number; rowsUpdated: number },
  ): Promise<number> {
    const { peers } = this.d;
    const peerId = this.peer.id;
    const info = catalog.datasets.find((d) => d.code === code);
    if (!info || info.kind !== 'syncable') {
      throw new PeerError('not_found', `${code}: the peer does not offer this dataset.`, undefined, { params: { code } });
    }
    const applier = this.d.table(code)?.();
    if (!applier) {
      throw new PeerError('not_found', `${code}: this node does not know this dataset (update it).`, undefined, {
        reason: 'peer.dataset_not_syncable',
        params: { code },
      });
    }
    let cursor = peers.cursor(peerId, code);
    if (info.maxSeq < cursor) {
      // The peer's seqs went backwards (restored database): start over; merging keeps it clean.
      peers.resetCursor(peerId, code);
      cursor = 0;
    }
    if (info.maxSeq <= cursor) {
      // Nothing new: no page request at all, which is what keeps converged peers quiet.
      peers.markDataset(peerId, code, { state: 'idle', peerMaxSeq: info.maxSeq, lastError: null, lastSync: this.d.now() });
      this.datasetReasons.delete(code);
      return 0;
    }
    peers.markDataset(peerId, code, { state: 'syncing', peerMaxSeq: info.maxSeq });
    let pages = 0;
    // One page is always in flight while the previous one is applied, so the sender's work and
    // ours overlap. A prefetched page is only applied after the one before it committed.
    let next: Promise<PeerPage> | null = null;
    for (;;) {
      if (this.stopped) throw new PeerError('network', 'Stopped: the node is shutting down.', undefined, { reason: 'peer.stopped' });
      let page: PeerPage;
      try {
        page = await (next ?? client.page(code, cursor, this.limit));
      } catch (e) {
        if (e instanceof PeerError && e.kind === 'bad_page' && this.limit !== undefined && /limit/.test(e.message)) {
          this.limit = undefined;
          next = null;
          continue;
        }
        throw e;
      }
      next = page.hasMore && page.rows.length > 0 ? client.page(code, page.nextSince, this.limit) : null;
      // An unhandled rejection of the prefetch must not escape if this page fails to apply.
      next?.catch(() => {});
      const r = await applier.apply(peerId, code, cursor, page, this.d.now());
      pages += 1;
      totals.rowsIn += r.rowsIn;
      totals.rowsInserted += r.inserted;
      totals.rowsUpdated += r.updated;
      if (!page.hasMore || r.rowsIn === 0) break;
      cursor = r.cursor;
    }
    peers.markDataset(peerId, code, { state: 'idle', lastError: null, lastSync: this.d.now() });
    this.datasetReasons.delete(code);
    return pages;
  }

  /**
   * A stream-triggered run of a peer we already know skips the catalog (whose row counts can cost
   * the sender a table scan) and pulls just what the stream announced: the live path stays short.
   */
  private announcedCatalog(trigger: RunTrigger): PeerCatalog | null {
    if (trigger !== 'stream' || this.announced.size === 0 || !this.peer.nodeId || this.streamNodeId !== this.peer.nodeId) return null;
    const datasets = [...this.announced].map(([code, maxSeq]) => ({ code, name: code, kind: 'syncable' as const, rows: null, maxSeq }));
    return { protocol: 1, nodeId: this.peer.nodeId, datasets };
  }

  private wanted(catalog: PeerCatalog, codes?: string[]): string[] {
    if (codes) return codes;
    if (this.peer.datasets) return this.peer.datasets;
    return catalog.datasets.filter((d) => d.kind === 'syncable' && this.d.table(d.code)).map((d) => d.code);
  }

  private fail(e: PeerError): void {
    const failures = this.peer.failures + 1;
    // Retrying cannot help these: a person must fix the token, the allow-list, or pair again.
    const auth = e.kind === 'auth' || e.kind === 'forbidden' || e.kind === 'identity' || e.kind === 'pairing';
    const state =
      e.kind === 'identity' ? 'identity_changed' : e.kind === 'pairing' ? 'pairing_required' : auth ? 'auth_failed' : 'backing_off';
    this.d.peers.setState(this.peer.id, { state, lastError: e.message, lastErrorReason: e.detail, failures });
    this.peer = { ...this.peer, state, lastError: e.message, lastErrorReason: e.detail, failures };
    this.lastErrorReason = e.detail;
    if (auth) {
      this.stopStream();
      this.clearTimer();
    } else {
      this.schedule(
        e.kind === 'rate_limited' && e.retryAfterMs !== undefined
          ? Math.max(e.retryAfterMs, 1_000)
          : backoffDelay(failures, this.d.backoff),
      );
    }
    this.d.log.warn(`${this.peer.name}: sync failed (${failures} in a row): ${e.message}`);
    if (auth || failures >= FAILING_AFTER)
      this.d.onFailing({ peerId: this.peer.id, peerName: this.peer.name, failures, lastError: e.message });
  }

  private setState(state: StoredPeer['state']): void {
    this.d.peers.setState(this.peer.id, { state });
    this.peer = { ...this.peer, state };
    this.d.changed();
  }
}
