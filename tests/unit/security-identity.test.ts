import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../main/node/security/certificate.js';
import { loadOrCreateIdentity } from '../../main/node/security/identity.js';
import { nodeIdOf, parseNodeId } from '../../main/node/security/node-id.js';
import { tempDataDir } from '../helpers/headless.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const dir = () => {
  const d = tempDataDir('csn-id-');
  dirs.push(d);
  return d;
};

describe('node ID', () => {
  const fp = 'dd4cbe2dd5a1f0649d132809653b9ff982a894055c4209817dd21bab36189ebc';

  it('groups the fingerprint in eight blocks of seven and decodes back to it', () => {
    const id = nodeIdOf(fp);
    expect(id).toMatch(/^([A-Z2-7]{7}-){7}[A-Z2-7]{7}$/);
    expect(parseNodeId(id)).toEqual({ ok: true, nodeId: id, fingerprint: fp });
    // As a person may type it: lower case, spaces, no dashes.
    expect(parseNodeId(id.toLowerCase().replace(/-/g, ' '))).toMatchObject({ ok: true, fingerprint: fp });
  });

  it('catches every single mistyped character and a swap of neighbours', () => {
    const id = nodeIdOf(fp).replace(/-/g, '');
    let caught = 0;
    let tried = 0;
    for (let i = 0; i < id.length; i++) {
      for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') {
        if (c === id[i]) continue;
        tried++;
        if (!parseNodeId(id.slice(0, i) + c + id.slice(i + 1)).ok) caught++;
      }
    }
    expect(caught).toBe(tried);
    const swapped = id.slice(0, 3) + id[4] + id[3] + id.slice(5);
    if (swapped !== id) expect(parseNodeId(swapped)).toEqual({ ok: false, reason: 'check' });
    expect(parseNodeId(id.slice(1))).toEqual({ ok: false, reason: 'length' });
    expect(parseNodeId(`${id.slice(1)}!`)).toEqual({ ok: false, reason: 'characters' });
  });

  it('differs for different fingerprints', () => {
    expect(nodeIdOf(fp)).not.toBe(nodeIdOf(`${fp.slice(0, 63)}d`));
  });
});

describe('node identity', () => {
  it('makes a TLS 1.3-ready certificate once, key 0600, and loads the same one after', () => {
    const d = dir();
    const a = loadOrCreateIdentity(d);
    const keyFile = path.join(d, 'identity', 'node-key.pem');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(a.certPem);
    expect(fingerprintOf(cert)).toBe(a.fingerprint);
    expect(a.nodeId).toBe(nodeIdOf(a.fingerprint));
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 25 * 365 * 86_400_000);
    const b = loadOrCreateIdentity(d);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(loadOrCreateIdentity(dir()).fingerprint).not.toBe(a.fingerprint);
  });

  it('tightens a key copied with loose permissions and refuses a damaged identity with a sentence', () => {
    const d = dir();
    loadOrCreateIdentity(d);
    const keyFile = path.join(d, 'identity', 'node-key.pem');
    fs.chmodSync(keyFile, 0o644);
    loadOrCreateIdentity(d);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    // A key of another node: refused, not replaced.
    const other = dir();
    loadOrCreateIdentity(other);
    const before = fs.readFileSync(path.join(d, 'identity', 'node-cert.pem'), 'utf8');
    fs.copyFileSync(path.join(other, 'identity', 'node-key.pem'), keyFile);
    expect(() => loadOrCreateIdentity(d)).toThrow(/identity in .* is damaged .*key does not belong.*pair again/);
    expect(fs.readFileSync(path.join(d, 'identity', 'node-cert.pem'), 'utf8')).toBe(before);
    fs.rmSync(path.join(d, 'identity', 'node-cert.pem'));
    expect(() => loadOrCreateIdentity(d)).toThrow(/incomplete \(node-cert.pem is missing\)/);
  });
});
