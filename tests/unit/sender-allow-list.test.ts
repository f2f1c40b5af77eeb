import { describe, expect, it } from 'vitest';
import { AllowEntry, DEFAULT_ALLOW_LIST } from '../../preload/contract/sender.js';
import { AllowList, parseIp, parseRange } from '../../main/node/sender/allow-list.js';
import { pageChecksum } from '../../main/node/datasets/checksum.js';
import { createHash } from 'node:crypto';

describe('sender allow-list', () => {
  const def = new AllowList(DEFAULT_ALLOW_LIST);

  it('admits loopback and private ranges by default, in IPv4, IPv6 and IPv4-mapped form', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.20',
      '::ffff:192.168.1.20',
      '::ffff:127.0.0.1',
      'fd12:3456::1',
      'fe80::1%eth0',
      'fc00::',
    ]) {
      expect({ a, ok: def.allows(a) }).toEqual({ a, ok: true });
    }
  });

  it('refuses public addresses and junk', () => {
    for (const a of [
      '8.8.8.8',
      '172.32.0.1',
      '172.15.255.255',
      '192.169.0.1',
      '::ffff:8.8.8.8',
      '2001:db8::1',
      'ff02::1',
      '',
      'localhost',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      ':::1',
      '1::2::3',
      undefined,
    ]) {
      expect({ a, ok: def.allows(a) }).toEqual({ a, ok: false });
    }
  });

  it('matches CIDR prefixes exactly at the boundary', () => {
    const l = new AllowList(['192.168.1.0/25', '2001:db8::/127', '203.0.113.7']);
    expect(l.allows('192.168.1.127')).toBe(true);
    expect(l.allows('192.168.1.128')).toBe(false);
    expect(l.allows('2001:db8::1')).toBe(true);
    expect(l.allows('2001:db8::2')).toBe(false);
    expect(l.allows('203.0.113.7')).toBe(true);
    expect(l.allows('::ffff:203.0.113.7')).toBe(true);
    expect(l.allows('203.0.113.8')).toBe(false);
    expect(new AllowList(['0.0.0.0/0']).allows('1.2.3.4')).toBe(true);
    expect(new AllowList(['0.0.0.0/0']).allows('2001:db8::1')).toBe(false);
    expect(new AllowList([]).allows('127.0.0.1')).toBe(false);
  });

  it('parses addresses into one 128-bit space', () => {
    expect(parseIp('::ffff:1.2.3.4')).toBe(parseIp('1.2.3.4'));
    expect(parseIp('0:0:0:0:0:ffff:102:304')).toBe(parseIp('1.2.3.4'));
    expect(parseIp('::')).toBe(0n);
    expect(() => parseRange('10.0.0.0/33')).toThrow(/prefix must be 0–32/);
    expect(() => parseRange('fc00::/129')).toThrow(/prefix must be 0–128/);
    expect(() => parseRange('nope')).toThrow(/not an IP address/);
  });

  it('validates entries in the config schema with a sentence', () => {
    for (const ok of ['10.0.0.0/8', '::1', 'fe80::/10', '::ffff:10.0.0.0/104', ' 192.168.0.1 '])
      expect(AllowEntry.safeParse(ok).success).toBe(true);
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'host.lan', '::1/129', '1.2.3.4/8/1', '', '1.2.3.4/']) {
      const r = AllowEntry.safeParse(bad);
      expect(r.success).toBe(false);
    }
    expect(AllowEntry.safeParse('x').error?.issues[0]?.message).toMatch(/CIDR range such as 192.168.1.0\/24/);
  });
});

describe('page checksum', () => {
  it('is sha256 hex of JSON.stringify([columns, rows]) and survives a JSON round trip', () => {
    const columns = ['coin', 'ts', 'price', 'note'];
    const rows = [
      ['BTC', 1, 0.1 + 0.2, null],
      ['币', 2, 1e21, 'a"\\\n\u0001\ud800'],
    ];
    const sum = pageChecksum(columns, rows);
    expect(sum).toBe(
      createHash('sha256')
        .update(JSON.stringify([columns, rows]))
        .digest('hex'),
    );
    const back = JSON.parse(JSON.stringify({ columns, rows })) as { columns: string[]; rows: unknown[][] };
    expect(pageChecksum(back.columns, back.rows)).toBe(sum);
    expect(pageChecksum(columns, [['BTC', 1, 0.3, null]])).not.toBe(pageChecksum(columns, [['BTC', 1, 0.1 + 0.2, null]]));
  });
});
