import { nodeIdOf } from '../../main/node/security/node-id.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredNode } from '../../preload/contract.js';
import { DiscoveryService, type MdnsOptions } from '../../main/node/discovery/discovery-service.js';
import { createNodeLog } from '../../main/node/log/logger.js';
import { tempDataDir } from '../helpers/headless.js';

/**
 * LAN discovery confined to this machine (DESIGN.md §10): multicast leaves through the loopback
 * interface only (IP_MULTICAST_IF 127.0.0.1, TTL 1), on a private port rather than 5353, so no
 * packet reaches a real network and no system mDNS responder is involved.
 */
const mdns = (port: number): MdnsOptions => ({ interface: '127.0.0.1', port, ttl: 1, bind: '0.0.0.0', loopback: true });
const log = createNodeLog({ dataDir: tempDataDir('csn-disc-'), console: false }).scope('discovery');
const services: DiscoveryService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function service(
  nodeId: string,
  port: number,
  announce: { name: string; port: number; identityNodeId?: string } | null,
  enabled = () => true,
) {
  const seen: DiscoveredNode[][] = [];
  const s = new DiscoveryService({
    log,
    nodeId,
    enabled,
    announcement: () => (announce ? { ...announce, nodeId } : null),
    known: () => ({ nodeIds: new Set(['node-known']), urls: new Set() }),
    onChange: (nodes) => seen.push(nodes),
    mdns: mdns(port),
    recheckMs: 200,
  });
  services.push(s);
  return { s, seen };
}

describe('LAN discovery on loopback', () => {
  it('a node with LAN on is announced with name, node id and sender port; the other lists it; off stops it', async () => {
    const port = 41_000 + Math.floor(Math.random() * 10_000);
    const identityNodeId = nodeIdOf('dd4cbe2dd5a1f0649d132809653b9ff982a894055c4209817dd21bab36189ebc');
    const a = service('node-a', port, { name: 'Desk A', port: 17_411, identityNodeId });
    const b = service('node-b', port, null);
    a.s.start();
    b.s.start();
    let found: DiscoveredNode | undefined;
    await expect.poll(() => (found = b.s.list().nodes.find((n) => n.nodeId === 'node-a')), { timeout: 8_000, interval: 100 }).toBeDefined();
    if (!found) return; // unreachable: the poll above failed the test
    // The certificate node ID is announced beside the origin id; such a node speaks TLS.
    expect(found).toMatchObject({ nodeId: 'node-a', identityNodeId, name: 'Desk A', port: 17_411, known: false });
    expect(found.url).toMatch(/^https:\/\/[\d.]+:17411$/);
    // A node does not list itself, and B (nothing to announce) is not listed by A.
    expect(a.s.list().nodes.find((n) => n.nodeId === 'node-a')).toBeUndefined();
    expect(a.s.list().nodes).toEqual([]);
    expect(b.seen.length).toBeGreaterThan(0);

    // Stopping A says goodbye: B drops it.
    await a.s.stop();
    await expect.poll(() => b.s.list().nodes.length, { timeout: 5_000 }).toBe(0);
  });

  it('discovery switched off opens no socket and lists nothing', async () => {
    const off = service('node-c', 41_000, { name: 'C', port: 1 }, () => false);
    off.s.start();
    expect(off.s.status()).toMatchObject({ state: 'stopped', detail: 'off' });
    expect(off.s.list()).toEqual({ enabled: false, error: null, nodes: [] });
  });
});
