import type { FastifyInstance } from 'fastify';
import os from 'node:os';
import type { ComponentStatus } from '../../../preload/contract/core.js';
import {
  SYNC_PROTOCOL_VERSION,
  type SenderAddress,
  type SenderConfig,
  type SenderConfigView,
  type SenderLogEntry,
  type SenderStats,
} from '../../../preload/contract/sender.js';
import type { Component } from '../component.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { AllowList } from './allow-list.js';
import { SenderToken } from './auth.js';
import { SenderConfigStore } from './config-store.js';
import { RequestLog } from './request-log.js';
import { buildSenderApp } from './server.js';
import { ChangeFeed } from './stream.js';

/** Config fields whose change needs the listener re-bound. */
const LISTENER_FIELDS: readonly (keyof SenderConfig)[] = ['enabled', 'lanEnabled', 'port'];

/**
 * The sender as a node component: owns its config, token, request log and change feed, and the
 * Fastify listener, which it (re)binds to 127.0.0.1 — or 0.0.0.0 when LAN is on — whenever the
 * node runs and the sender is enabled. A port in use is reported in status, not thrown.
 */
export class SenderService implements Component {
  readonly name = 'sender';
  readonly configStore: SenderConfigStore;
  readonly token: SenderToken;
  readonly requestLog: RequestLog;
  private readonly feed: ChangeFeed;
  private allow: AllowList;
  private app: FastifyInstance | null = null;
  private listening: SenderConfigView['listening'] = null;
  private lastError: string | null = null;
  private startedAt: number | null = null;
  private running = false;
  private statsTimer: NodeJS.Timeout | undefined;
  private statsVersion = -1;
  private offCommit: (() => void) | undefined;
  /** Serializes start/stop/restart so overlapping config updates cannot double-bind. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { store: Store; bus: EventBus; log: Logger; registry: DatasetRegistry; portOverride?: number }) {
    const db = deps.store.db;
    this.configStore = new SenderConfigStore(db, (m) => deps.log.warn(m));
    this.token = new SenderToken(db);
    this.requestLog = new RequestLog(db);
    this.feed = new ChangeFeed(deps.registry);
    this.allow = new AllowList(this.configStore.get().allowList);
  }

  start(): Promise<void> {
    this.running = true;
    this.offCommit ??= this.deps.store.onCommit((c) => this.feed.onCommit(c.table));
    this.statsTimer ??= setInterval(() => this.emitStats(), 1_000);
    this.statsTimer.unref();
    return this.serially(() => this.bind());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.offCommit?.();
    this.offCommit = undefined;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    await this.serially(() => this.unbind());
    this.requestLog.close();
  }

  status(): ComponentStatus {
    const state = this.state();
    const detail = state === 'running' ? `serving on ${this.listening?.url}` : (this.lastError ?? 'disabled');
    return { name: this.name, state: state === 'stopped' ? 'stopped' : state, detail };
  }

  configView(): SenderConfigView {
    const config = this.configStore.get();
    return {
      config,
      token: this.token.value,
      state: this.state(),
      error: this.lastError,
      listening: this.listening,
      addresses: this.listening ? reachableAddresses(this.listening.port, config.lanEnabled) : [],
    };
  }

  async updateConfig(patch: unknown): Promise<SenderConfigView> {
    const { next, changed } = this.configStore.update(patch);
    if (changed.includes('allowList')) this.allow = new AllowList(next.allowList);
    if (changed.length > 0) this.deps.log.info(`sender config changed: ${changed.join(', ')}`);
    if (this.running && changed.some((k) => LISTENER_FIELDS.includes(k))) {
      await this.serially(async () => {
        await this.unbind();
        await this.bind();
      });
    }
    return this.configView();
  }

  rotateToken(): SenderConfigView {
    this.token.rotate();
    this.deps.log.info('sender token rotated; stream clients must reconnect with the new token');
    this.feed.closeAll(4401, 'token rotated');
    return this.configView();
  }

  stats(): SenderStats {
    const config = this.configStore.get();
    return {
      protocol: SYNC_PROTOCOL_VERSION,
      nodeId: this.deps.store.nodeId,
      enabled: config.enabled,
      state: this.state(),
      error: this.lastError,
      url: this.listening?.url ?? null,
      startedAt: this.startedAt,
      uptimeMs: this.startedAt ? Date.now() - this.startedAt : 0,
      totals: this.requestLog.totals(),
      lastRequest: this.requestLog.last(),
      datasets: this.requestLog.perDataset(),
      streamClients: this.feed.size,
    };
  }

  log(q: { limit: number; beforeId?: number; dataset?: string; client?: string; outcome?: 'ok' | 'failed' }): SenderLogEntry[] {
    return this.requestLog.query(q);
  }

  private state(): SenderStats['state'] {
    if (this.app && this.listening) return 'running';
    return this.lastError ? 'error' : 'stopped';
  }

  private serially(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  private async bind(): Promise<void> {
    const config = this.configStore.get();
    this.lastError = null;
    if (!this.running || !config.enabled) return;
    const host = config.lanEnabled ? '0.0.0.0' : '127.0.0.1';
    // `--sender-port` (this run only) wins over the stored port, so several nodes can share a machine.
    const wantPort = this.deps.portOverride ?? config.port;
    const app = await buildSenderApp({
      registry: this.deps.registry,
      config: () => this.configStore.get(),
      stats: () => this.stats(),
      feed: this.feed,
      nodeId: this.deps.store.nodeId,
      token: this.token,
      allowList: () => this.allow,
      requestLog: this.requestLog,
      log: this.deps.log,
    });
    try {
      await app.listen({ host, port: wantPort });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.lastError =
        code === 'EADDRINUSE'
          ? `Port ${wantPort} is already in use on ${host}; choose another port for the sender.`
          : `The sender could not listen on ${host}:${wantPort} (${code ?? (e as Error).message}).`;
      this.deps.log.error(this.lastError);
      await app.close().catch(() => {});
      return;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : wantPort;
    this.app = app;
    this.startedAt = Date.now();
    this.listening = { host, port, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` };
    this.deps.log.info(`sender listening on ${host}:${port}${config.lanEnabled ? ' (LAN on)' : ' (loopback only)'}`);
  }

  private async unbind(): Promise<void> {
    const app = this.app;
    this.app = null;
    this.listening = null;
    this.startedAt = null;
    if (!app) return;
    this.feed.stop();
    await app.close();
  }

  private emitStats(): void {
    if (this.requestLog.changeVersion === this.statsVersion) return;
    this.statsVersion = this.requestLog.changeVersion;
    this.deps.bus.emit('sender.stats', this.stats());
  }
}

/** Where a peer can reach this sender: loopback always, each non-internal address when LAN is on. */
export function reachableAddresses(port: number, lan: boolean): SenderAddress[] {
  const out: SenderAddress[] = [{ interface: 'loopback', family: 'IPv4', address: '127.0.0.1', url: `http://127.0.0.1:${port}` }];
  if (!lan) return out;
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) {
      // The listener is IPv4 (0.0.0.0), so only IPv4 addresses are reachable.
      if (a.internal || a.family !== 'IPv4') continue;
      out.push({ interface: name, family: 'IPv4', address: a.address, url: `http://${a.address}:${port}` });
    }
  }
  return out;
}
