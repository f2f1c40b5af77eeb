import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeZodError } from '../../../preload/contract/issues.js';
import type { CellReader } from '../datasets/cells.js';
import { SenderHttpError } from '../wire/sender-errors.js';
import { SENDER_PREFIX } from '../wire/sender-paths.js';
import type { RouteDeps } from './route-deps.js';
import { sendPage } from './page-reply.js';

const ms = z
  .string({ error: 'must be given once, as epoch ms' })
  .regex(/^\d{1,15}$/, 'must be a whole number of epoch ms')
  .transform(Number);

const CoverageQuery = z.object({
  from: ms,
  to: ms,
  coins: z
    .string({ error: 'must be given once, as a comma-separated list' })
    .regex(/^[A-Z0-9]{1,20}(,[A-Z0-9]{1,20}){0,99}$/, 'must be up to 100 symbols such as BTC,ETH')
    .transform((s) => s.split(','))
    .optional(),
  /** `0`: counts only, the hash left empty (older senders ignore it and hash). */
  hashes: z.enum(['0', '1'], { error: 'must be 0 or 1' }).optional(),
  token: z.unknown().optional(),
});

const RangeQuery = z.object({
  coin: z.string({ error: 'must be given once, as a symbol such as BTC' }),
  from: ms,
  to: ms,
  token: z.unknown().optional(),
});

/**
 * Time-ranged reads for another node's backfill (datasets/cells.ts): coverage per day and coin, and
 * one coin's rows in a range. Same hook as every sender path: allow-list, rate limit, token.
 */
export function registerCellRoutes(app: FastifyInstance, deps: RouteDeps, cells: CellReader): void {
  app.get<{ Params: { code: string } }>(`${SENDER_PREFIX}/coverage/:code`, async (req, reply) => {
    const code = known(deps, req.params.code);
    if (req.senderMeta) req.senderMeta.dataset = code;
    const q = CoverageQuery.safeParse(req.query);
    if (!q.success) throw new SenderHttpError('bad_input', describeZodError(q.error));
    const body = cells.coverage(code, q.data.from, q.data.to, q.data.coins, q.data.hashes !== '0');
    if (req.senderMeta) req.senderMeta.rows = body.lines;
    return sendPage(req, reply, body.json);
  });

  app.get<{ Params: { code: string } }>(`${SENDER_PREFIX}/range/:code`, async (req, reply) => {
    const code = known(deps, req.params.code);
    if (req.senderMeta) req.senderMeta.dataset = code;
    const q = RangeQuery.safeParse(req.query);
    if (!q.success) throw new SenderHttpError('bad_input', describeZodError(q.error));
    const body = cells.range(code, q.data.coin, q.data.from, q.data.to, deps.config().maxPageRows);
    if (req.senderMeta) req.senderMeta.rows = body.rows;
    return sendPage(req, reply, body.json);
  });
}

function known(deps: RouteDeps, code: string): string {
  if (!deps.registry.has(code)) {
    throw new SenderHttpError('not_found', `There is no dataset ${JSON.stringify(code.slice(0, 40))}; see ${SENDER_PREFIX}/catalog.`);
  }
  return code;
}
