/**
 * The node ID: the SHA-256 fingerprint of the node's certificate, written for reading aloud.
 * The idea is Syncthing's (our own code): the 32 bytes in base32 (52 characters), cut into four
 * blocks of 13, each followed by a Luhn mod-32 check character, shown as eight groups of seven:
 * `MFZWI3D-BONSGYC-...`. A mistyped or swapped character fails its block's check, so a person who
 * compares or types an ID is told at once, and the ID still decodes back to the whole fingerprint.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BLOCK = 13;
const BLOCKS = 4;
const ID_CHARS = BLOCKS * (BLOCK + 1);

function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      if (n < length) out[n++] = (acc >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  // The leftover bits of the last character must be zero: one spelling per ID.
  if (n !== length || (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** Luhn mod 32 (the generating direction: from the right, doubling the rightmost character). */
function luhn32(block: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = block.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(block[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!;
}

/** The grouped node ID of a certificate fingerprint (64 hex digits). */
export function nodeIdOf(fingerprintHex: string): string {
  if (!/^[0-9a-f]{64}$/i.test(fingerprintHex)) throw new Error('a fingerprint is 64 hex digits');
  const plain = base32(Buffer.from(fingerprintHex, 'hex'));
  let withChecks = '';
  for (let i = 0; i < BLOCKS; i++) {
    const block = plain.slice(i * BLOCK, (i + 1) * BLOCK);
    withChecks += block + luhn32(block);
  }
  return withChecks.match(/.{7}/g)!.join('-');
}

export type NodeIdParse = { ok: true; nodeId: string; fingerprint: string } | { ok: false; reason: 'length' | 'characters' | 'check' };

/**
 * Reads a node ID as a person may type it: any case, with or without dashes or spaces, and with
 * 0/1/8 taken for O/I/B (base32 has no 0, 1 or 8). Answers the canonical ID and its fingerprint.
 */
export function parseNodeId(text: string): NodeIdParse {
  const s = text.toUpperCase().replace(/[\s-]/g, '').replace(/0/g, 'O').replace(/1/g, 'I').replace(/8/g, 'B');
  if (s.length !== ID_CHARS) return { ok: false, reason: 'length' };
  if (![...s].every((c) => ALPHABET.includes(c))) return { ok: false, reason: 'characters' };
  let plain = '';
  for (let i = 0; i < BLOCKS; i++) {
    const chunk = s.slice(i * (BLOCK + 1), (i + 1) * (BLOCK + 1));
    const block = chunk.slice(0, BLOCK);
    if (luhn32(block) !== chunk[BLOCK]) return { ok: false, reason: 'check' };
    plain += block;
  }
  const bytes = unbase32(plain, 32);
  if (!bytes) return { ok: false, reason: 'check' };
  const fingerprint = Buffer.from(bytes).toString('hex');
  return { ok: true, nodeId: nodeIdOf(fingerprint), fingerprint };
}
