import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const YEAR_MS = 365.25 * 86_400_000;

const arrayBuffer = (b: Uint8Array): ArrayBuffer => Uint8Array.from(b).buffer;

/**
 * A self-signed ECDSA P-256 certificate for this node (valid 30 years: peers pin its fingerprint,
 * so it never needs a CA or a renewal). Node 20 makes and signs keys but cannot write X.509, so the
 * structure comes from @peculiar/asn1-x509 (the ASN.1 layer of @peculiar/x509: synchronous, no
 * global reflect polyfill) and node:crypto does key generation and signing. Synchronous on purpose:
 * the composition root builds the node synchronously, identity first.
 */
export function createSelfSignedCertificate(commonName: string, now = Date.now()): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
  const name = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: commonName.slice(0, 64) }) }),
    ]),
  ]);
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and exactly 16 bytes in DER
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBuffer(serial),
    signature: algorithm,
    issuer: name,
    subject: name,
    validity: new Validity({ notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 30 * YEAR_MS) }),
    subjectPublicKeyInfo: spki,
  });
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), privateKey);
  const der = Buffer.from(
    AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: arrayBuffer(signature) })),
  );
  const cert = new X509Certificate(der);
  if (!cert.verify(publicKey)) throw new Error('the new node certificate does not verify');
  return { certPem: cert.toString(), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** SHA-256 over the certificate's DER bytes, 64 lowercase hex digits: what peers pin. */
export function fingerprintOf(cert: X509Certificate | Buffer): string {
  return createHash('sha256')
    .update(Buffer.isBuffer(cert) ? cert : cert.raw)
    .digest('hex');
}
