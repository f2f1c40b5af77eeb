import { Bonjour, type Browser, type Service } from 'bonjour-service';
import type { ComponentStatus } from '../../../preload/contract/core.js';
import type { DiscoveredNode } from '../../../preload/contract/receiver.js';
import type { Component } from '../component.js';
import type { Logger } from '../log/logger.js';

/** DNS-SD service type (`_coinsync._tcp`); names are at most 15 characters. */
export const SERVICE_TYPE = 'coinsync';

export interface Announcement {
  name: string;
  /** The store's origin id (TXT `nodeid`, what older nodes read). */
  nodeId: string;
  /** The certificate node ID (TXT `id`): what a person compares when pairing. */
  identityNodeId?: string;
  port: number;
}

/**
 * multicast-dns socket options. Production leaves them unset (224.0.0.251:5353 on every
 * interface); tests confine everything to loopback: `interface: '127.0.0.1'`, a private port, TTL 1.
 */
export interface MdnsOptions {
  interface?: string;
  port?: number;
  ip?: string;
  ttl?: number;
  bind?: string;
  loopback?: boolean;
}

export interface DiscoveryOptions {
  log: Logger;
  /** Our node id: our own announcement is not listed. */
  nodeId: string;
  /** Discovery on (receiver config). */
  enabled: () => boolean;
  /** What to announce now, or null (sender off or LAN off: nothing reachable to announce). */
  announcement: () => Announcement | null;
  /** Peers we already have, to mark discovered nodes as known. */
  known: () => { nodeIds: Set<string>; urls: Set<string> };
  onChange: (nodes: DiscoveredNode[]) => void;
  mdns?: MdnsOptions;
  /** How often the announcement is re-checked against the sender's state. */
  recheckMs?: number;
}

/**
 * LAN discovery: announces this node (name, node id, sender port) while its sender is on with LAN
 * on, and lists the other nodes it hears. Everything is best-effort: a network without multicast
 * just lists nothing, and the reason shows in status.
 */
export class DiscoveryService implements Component {
  readonly name = 'discovery';
  private bonjour: Bonjour | null = null;
  private browser: Browser | null = null;
  private published: { key: string; service: Service } | null = null;
  private readonly nodes = new Map<string, DiscoveredNode>();
  private timer: NodeJS.Timeout | undefined;
  private error: string | null = null;
  private running = false;

  constructor(private readonly o: DiscoveryOptions) {}

  start(): void {
    this.running = true;
    this.sync();
    this.timer = setInterval(() => this.sync(), this.o.recheckMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.shutdown();
  }

  status(): ComponentStatus {
    if (!this.bonjour) {
      const key = this.o.enabled() ? 'idle' : 'off';
      return { name: this.name, state: 'stopped', detail: key, text: { key: `discovery.${key}` } };
    }
    if (this.error) return { name: this.name, state: 'error', detail: this.error };
    const n = this.nodes.size;
    const text = { key: this.published ? 'discovery.announcing' : 'discovery.found', params: { n } };
    return { name: this.name, state: 'running', detail: `${this.published ? 'announcing, ' : ''}${n} found`, text };
  }

  list(): { enabled: boolean; error: string | null; nodes: DiscoveredNode[] } {
    const known = this.o.known();
    const nodes = [...this.nodes.values()].map((n) => ({ ...n, known: known.nodeIds.has(n.nodeId) || known.urls.has(n.url) }));
    return { enabled: this.o.enabled(), error: this.error, nodes: nodes.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  /** Re-reads the switches now (config changed). */
  sync(): void {
    if (!this.running || !this.o.enabled()) {
      void this.shutdown();
      return;
    }
    if (!this.bonjour) this.open();
    const want = this.o.announcement();
    const key = want ? `${want.name}|${want.nodeId}|${want.identityNodeId ?? ''}|${want.port}` : '';
    if ((this.published?.key ?? '') === key) return;
    this.published?.service.stop?.();
    this.published = null;
    if (!want || !this.bonjour) return;
    const service = this.bonjour.publish({
      // The instance name must be unique on the LAN; the node id suffix makes it so.
      name: `${want.name.slice(0, 40)} (${want.nodeId.slice(0, 8)})`,
      type: SERVICE_TYPE,
      port: want.port,
      txt: { nodeid: want.nodeId, name: want.name, protocol: '1', ...(want.identityNodeId && { id: want.identityNodeId, tls: '1' }) },
      probe: false,
      disableIPv6: true,
    });
    service.on('error', (e: Error) => this.fail(`announce failed: ${e.message}`));
    this.published = { key, service };
    this.o.log.info(`announcing ${want.name} on the LAN (sender port ${want.port})`);
  }

  private open(): void {
    try {
      this.error = null;
      this.bonjour = new Bonjour({ ...(this.o.mdns ?? {}) } as object, (e: Error) => this.fail(e.message));
      this.browser = this.bonjour.find({ type: SERVICE_TYPE });
      this.browser.on('up', (s: Service) => this.up(s));
      this.browser.on('down', (s: Service) => this.down(s));
    } catch (e) {
      this.fail((e as Error).message);
    }
  }

  private up(s: Service): void {
    const txt = (s.txt ?? {}) as Record<string, unknown>;
    const nodeId = typeof txt.nodeid === 'string' ? txt.nodeid : '';
    if (!nodeId || nodeId === this.o.nodeId) return;
    const v4 = (s.addresses ?? []).filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
    const host = v4[0] ?? s.referer?.address ?? s.host;
    const identityNodeId = typeof txt.id === 'string' && /^[A-Z2-7-]{56,63}$/.test(txt.id) ? txt.id : null;
    const node: DiscoveredNode = {
      nodeId,
      identityNodeId,
      name: typeof txt.name === 'string' ? txt.name : s.name,
      host: s.host,
      addresses: v4,
      port: s.port,
      // A node that announces an identity speaks TLS; an older one plain HTTP.
      url: `${identityNodeId ? 'https' : 'http'}://${host}:${s.port}`,
      lastSeen: Date.now(),
      known: false,
    };
    this.nodes.set(nodeId, node);
    this.emit();
  }

  private down(s: Service): void {
    const txt = (s.txt ?? {}) as Record<string, unknown>;
    if (typeof txt.nodeid === 'string' && this.nodes.delete(txt.nodeid)) this.emit();
  }

  private emit(): void {
    this.o.onChange(this.list().nodes);
  }

  private fail(message: string): void {
    if (this.error === message) return;
    this.error = message;
    this.o.log.warn(`LAN discovery: ${message}`);
  }

  private async shutdown(): Promise<void> {
    const b = this.bonjour;
    if (!b) return;
    this.bonjour = null;
    this.browser?.stop();
    this.browser = null;
    this.published = null;
    const hadNodes = this.nodes.size > 0;
    this.nodes.clear();
    if (hadNodes) this.emit();
    // unpublishAll sends goodbye packets so other nodes drop us at once.
    await new Promise<void>((resolve) => b.unpublishAll(() => resolve()));
    await new Promise<void>((resolve) => b.destroy(() => resolve()));
  }
}
