import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cpaceKeys, cpaceShare, macMatches, seal, unseal, type CpaceContext } from '../../main/node/pairing/cpace.js';

const fp = () => randomBytes(32).toString('hex');
const A = fp();
const B = fp();

/** One exchange: each side has its own view of the code and of both fingerprints. */
function exchange(server: Omit<CpaceContext, 'sid'>, client: Omit<CpaceContext, 'sid'>) {
  const sid = randomBytes(16);
  const s = { ...server, sid };
  const c = { ...client, sid };
  const cs = cpaceShare(c);
  const ss = cpaceShare(s);
  const onServer = cpaceKeys(s, ss, cs.share, 'server')!;
  const onClient = cpaceKeys(c, cs, ss.share, 'client')!;
  return {
    serverAcceptsClient: macMatches(onServer.clientMac, onClient.clientMac),
    clientAcceptsServer: macMatches(onClient.serverMac, onServer.serverMac),
    onServer,
    onClient,
    shares: [cs.share, ss.share],
  };
}

describe('CPace pairing exchange', () => {
  it('agrees on keys when code and both fingerprints match', () => {
    const r = exchange(
      { code: '482916', serverFingerprint: A, clientFingerprint: B },
      { code: '482916', serverFingerprint: A, clientFingerprint: B },
    );
    expect(r.serverAcceptsClient).toBe(true);
    expect(r.clientAcceptsServer).toBe(true);
    expect(r.onServer.sealKey.equals(r.onClient.sealKey)).toBe(true);
    const box = seal(r.onServer.sealKey, 'the-token', 'aad');
    expect(unseal(r.onClient.sealKey, box, 'aad')).toBe('the-token');
    expect(unseal(r.onClient.sealKey, box, 'other aad')).toBeNull();
  });

  it('fails both ways on a wrong code', () => {
    const r = exchange(
      { code: '482916', serverFingerprint: A, clientFingerprint: B },
      { code: '482917', serverFingerprint: A, clientFingerprint: B },
    );
    expect(r.serverAcceptsClient).toBe(false);
    expect(r.clientAcceptsServer).toBe(false);
  });

  it('a relay in the middle with its own certificate makes both sides fail, even with the right code passed through', () => {
    // The relay M terminates TLS: B sees M's certificate as the server's, A sees M's as the client's.
    const M1 = fp();
    const M2 = fp();
    const r = exchange(
      { code: '482916', serverFingerprint: A, clientFingerprint: M1 },
      { code: '482916', serverFingerprint: M2, clientFingerprint: B },
    );
    expect(r.serverAcceptsClient).toBe(false);
    expect(r.clientAcceptsServer).toBe(false);
  });

  it('shares are fresh each attempt and carry nothing a relay can compare across codes', () => {
    const ctx = { code: '000000', serverFingerprint: A, clientFingerprint: B, sid: randomBytes(16) };
    const a = cpaceShare(ctx);
    const b = cpaceShare(ctx);
    expect(Buffer.from(a.share).equals(Buffer.from(b.share))).toBe(false);
    expect(cpaceShare({ ...ctx, code: '000001' }).share).toHaveLength(32);
  });

  it('refuses the identity, garbage and a reflected share', () => {
    const ctx = { code: '123456', serverFingerprint: A, clientFingerprint: B, sid: randomBytes(16) };
    const own = cpaceShare(ctx);
    expect(cpaceKeys(ctx, own, new Uint8Array(32), 'server')).toBeNull();
    expect(cpaceKeys(ctx, own, new Uint8Array(32).fill(0xff), 'server')).toBeNull();
    expect(cpaceKeys(ctx, own, own.share, 'server')).toBeNull();
    expect(cpaceKeys(ctx, own, new Uint8Array(31), 'server')).toBeNull();
  });
});
