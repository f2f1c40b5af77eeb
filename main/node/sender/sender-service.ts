import os from 'node:os';
import type { ComponentStatus } from '../../../preload/contract/core.js';
import type { Reasoned } from '../../../preload/contract/reasons.js';
import {
  SYNC_PROTOCOL_VERSION,
  type SenderAddress,
  type SenderConfig,
  type SenderConfigPatch,
  type SenderConfigView,
  type SenderLogEntry,
  type SenderStats,
} from '../../../preload/contract/sender.js';
import type { Component } from '../component.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import { CellReader } from '../datasets/cells.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/logger.js';
import { registerPairRoutes } from '../pairing/pair-routes.js';
import { PairingHost } from '../pairing/pairing-host.js';
import type { NodeIdentity } from '../security/identity.js';
import type { Store } from '../store/store.js';
import { AllowList } from './allow-list.js';
import { SenderToken } from './auth.js';
import { SenderConfigStore } from './config-store.js';
import { DeviceStore } from '../security/devices.js';
import { listenSender, type SenderListener } from './listener.js';
import { checkSenderPort } from './port-check.js';
import { RequestLog } from './request-log.js';
import { buildSenderApp, type SenderApp } from './server.js';
import { ChangeFeed } from './stream.js';

/** Config fields whose change needs the listener re-bound. */
const LISTENER_FIELDS: readonly (keyof SenderConfig)[] = ['enabled', 'lanEnabled', 'port'];

export interface SenderDeps {
  store: Store;
  bus: EventBus;
  log: Logger;
  registry: DatasetRegistry;
  identity: NodeIdentity;
  /** This node's name, told to devices while pairing. */
  nodeName: () => string;
  /** `--sender-port`: the port until one is chosen through the control API. */
  portOverride?: number;
}

/**
 * The sender as a node component: owns its config, tokens (shared and per device), pairing,
 * request log and change feed, and the listener (HTTPS, plus plain HTTP on loopback when allowed),
 * which it (re)binds to 127.0.0.1 — or 0.0.0.0 when LAN is on — whenever the node runs and the
 * sender is enabled. A port in use at start is reported in status, not thrown; a port chosen
 * while running is checked first and refused with a sentence.
 */
export class SenderService implements Component {
  readonly name = 'sender';
  readonly configStore: SenderConfigStore;
  readonly token: SenderToken;
  readonly devices: DeviceStore;
  readonly pairing: PairingHost;
  readonly requestLog: RequestLog;
  private readonly feed: ChangeFeed;
  private readonly cells: CellReader;
  private readonly reserved = new Map<number, string>();
  private allow: AllowList;
  private app: SenderApp | null = null;
  private listener: SenderListener | null = null;
  private listening: SenderConfigView['listening'] = null;
  private lastError: string | null = null;
  private lastErrorReason: Reasoned | null = null;
  private startedAt: number | null = null;
  private running = false;
  private statsTimer: NodeJS.Timeout | undefined;
  private statsVersion = -1;
  private offCommit: (() => void) | undefined;
  /** Serializes start/stop/restart so overlapping config updates cannot double-bind. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SenderDeps) {
    const db = deps.store.db;
    this.configStore = new SenderConfigStore(db, (m) => deps.log.warn(m));
    this.token = new SenderToken(db);
    this.devices = new DeviceStore(db);
    this.pairing = new PairingHost({
      identity: deps.identity,
      devices: this.devices,
      bus: deps.bus,
      log: deps.log,
      name: deps.nodeName,
      addresses: () =>
        this.configView().addresses.map((a) => (a.family === 'IPv6' ? `[${a.address}]` : a.address) + `:${this.listening?.port}`),
    });
    this.requestLog = new RequestLog(db);
    this.feed = new ChangeFeed(deps.registry);
    this.cells = new CellReader(db, deps.registry);
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
    this.pairing.stop();
    this.requestLog.close();
    this.devices.flush();
  }

  /** A port this node uses for something else (the control server): refused as the sender's. */
  reservePort(port: number, why: string): void {
    this.reserved.set(port, why);
  }

  status(): ComponentStatus {
    const state = this.state();
    const url = this.listening?.url ?? '';
    const detail = state === 'running' ? `serving on ${url}` : (this.lastError ?? 'disabled');
    const failed = this.lastErrorReason ? { key: 'sender.portInUse', params: this.lastErrorReason.params } : undefined;
    const text = state === 'running' ? { key: 'sender.serving', params: { url } } : this.lastError ? failed : { key: 'sender.disabled' };
    return { name: this.name, state: state === 'stopped' ? 'stopped' : state, detail, ...(text && { text }) };
  }

  configView(): SenderConfigView {
    const config = this.configStore.get();
    return {
      config,
      token: this.token.value,
      identity: { nodeId: this.deps.identity.nodeId, fingerprint: this.deps.identity.fingerprint },
      state: this.state(),
      error: this.lastError,
      errorReason: this.lastErrorReason,
      listening: this.listening,
      addresses: this.listening ? reachableAddresses(this.listening.port, config.lanEnabled) : [],
    };
  }

  async updateConfig(patch: SenderConfigPatch): Promise<SenderConfigView> {
    const preview = this.configStore.preview(patch);
    if (preview.patch.port !== undefined) {
      const host = preview.next.lanEnabled ? '0.0.0.0' : '127.0.0.1';
      await checkSenderPort({ port: preview.patch.port, host, reserved: this.reserved, current: this.listening?.port ?? null });
    }
    const { next, changed } = this.configStore.update(patch);
    if (preview.patch.port !== undefined) this.configStore.markPortChosen();
    if (changed.includes('allowList')) this.allow = new AllowList(next.allowList);
    if (changed.length > 0) this.deps.log.info(`sender config changed: ${changed.join(', ')}`);
    if (changed.includes('legacyToken') && !next.legacyToken) this.feed.closeOwner('shared', 4401, 'shared token switched off');
    if (this.running && changed.some((k) => LISTENER_FIELDS.includes(k))) {
      // Only LAN or on/off changed: come back on the port held now (even one picked for port 0), so peers keep their address.
      const keep = changed.includes('port') ? undefined : (this.listening?.port ?? undefined);
      await this.serially(async () => {
        await this.unbind();
        await this.bind(keep);
      });
    }
    return this.configView();
  }

  revokeDevice(id: string): boolean {
    const revoked = this.devices.revoke(id);
    if (revoked) {
      this.feed.closeOwner(id, 4401, 'pairing revoked');
      this.deps.log.info(`device ${id} revoked; its token is refused from now on`);
      this.deps.bus.emit('devices.changed', { devices: this.devices.list() });
    }
    return revoked;
  }

  rotateToken(): SenderConfigView {
    this.token.rotate();
    this.deps.log.info('shared sender token rotated; its stream clients must reconnect with the new token');
    // Only the shared token's streams: paired devices have their own tokens.
    this.feed.closeOwner('shared', 4401, 'token rotated');
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
    if (this.listener && this.listening) return 'running';
    return this.lastError ? 'error' : 'stopped';
  }

  private serially(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  private wantPort(): number {
    const config = this.configStore.get();
    if (this.deps.portOverride === undefined || this.configStore.portChosen) return config.port;
    return this.deps.portOverride;
  }

  private async bind(keepPort?: number): Promise<void> {
    const config = this.configStore.get();
    this.lastError = null;
    this.lastErrorReason = null;
    if (!this.running || !config.enabled) return;
    const host = config.lanEnabled ? '0.0.0.0' : '127.0.0.1';
    const wantPort = keepPort ?? this.wantPort();
    const built = await buildSenderApp({
      registry: this.deps.registry,
      config: () => this.configStore.get(),
      stats: () => this.stats(),
      feed: this.feed,
      cells: this.cells,
      nodeId: this.deps.store.nodeId,
      publicIdentity: { nodeId: this.deps.identity.nodeId, fingerprint: this.deps.identity.fingerprint },
      identity: this.deps.identity,
      devices: this.devices,
      extraRoutes: (app) => registerPairRoutes(app, this.pairing),
      token: this.token,
      allowList: () => this.allow,
      requestLog: this.requestLog,
      log: this.deps.log,
    });
    const listen = (port: number) =>
      listenSender({
        tlsServer: built.tlsServer,
        plainServer: built.plainServer,
        host,
        port,
        plainAllowed: () => this.configStore.get().loopbackHttp,
        onRefused: (client) => this.requestLog.refused(client, '(plain HTTP refused: HTTPS only)'),
      });
    let listener: SenderListener;
    try {
      listener = await listen(wantPort).catch((e: unknown) => {
        if (keepPort === undefined || config.port !== 0) throw e;
        this.deps.log.warn(`sender: port ${keepPort} could not be bound again; picking a free one`);
        return listen(0);
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.lastErrorReason = code === 'EADDRINUSE' ? { reason: 'sender.port_in_use', params: { port: wantPort } } : null;
      this.lastError =
        code === 'EADDRINUSE'
          ? `Port ${wantPort} is already in use on ${host}; choose another port for the sender.`
          : `The sender could not listen on ${host}:${wantPort} (${code ?? (e as Error).message}).`;
      this.deps.log.error(this.lastError);
      await built.app.close().catch(() => {});
      return;
    }
    const port = listener.port;
    this.app = built;
    this.listener = listener;
    this.startedAt = Date.now();
    this.listening = { host, port, url: `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` };
    this.deps.log.info(
      `sender listening on ${host}:${port} (TLS 1.3${config.loopbackHttp ? ', plain HTTP from loopback' : ''})${config.lanEnabled ? ' (LAN on)' : ' (loopback only)'}`,
    );
  }

  private async unbind(): Promise<void> {
    const built = this.app;
    const listener = this.listener;
    this.app = null;
    this.listener = null;
    this.listening = null;
    this.startedAt = null;
    if (!built) return;
    this.feed.stop();
    await listener?.close();
    await built.app.close();
  }

  private emitStats(): void {
    if (this.requestLog.changeVersion === this.statsVersion) return;
    this.statsVersion = this.requestLog.changeVersion;
    this.deps.bus.emit('sender.stats', this.stats());
  }
}

/** Where a peer can reach this sender: loopback always, each non-internal address when LAN is on. */
export function reachableAddresses(port: number, lan: boolean): SenderAddress[] {
  const out: SenderAddress[] = [{ interface: 'loopback', family: 'IPv4', address: '127.0.0.1', url: `https://127.0.0.1:${port}` }];
  if (!lan) return out;
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) {
      // The listener is IPv4 (0.0.0.0), so only IPv4 addresses are reachable.
      if (a.internal || a.family !== 'IPv4') continue;
      out.push({ interface: name, family: 'IPv4', address: a.address, url: `https://${a.address}:${port}` });
    }
  }
  return out;
}
