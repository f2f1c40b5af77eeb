import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createResolver } from '../../main/node/net/resolver.js';
import { startHeadless, type HeadlessNode } from '../helpers/headless.js';
import { until } from '../helpers/until.js';

/**
 * Offline, the exchange's host names never resolve: a DNS server that receives the query and never
 * answers (a black hole on loopback) stands in for a network with no route. The node must still
 * exit within a second of SIGTERM, with its lookups in flight.
 */
async function blackHoleDns(): Promise<{ server: string; queries: () => number; close: () => void }> {
  const sock = dgram.createSocket('udp4');
  let queries = 0;
  sock.on('message', () => queries++);
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${sock.address().port}`, queries: () => queries, close: () => sock.close() };
}

describe('stop fast, even offline', () => {
  let node: HeadlessNode | undefined;
  let dns: Awaited<ReturnType<typeof blackHoleDns>> | undefined;
  afterEach(async () => {
    await node?.kill();
    dns?.close();
    node = dns = undefined;
  });

  it('exits < 1 s after SIGTERM while the exchange host lookups hang', async () => {
    dns = await blackHoleDns();
    // No --okx-* flags: the node goes for OKX's real host names, through the black-hole server.
    node = await startHeadless({ args: ['--sender-port', '0', '--dns-servers', dns.server] });
    await until('the node to ask the DNS server for the exchange host', () => dns!.queries() > 0, 10_000, 20);
    const t0 = performance.now();
    const code = await node.stop();
    const ms = performance.now() - t0;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1_000);
  });

  it('the resolver answers from the hosts file and for addresses, and close() cancels a pending query', async () => {
    dns = await blackHoleDns();
    const r = createResolver({ servers: [dns.server], timeoutMs: 5_000, tries: 1 });
    const lookup = (host: string) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address?: string }>((resolve) =>
        r.lookup(host, {}, (err, address) => resolve({ err, address: typeof address === 'string' ? address : undefined })),
      );
    expect((await lookup('127.0.0.1')).address).toBe('127.0.0.1');
    expect((await lookup('localhost')).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    const pending = lookup('www.okx.com');
    await until('the query to be sent', () => dns!.queries() > 0, 5_000, 10);
    const t0 = performance.now();
    r.close();
    const answer = await pending;
    expect(performance.now() - t0).toBeLessThan(200);
    expect(answer.err?.code).toBe('ECANCELLED');
    expect((await lookup('ws.okx.com')).err?.code).toBe('ECANCELLED');
  });
});
