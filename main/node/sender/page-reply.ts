import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Below this a page goes out as it is (the compress plugin's own threshold). */
const MIN_GZIP_BYTES = 1_024;

/** Whether the request's Accept-Encoding takes gzip (an entry "gzip" or "*" whose q is not 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const entry of value.split(',')) {
    const [name, ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    if (name !== 'gzip' && name !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/**
 * A range or coverage page, gzipped in one synchronous call. Through the compress plugin's
 * streams each page waited ~5 ms on zlib round trips while the node pulling it sat idle
 * (tests/bench/peer-backfill.bench.ts); one level-1 gzip of a 1,000-row page takes well under a
 * millisecond of this loop. The plugin leaves a reply that already names its encoding alone.
 */
export function sendPage(req: FastifyRequest, reply: FastifyReply, json: string): FastifyReply {
  reply.type('application/json; charset=utf-8');
  if (json.length < MIN_GZIP_BYTES || !acceptsGzip(req.headers['accept-encoding'])) return reply.send(json);
  return reply
    .header('content-encoding', 'gzip')
    .header('vary', 'accept-encoding')
    .send(gzipSync(json, { level: 1 }));
}
