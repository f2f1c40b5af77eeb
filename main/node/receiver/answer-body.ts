import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/** A peer's answer as read off the wire: status, headers by lower-case name, the decoded body. */
export interface Answer {
  status: number;
  header(name: string): string | null;
  text: string;
}

/** A body that cannot be read as text; the client reports it as a bad page. */
export class BodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyError';
  }
}

/** Largest body a peer answer may decode to; a sync page of the largest size is a few MB. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);

/**
 * The body as text: gunzipped in one call off the main thread when the peer compressed it (only
 * gzip is asked for), and bounded, so a compressed bomb stops at MAX_BODY_BYTES.
 */
export async function decoded(raw: Buffer, encoding: string | null): Promise<string> {
  if (encoding === null || encoding === 'identity') return raw.toString('utf8');
  if (encoding !== 'gzip') throw new BodyError(`The peer answered in an encoding this node did not ask for (${encoding.slice(0, 20)}).`);
  try {
    return (await gunzipAsync(raw, { maxOutputLength: MAX_BODY_BYTES })).toString('utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new BodyError(
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `The peer's answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB once unpacked.`
        : `The peer's answer is not valid gzip (${code ?? 'corrupt'}).`,
    );
  }
}
