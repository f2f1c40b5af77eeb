import fs from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { createSelfSignedCertificate, fingerprintOf } from './certificate.js';
import { nodeIdOf } from './node-id.js';

export interface NodeIdentity {
  /** PEM of the self-signed certificate the sender serves and the receiver presents. */
  certPem: string;
  /** PEM (PKCS#8) of its private key; the file is mode 0600. */
  keyPem: string;
  /** SHA-256 of the certificate, hex: what peers pin. */
  fingerprint: string;
  /** The fingerprint grouped for reading aloud, with check characters (node-id.ts). */
  nodeId: string;
}

export const IDENTITY_DIR = 'identity';
const CERT_FILE = 'node-cert.pem';
const KEY_FILE = 'node-key.pem';

function writePrivate(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * The node's key pair and certificate in `<dataDir>/identity/`, made on first start. A damaged
 * identity is refused with a sentence, never silently replaced: a new certificate is a new node ID,
 * and every paired peer would have to pair again.
 */
export function loadOrCreateIdentity(dataDir: string, commonName = 'Coin Sync Node'): NodeIdentity {
  const dir = path.join(dataDir, IDENTITY_DIR);
  const certFile = path.join(dir, CERT_FILE);
  const keyFile = path.join(dir, KEY_FILE);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const haveCert = fs.existsSync(certFile);
  const haveKey = fs.existsSync(keyFile);
  if (!haveCert && !haveKey) {
    const made = createSelfSignedCertificate(commonName);
    // Key first: a crash between the two writes leaves a key without a certificate (refused below), never the reverse.
    writePrivate(keyFile, made.keyPem);
    writePrivate(certFile, made.certPem);
  } else if (!haveCert || !haveKey) {
    throw new Error(
      `The node identity in ${dir} is incomplete (${haveCert ? KEY_FILE : CERT_FILE} is missing). ` +
        'Restore it from a backup, or move the folder away to make a new identity (every paired peer must then pair again).',
    );
  }
  // Someone may have copied the folder with looser permissions: the key is for this user only.
  if (process.platform !== 'win32' && (fs.statSync(keyFile).mode & 0o077) !== 0) fs.chmodSync(keyFile, 0o600);
  const certPem = fs.readFileSync(certFile, 'utf8');
  const keyPem = fs.readFileSync(keyFile, 'utf8');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('the key does not belong to the certificate');
  } catch (e) {
    throw new Error(
      `The node identity in ${dir} is damaged (${(e as Error).message}). ` +
        'Restore it from a backup, or move the folder away to make a new identity (every paired peer must then pair again).',
      { cause: e },
    );
  }
  const fingerprint = fingerprintOf(cert);
  return { certPem, keyPem, fingerprint, nodeId: nodeIdOf(fingerprint) };
}
