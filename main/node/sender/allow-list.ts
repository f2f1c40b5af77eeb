/**
 * The sender's IP allow-list: addresses and CIDR ranges, IPv4 and IPv6. Every address is held as
 * a 128-bit number with IPv4 mapped into ::ffff:0:0/96, so "10.0.0.0/8" also admits a client the
 * socket reports as "::ffff:10.1.2.3" (a dual-stack listener does that).
 */

const ALL = (1n << 128n) - 1n;
const MAPPED = 0xffffn << 32n;

function v4ToInt(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

function v6ToBig(input: string): bigint | null {
  let s = input.split('%')[0] ?? '';
  if (s.includes('.')) {
    const at = s.lastIndexOf(':');
    const v4 = v4ToInt(s.slice(at + 1));
    if (at < 0 || v4 === null) return null;
    s = `${s.slice(0, at + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  if (halves.length === 1 ? head.length !== 8 : head.length + tail.length > 7) return null;
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** An address as a 128-bit number (IPv4 mapped), or null when it is not an IP address. */
export function parseIp(s: string): bigint | null {
  if (!s.includes(':')) {
    const v4 = v4ToInt(s);
    return v4 === null ? null : MAPPED | BigInt(v4);
  }
  return v6ToBig(s);
}

interface Range {
  net: bigint;
  mask: bigint;
}

/** "a.b.c.d", "a.b.c.d/n", "v6", "v6/n" → a range; throws a sentence for anything else. */
export function parseRange(entry: string): Range {
  const [addr = '', prefixText, extra] = entry.trim().split('/');
  const ip = parseIp(addr);
  if (ip === null || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR range`);
  const isV4 = !addr.includes(':');
  const width = isV4 ? 32 : 128;
  let prefix = width;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width) {
      throw new Error(`"${entry}": the prefix must be 0–${width}`);
    }
    prefix = Number(prefixText);
  }
  const bits = isV4 ? prefix + 96 : prefix;
  const mask = bits === 0 ? 0n : ALL ^ ((1n << BigInt(128 - bits)) - 1n);
  return { net: ip & mask, mask };
}

/** A compiled allow-list with a small per-address cache (clients repeat). */
export class AllowList {
  private readonly ranges: Range[];
  private readonly cache = new Map<string, boolean>();

  constructor(entries: readonly string[]) {
    this.ranges = entries.map(parseRange);
  }

  allows(address: string | undefined): boolean {
    if (!address) return false;
    const hit = this.cache.get(address);
    if (hit !== undefined) return hit;
    const ip = parseIp(address);
    const ok = ip !== null && this.ranges.some((r) => (ip & r.mask) === r.net);
    if (this.cache.size > 1_000) this.cache.clear();
    this.cache.set(address, ok);
    return ok;
  }
}
