import { HandlerError } from '../../../preload/contract/result.js';
import {
  type PeerDatasetStatus,
  type PeerInput,
  type PeerRunOutcome,
  type PeerStatus,
  type ReceiverConfig,
  type SyncRun,
  type SyncStatus,
} from '../../../preload/contract/receiver.js';
import type { ComponentStatus } from '../../../preload/contract/core.js';
import type { Component } from '../component.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/logger.js';
import { BOOKKEEPING } from '../store/sync-table.js';
import type { Store } from '../store/store.js';
import { syncTableDefs, type SyncTableName } from '../store/tables.js';
import type { BackoffPolicy } from '../timing/backoff.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { PageApplier } from './page-apply.js';
import { BusyError, PeerLoop, type PageApplierFactory } from './peer-loop.js';
import { PeerStore, type StoredPeer } from './peer-store.js';
import { testPeer } from './test-peer.js';
import { parsePairLink, type PairResult } from '../../../preload/contract/pairing.js';
import type { HandlerParsedInput } from '../../../preload/contract.js';
import { PairingError, pairWithSender } from '../pairing/pair-client.js';
import type { NodeIdentity } from '../security/identity.js';
import { nodeIdOf, parseNodeId } from '../security/node-id.js';
import { transportOf } from './peer-transport.js';
import { datasetReason, peerReason } from './peer-reason.js';

export interface ReceiverOptions {
  store: Store;
  bus: EventBus;
  log: Logger;
  registry: DatasetRegistry;
  /** This node's certificate, presented to senders (pairing binds it; devices are known by it). */
  identity: NodeIdentity;
  /** Told to a sender while pairing, as this device's name there. */
  nodeName: () => string;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  now?: () => number;
}

/**
 * The receiver as a node component: the peers, one PeerLoop each, the auto-sync switch and the
 * status every screen shows. All state lives in SQLite (migration 005); the loops only hold timers.
 */
export class ReceiverService implements Component {
  readonly name = 'receiver';
  readonly peers: PeerStore;
  private readonly loops = new Map<string, PeerLoop>();
  private readonly appliers = new Map<string, PageApplierFactory | null>();
  private config: ReceiverConfig;
  private running = false;
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly configListeners = new Set<(c: ReceiverConfig) => void>();

  constructor(private readonly o: ReceiverOptions) {
    this.peers = new PeerStore(o.store.db);
    this.config = this.peers.config();
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.running = true;
    for (const p of this.peers.list()) {
      // A run cut short by a crash left "syncing" behind; its committed pages are all kept.
      if (p.state === 'syncing') this.peers.setState(p.id, { state: 'idle' });
      this.loopFor(this.peers.get(p.id)!).refresh(true, 'startup');
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    await Promise.all([...this.loops.values()].map((l) => l.stop()));
    this.loops.clear();
  }

  status(): ComponentStatus {
    const peers = this.peers.list();
    const failing = peers.filter((p) => p.state !== 'idle' && p.state !== 'syncing' && p.state !== 'disabled');
    const detail = `${peers.length} peer${peers.length === 1 ? '' : 's'}, auto-sync ${this.autoActive() ? 'on' : 'off'}${failing.length ? `, ${failing.length} failing` : ''}`;
    const params = { n: peers.length, auto: this.autoActive() ? 'on' : 'off', failing: failing.length };
    const text = { key: failing.length ? 'receiver.peersFailing' : 'receiver.peers', params };
    if (!this.running) return { name: this.name, state: 'stopped', detail, text };
    const state = failing.length ? 'error' : [...this.loops.values()].some((l) => l.busy) ? 'running' : 'idle';
    return { name: this.name, state, detail, text };
  }

  onConfig(listener: (c: ReceiverConfig) => void): () => void {
    this.configListeners.add(listener);
    return () => this.configListeners.delete(listener);
  }

  // --- peers ---------------------------------------------------------------------------------

  peerStatus(p: StoredPeer): PeerStatus {
    const loop = this.loops.get(p.id);
    const live = loop?.peer ?? p;
    const state = !p.enabled ? 'disabled' : live.state;
    const datasetStatus: PeerDatasetStatus[] = this.peers.cursors(p.id).map((d) => {
      const own = d.state === 'backing_off' && d.lastError !== null;
      const lastError = d.lastError ?? (state !== 'idle' && state !== 'syncing' ? live.lastError : null);
      return {
        ...d,
        state: own ? 'backing_off' : state === 'idle' && d.state === 'syncing' ? 'idle' : state === 'syncing' ? d.state : state,
        lastError,
        lastErrorReason:
          lastError === null ? null : d.lastError !== null ? datasetReason(loop, d.code, d.lastErrorReason) : peerReason(live, loop),
      };
    });
    const transport = transportOf(p).kind;
    return {
      ...p,
      state,
      identity: p.fingerprint ? { nodeId: nodeIdOf(p.fingerprint), fingerprint: p.fingerprint } : null,
      transport,
      pairedAt: p.pairedAt,
      nodeId: live.nodeId,
      lastSeen: live.lastSeen,
      lastError: live.lastError,
      lastErrorReason: peerReason(live, loop),
      failures: live.failures,
      nextRunAt: loop?.nextRunAt ?? null,
      streamConnected: loop?.streamConnected ?? false,
      datasetStatus,
    };
  }

  /** Why the peer's last run failed, as the UI says it (Settings › Sources shows it too); null when it did not. */
  errorReasonOf = (p: StoredPeer) => peerReason(this.loops.get(p.id)?.peer ?? p, this.loops.get(p.id));

  list(): PeerStatus[] {
    return this.peers.list().map((p) => this.peerStatus(p));
  }

  /** `input` was validated by dispatch (`peers.add`); only what the schema cannot know is checked here. */
  add(input: PeerInput): PeerStatus {
    this.checkCodes(input.datasets);
    const p = this.peers.add(input, this.now());
    this.o.log.info(`peer added: ${p.name} (${p.url})`);
    if (this.running) this.loopFor(p).refresh(true, 'startup');
    this.changed();
    return this.peerStatus(p);
  }

  /** `patch` was validated by dispatch (`peers.update`). */
  update(id: string, patch: HandlerParsedInput<'peers.update'>['patch']): PeerStatus {
    const cur = this.mustGet(id);
    this.checkCodes(patch.datasets ?? null);
    const next = { ...cur, ...patch };
    this.peers.update(id, next, this.now());
    const reconnect = next.url !== cur.url || next.token !== cur.token;
    // Editing the address or token is how a refused peer is fixed: let it try again.
    const state = !next.enabled ? 'disabled' : reconnect || cur.state === 'disabled' ? 'idle' : cur.state;
    this.peers.setState(id, { state, ...(state === 'idle' && { lastError: null, failures: 0 }) });
    const stored = this.mustGet(id);
    if (this.running) {
      const old = this.loops.get(id);
      if (old && !old.busy && (reconnect || !next.enabled)) {
        void old.stop();
        this.loops.delete(id);
      }
      const loop = this.loopFor(stored);
      loop.peer = stored;
      loop.refresh(reconnect || (cur.state === 'disabled' && next.enabled));
    }
    this.o.log.info(`peer updated: ${stored.name}`);
    this.changed();
    return this.peerStatus(stored);
  }

  async remove(id: string): Promise<void> {
    const p = this.mustGet(id);
    const loop = this.loops.get(id);
    this.loops.delete(id);
    await loop?.stop();
    this.peers.remove(id);
    this.o.log.info(`peer removed: ${p.name}`);
    this.changed();
  }

  test(target: { id: string } | { url: string; token: string }) {
    const t = 'id' in target ? this.mustGet(target.id) : { ...target, fingerprint: null };
    return testPeer({ ...t, identity: this.o.identity }, this.o.requestTimeoutMs ?? 10_000);
  }

  /**
   * Pairs with a sender by its link or address + code, then pins it: an existing peer at that
   * address (or with that certificate) keeps its cursors and history, otherwise a new peer is added.
   * A failure changes nothing here.
   */
  async pair(input: HandlerParsedInput<'peers.pair'>): Promise<PairResult> {
    const link = 'link' in input ? parsePairLink(input.link) : null;
    if (link && !link.ok) throw new HandlerError('bad_input', link.message, { reason: 'pairing.bad_link' });
    const url = link?.ok ? link.url : 'url' in input ? input.url.replace(/^http:/, 'https:') : '';
    const code = link?.ok ? link.code : 'code' in input ? input.code : '';
    const expectedId = link?.ok ? link.nodeId : 'nodeId' in input ? input.nodeId : undefined;
    const expected = expectedId ? parseNodeId(expectedId) : null;
    if (expected && !expected.ok)
      throw new HandlerError('bad_input', 'The node ID has a typo: its check characters do not match. Copy it again.', {
        reason: 'pairing.bad_node_id',
      });
    const target = input.peerId ? this.mustGet(input.peerId) : undefined;
    let paired;
    try {
      paired = await pairWithSender({
        url,
        code,
        identity: this.o.identity,
        name: this.o.nodeName(),
        expectFingerprint: expected?.ok ? expected.fingerprint : undefined,
        timeoutMs: this.o.requestTimeoutMs ?? 15_000,
      });
    } catch (e) {
      if (!(e instanceof PairingError)) throw e;
      this.o.log.warn(`pairing with ${url} failed: ${e.message}`);
      // Never 'unauthorized': the control API answers that (401) only for a wrong admin token.
      const code = e.kind === 'unreachable' ? 'unavailable' : 'forbidden';
      throw new HandlerError(code, e.message, e.detail);
    }
    const plain = url.replace(/^https:/, 'http:');
    const existing = target ?? this.peers.list().find((p) => p.fingerprint === paired.fingerprint || p.url === url || p.url === plain);
    let id: string;
    if (existing) {
      id = existing.id;
      const old = this.loops.get(id);
      this.loops.delete(id);
      await old?.stop();
    } else {
      id = this.peers.add(
        { name: input.name ?? paired.name, url, token: '', intervalSec: 60, priority: 5, enabled: true, datasets: null },
        this.now(),
      ).id;
    }
    this.peers.pin(id, { url, token: paired.token, fingerprint: paired.fingerprint }, this.now());
    const stored = this.mustGet(id);
    this.o.log.info(`paired with ${paired.name} (${paired.nodeId}) at ${url}`);
    if (this.running) this.loopFor(stored).refresh(true, 'startup');
    this.changed();
    return { peer: this.peerStatus(stored), remote: { nodeId: paired.nodeId, fingerprint: paired.fingerprint, name: paired.name } };
  }

  // --- syncing -------------------------------------------------------------------------------

  async syncPeer(id: string, codes?: string[], trigger: SyncRun['trigger'] = 'manual'): Promise<SyncRun> {
    const p = this.mustGet(id);
    if (!p.enabled)
      throw new HandlerError('bad_input', `Peer ${p.name} is disabled; enable it first.`, {
        reason: 'peer.disabled',
        params: { name: p.name },
      });
    if (codes) this.checkCodes(codes);
    try {
      return await this.loopFor(p).runManual(trigger, codes);
    } catch (e) {
      if (e instanceof BusyError) throw new HandlerError('busy', e.message, { reason: 'peer.busy', params: { name: p.name } });
      throw e;
    }
  }

  async resync(id: string, code: string): Promise<SyncRun> {
    const p = this.mustGet(id);
    const loop = this.loopFor(p);
    if (loop.busy)
      throw new HandlerError('busy', `A sync of ${p.name} is running; resync when it finishes.`, {
        reason: 'peer.busy',
        params: { name: p.name },
      });
    this.peers.resetCursor(id, code);
    this.o.log.info(`${p.name}: resync of ${code} from zero`);
    return this.syncPeer(id, [code], 'resync');
  }

  async syncAll(): Promise<PeerRunOutcome[]> {
    const peers = this.peers.list();
    return Promise.all(
      peers.map(async (p): Promise<PeerRunOutcome> => {
        if (!p.enabled) return { peerId: p.id, name: p.name, outcome: 'disabled', run: null };
        try {
          const run = await this.syncPeer(p.id);
          return { peerId: p.id, name: p.name, outcome: run.ok ? 'ok' : 'failed', run };
        } catch (e) {
          if (e instanceof HandlerError && e.code === 'busy') return { peerId: p.id, name: p.name, outcome: 'busy', run: null };
          throw e;
        }
      }),
    );
  }

  // --- config --------------------------------------------------------------------------------

  getConfig(): ReceiverConfig {
    return { ...this.config };
  }

  updateConfig(patch: Partial<ReceiverConfig>): ReceiverConfig {
    const next: ReceiverConfig = { ...this.config, ...patch };
    const wasActive = this.autoActive();
    this.config = next;
    this.peers.saveConfig(next);
    const active = this.autoActive();
    if (active !== wasActive)
      this.o.log.info(`auto-sync ${active ? 'on' : next.pausedUntil ? `paused until ${new Date(next.pausedUntil).toISOString()}` : 'off'}`);
    for (const l of this.loops.values()) l.refresh(active && !wasActive);
    if (next.pausedUntil !== null && next.pausedUntil > this.now()) {
      // Wake the loops when the pause runs out.
      setTimeout(() => this.loops.forEach((l) => l.refresh(this.autoActive())), next.pausedUntil - this.now() + 10).unref();
    }
    for (const l of this.configListeners) l(next);
    this.changed();
    return this.getConfig();
  }

  syncStatus(): SyncStatus {
    return { ...this.getConfig(), peers: this.list() };
  }

  autoActive(): boolean {
    return this.config.autoSync && !(this.config.pausedUntil !== null && this.config.pausedUntil > this.now());
  }

  // --- internals -----------------------------------------------------------------------------

  private loopFor(p: StoredPeer): PeerLoop {
    let loop = this.loops.get(p.id);
    if (loop) return loop;
    loop = new PeerLoop(p, {
      store: this.o.store,
      peers: this.peers,
      registry: this.o.registry,
      log: this.o.log,
      backoff: this.o.backoff ?? DEFAULT_BACKOFF,
      requestTimeoutMs: this.o.requestTimeoutMs ?? 20_000,
      identity: this.o.identity,
      autoActive: () => this.running && this.autoActive(),
      changed: () => this.changed(),
      onRun: (run) => this.o.bus.emit('sync.run', run),
      onFailing: (f) => this.o.bus.emit('sync.peer.failing', f),
      table: (code) => this.applierFor(code),
      now: this.now,
    });
    this.loops.set(p.id, loop);
    return loop;
  }

  /** The local table behind a dataset code (matched by its columns), or undefined if we lack it. */
  private applierFor(code: string): PageApplierFactory | undefined {
    if (!this.appliers.has(code)) {
      let factory: PageApplierFactory | null = null;
      if (this.o.registry.has(code) && this.o.registry.kindOf(code) === 'syncable') {
        const cols = JSON.stringify(this.o.registry.info(code).columns);
        const name = (Object.keys(syncTableDefs) as SyncTableName[]).find((n) => {
          const d = syncTableDefs[n];
          return JSON.stringify([...d.key, ...d.values, ...BOOKKEEPING]) === cols;
        });
        if (name) {
          const applier = new PageApplier(this.o.store, this.peers, this.o.store.tables[name]);
          factory = () => applier;
        }
      }
      this.appliers.set(code, factory);
    }
    return this.appliers.get(code) ?? undefined;
  }

  private checkCodes(codes: readonly string[] | null): void {
    for (const c of codes ?? []) {
      if (!this.applierFor(c)) {
        throw new HandlerError('bad_input', `datasets: ${c} is not a syncable dataset of this node.`, {
          issues: [{ path: ['datasets'], reason: 'peer.dataset_not_syncable', params: { code: c }, message: 'not a syncable dataset' }],
        });
      }
    }
  }

  private mustGet(id: string): StoredPeer {
    const p = this.peers.get(id);
    if (!p)
      throw new HandlerError('not_found', `There is no peer with id ${JSON.stringify(id.slice(0, 64))}.`, { reason: 'peer.not_found' });
    return p;
  }

  /** Coalesces status pushes: a page-by-page sync must not flood the UI. */
  private changed(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      if (this.o.store.isOpen) this.o.bus.emit('sync.status', this.syncStatus());
    }, 150);
    this.statusTimer.unref();
  }
}
