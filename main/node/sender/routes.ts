import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SYNC_PROTOCOL_VERSION } from '../../../preload/contract/sender.js';
import { DatasetError, type PageBody } from '../datasets/types.js';
import { describeZodError } from '../../../preload/contract/issues.js';
import { classify, SenderHttpError } from '../wire/sender-errors.js';
import { SENDER_PREFIX } from '../wire/sender-paths.js';
import type { RouteDeps } from './route-deps.js';
import { registerCellRoutes } from './cell-routes.js';

export type { RouteDeps };

export const MAX_BATCH = 20;
const DEFAULT_LIMIT = 1_000;
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/** Per-request bookkeeping the hooks and handlers share (what the request log records). */
export interface RequestMeta {
  start: number;
  bytesBefore: number;
  dataset: string | null;
  rows: number;
  error: string | null;
  items?: { dataset: string; rows: number; bytes: number; ok: boolean }[];
}

declare module 'fastify' {
  interface FastifyRequest {
    senderMeta: RequestMeta | null;
  }
}

const digits = (what: string, max: number) =>
  z
    .string({ error: 'must be given once, as a whole number' })
    .regex(/^\d{1,16}$/, `must be a whole number ≥ 0 (${what})`)
    .transform(Number)
    .refine((n) => n <= max, `must be at most ${max}`);

const DataQuery = z.object({
  since: digits('a seq', MAX_SEQ).optional(),
  limit: digits('rows per page', MAX_SEQ).optional(),
  from: digits('epoch ms', MAX_SEQ).optional(),
  to: digits('epoch ms', MAX_SEQ).optional(),
  token: z.unknown().optional(),
});

const int = z.number().int('must be a whole number');
const SyncItem = z
  .object(
    { code: z.string().max(16), since: int.min(0, 'must be ≥ 0').max(MAX_SEQ).optional(), limit: int.optional() },
    { error: 'must be {"code","since","limit"} or {"code","from","to"}' },
  )
  .strict();
const ViewItem = z
  .object({ code: z.string().max(16), from: int.min(0, 'must be ≥ 0').max(MAX_SEQ), to: int.min(0, 'must be ≥ 0').max(MAX_SEQ) })
  .strict();
/** Picks the item's shape by its fields, so the error names the field that is wrong. */
const parseItem = (raw: unknown) =>
  raw && typeof raw === 'object' && ('from' in raw || 'to' in raw) ? ViewItem.safeParse(raw) : SyncItem.safeParse(raw);
const Batch = z
  .object(
    {
      requests: z
        .array(z.unknown(), { error: 'must be a list of {"code","since","limit"} or {"code","from","to"}' })
        .min(1, 'list at least one request')
        .max(MAX_BATCH, `at most ${MAX_BATCH} requests per batch`),
    },
    { error: 'the body must be {"requests":[...]}' },
  )
  .strict();

/** One dataset request, validated against the registry and the configured page size. */
function serve(deps: RouteDeps, code: string, q: { since?: number; limit?: number; from?: number; to?: number }): PageBody {
  const kind = deps.registry.kindOf(code);
  if (kind === 'view') {
    if (q.since !== undefined || q.limit !== undefined) {
      throw new DatasetError(400, 'bad_input', `${code} is a view: ask it with from and to (epoch ms), not since/limit.`);
    }
    if (q.from === undefined || q.to === undefined) {
      throw new DatasetError(400, 'bad_input', `${code} is a view: from and to (epoch ms) are required.`);
    }
    return deps.registry.viewBody(code, q.from, q.to);
  }
  if (q.from !== undefined || q.to !== undefined) {
    throw new DatasetError(400, 'bad_input', `${code} is syncable: ask it with since (a seq) and limit, not from/to.`);
  }
  const max = deps.config().maxPageRows;
  const limit = q.limit ?? Math.min(DEFAULT_LIMIT, max);
  if (limit < 1 || limit > max) throw new DatasetError(400, 'bad_input', `limit: must be 1–${max}.`);
  return deps.registry.pageBody(code, q.since ?? 0, limit);
}

function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export function registerSenderRoutes(app: FastifyInstance, deps: RouteDeps): void {
  // `nodeId` stays the store's origin id (what older receivers compare to detect a new database);
  // `identity` is the certificate node ID, for display.
  app.get(`${SENDER_PREFIX}/catalog`, async (_req, reply) =>
    sendJson(
      reply,
      JSON.stringify({
        protocol: SYNC_PROTOCOL_VERSION,
        nodeId: deps.nodeId,
        identity: deps.publicIdentity,
        datasets: deps.registry.catalog(),
      }),
    ),
  );

  app.get(`${SENDER_PREFIX}/status`, async (_req, reply) => sendJson(reply, JSON.stringify(deps.stats())));

  app.get<{ Params: { code: string } }>(`${SENDER_PREFIX}/data/:code`, async (req, reply) => {
    const meta = req.senderMeta;
    const code = req.params.code;
    if (meta && deps.registry.has(code)) meta.dataset = code;
    const q = DataQuery.safeParse(req.query);
    if (!q.success) throw new SenderHttpError('bad_input', describeZodError(q.error));
    const body = serve(deps, code, q.data);
    if (meta) meta.rows = body.rows;
    return sendJson(reply, body.json);
  });

  app.post(`${SENDER_PREFIX}/batch`, async (req: FastifyRequest, reply) => {
    const parsed = Batch.safeParse(req.body);
    if (!parsed.success) throw new SenderHttpError('bad_input', describeZodError(parsed.error));
    const parts: string[] = [];
    const items: NonNullable<RequestMeta['items']> = [];
    let rows = 0;
    parsed.data.requests.forEach((raw, i) => {
      const item = parseItem(raw);
      const code = item.success
        ? item.data.code
        : typeof (raw as { code?: unknown })?.code === 'string'
          ? String((raw as { code: string }).code)
          : null;
      try {
        if (!item.success) throw new SenderHttpError('bad_input', describeZodError(item.error, `requests.${i}`));
        const body = serve(deps, item.data.code, item.data);
        parts.push(body.json);
        rows += body.rows;
        items.push({ dataset: item.data.code, rows: body.rows, bytes: body.json.length, ok: true });
      } catch (e) {
        const { code: ec, message } = classify(e);
        if (ec === 'internal') throw e;
        parts.push(JSON.stringify({ code: code?.slice(0, 16) ?? null, error: { code: ec, message } }));
        if (code && deps.registry.has(code)) items.push({ dataset: code, rows: 0, bytes: 0, ok: false });
      }
    });
    if (req.senderMeta) {
      req.senderMeta.rows = rows;
      req.senderMeta.items = items;
    }
    return sendJson(reply, `{"protocol":${SYNC_PROTOCOL_VERSION},"results":[${parts.join(',')}]}`);
  });

  if (deps.cells) registerCellRoutes(app, deps, deps.cells);

  app.route({
    method: 'GET',
    url: `${SENDER_PREFIX}/stream`,
    // A plain GET (no Upgrade) gets a JSON error like every other bad request.
    handler: async () => {
      throw new SenderHttpError('bad_input', 'The stream is a WebSocket: connect with Upgrade: websocket.');
    },
    wsHandler: (socket, req) => {
      const maxSeq = Object.fromEntries(deps.registry.codes().map((c) => [c, deps.registry.maxSeq(c)]));
      const caller = req.senderCaller;
      const owner = caller?.kind === 'device' ? caller.device.id : 'shared';
      deps.feed.add(
        socket,
        { type: 'hello', protocol: SYNC_PROTOCOL_VERSION, nodeId: deps.nodeId, identity: deps.publicIdentity, maxSeq },
        owner,
      );
    },
  });
}
