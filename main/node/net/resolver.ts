/**
 * Host-name resolution that never holds up a quit. Node's default `dns.lookup` runs getaddrinfo on
 * libuv's thread pool, and the process waits for those threads at exit: offline, with a DNS server
 * that does not answer, an exit took about 5 s after the node had stopped cleanly. This resolver
 * asks DNS through c-ares (`dns.Resolver`, no threads) and `close()` cancels what is still pending,
 * so a stop is never longer than its slowest component. The hosts file is read first, as the OS
 * resolver would, so `localhost` and local overrides keep working.
 */
import dns from 'node:dns';
import fs from 'node:fs';
import net, { type LookupFunction } from 'node:net';
import path from 'node:path';

export interface HostResolver {
  /** Drop-in for the `lookup` option of net/tls/http (undici's connector and ws pass it through). */
  readonly lookup: LookupFunction;
  /** Cancels every query in flight; later lookups fail at once. */
  close(): void;
}

export interface ResolverOptions {
  /** DNS servers ("1.1.1.1", "127.0.0.1:5353"); default: the system's. */
  servers?: readonly string[];
  /** Per-try timeout (ms) and tries; c-ares defaults retry for a long time. */
  timeoutMs?: number;
  tries?: number;
  /** The hosts file to read; default: the platform's. */
  hostsFile?: string;
}

interface Address {
  address: string;
  family: 4 | 6;
}

const defaultHostsFile = (): string =>
  process.platform === 'win32' ? path.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'drivers', 'etc', 'hosts') : '/etc/hosts';

/** Parses a hosts file into name → addresses (first mention first). A missing file is an empty map. */
export function readHostsFile(file: string): Map<string, Address[]> {
  const map = new Map<string, Address[]>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return map;
  }
  for (const raw of text.split(/\r?\n/)) {
    const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    const family = address ? net.isIP(address) : 0;
    if (family !== 4 && family !== 6) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      map.set(key, [...(map.get(key) ?? []), { address: address!, family }]);
    }
  }
  return map;
}

const cancelled = (hostname: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`lookup ${hostname}: the node is stopping`), { code: 'ECANCELLED', hostname, syscall: 'lookup' });

export function createResolver(o: ResolverOptions = {}): HostResolver {
  const resolver = new dns.Resolver({ timeout: o.timeoutMs ?? 2_000, tries: o.tries ?? 2 });
  if (o.servers && o.servers.length > 0) resolver.setServers([...o.servers]);
  let hosts: Map<string, Address[]> | null = null;
  let closed = false;

  const query = (hostname: string, family: 4 | 6): Promise<Address[]> =>
    new Promise((resolve, reject) => {
      const done = (err: NodeJS.ErrnoException | null, list: string[]) =>
        err ? reject(err) : resolve(list.map((address) => ({ address, family })));
      if (family === 4) resolver.resolve4(hostname, done);
      else resolver.resolve6(hostname, done);
    });

  async function resolveAll(hostname: string, want: number): Promise<Address[]> {
    const name = hostname.toLowerCase();
    const ipFamily = net.isIP(name);
    if (ipFamily === 4 || ipFamily === 6) return [{ address: name, family: ipFamily }];
    hosts ??= readHostsFile(o.hostsFile ?? defaultHostsFile());
    const local =
      hosts.get(name) ??
      (name === 'localhost' || name.endsWith('.localhost')
        ? [
            { address: '127.0.0.1', family: 4 as const },
            { address: '::1', family: 6 as const },
          ]
        : []);
    const fromHosts = local.filter((a) => want === 0 || a.family === want);
    if (fromHosts.length > 0) return fromHosts;
    if (closed) throw cancelled(hostname);
    // IPv4 first, as OKX's hosts and most LANs are; IPv6 only when there is no A record.
    if (want !== 6) {
      try {
        return await query(hostname, 4);
      } catch (e) {
        if (want === 4 || closed) throw closed ? cancelled(hostname) : e;
      }
    }
    return query(hostname, 6).catch((e: unknown) => {
      throw closed ? cancelled(hostname) : e;
    });
  }

  const lookup = ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const want = typeof options?.family === 'number' ? options.family : options?.family === 'IPv6' ? 6 : options?.family === 'IPv4' ? 4 : 0;
    resolveAll(hostname, want).then(
      (list) => (options?.all ? callback(null, list) : callback(null, list[0]!.address, list[0]!.family)),
      (err: unknown) => callback(err),
    );
  }) as LookupFunction;

  return {
    lookup,
    close() {
      closed = true;
      resolver.cancel();
    },
  };
}
