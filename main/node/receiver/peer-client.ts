import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { ErrorReason, Reasoned } from '../../../preload/contract/reasons.js';
import { SYNC_PROTOCOL_VERSION } from '../../../preload/contract/sender.js';
import { identityChangedIn } from '../net/pinned-tls.js';
import { BodyError, decoded, type Answer } from './answer-body.js';
import { CoverageSchema, RangeSchema, type CoverageAnswer, type RangeAnswer } from '../datasets/cells-wire.js';

/**
 * Why a request to a peer failed, as the loop needs to react: `auth` / `forbidden` stop the peer
 * (retrying cannot help), `rate_limited` waits Retry-After, everything else backs off and retries.
 */
export type PeerErrorKind =
  | 'auth'
  | 'forbidden'
  | 'rate_limited'
  | 'network'
  | 'timeout'
  | 'server'
  | 'bad_page'
  | 'not_sync_node'
  | 'not_found'
  /** The peer presented another certificate than the pinned one. */
  | 'identity'
  /** Nothing is sent until the peer is paired (LAN over plain HTTP, or https without a pin). */
  | 'pairing';

const REASON_OF: Record<PeerErrorKind, ErrorReason> = {
  auth: 'peer.auth',
  forbidden: 'peer.forbidden',
  rate_limited: 'peer.rate_limited',
  network: 'peer.network',
  timeout: 'peer.timeout',
  server: 'peer.server',
  bad_page: 'peer.bad_page',
  not_sync_node: 'peer.not_sync_node',
  not_found: 'peer.no_dataset',
  identity: 'peer.identity_changed',
  pairing: 'peer.pairing_required',
};

export class PeerError extends Error {
  /** What the UI says (in its language); `message` stays English for the log and scripts. */
  readonly detail: Reasoned;

  constructor(
    readonly kind: PeerErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    detail?: Partial<Reasoned>,
  ) {
    super(message);
    this.name = 'PeerError';
    this.detail = { reason: detail?.reason ?? REASON_OF[kind], params: detail?.params ?? {} };
  }
}

const CatalogSchema = z.object({
  protocol: z.number().int(),
  nodeId: z.string().optional(),
  datasets: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.enum(['syncable', 'view']),
      rows: z.number().nullable(),
      maxSeq: z.number().int().min(0),
      key: z.array(z.string()).optional(),
      columns: z.array(z.string()).optional(),
    }),
  ),
});
export type PeerCatalog = z.infer<typeof CatalogSchema>;

export const PageSchema = z.object({
  protocol: z.number().int(),
  code: z.string(),
  kind: z.literal('syncable'),
  since: z.number().int().min(0),
  nextSince: z.number().int().min(0),
  hasMore: z.boolean(),
  maxSeq: z.number().int().min(0),
  count: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  columns: z.array(z.string()).min(1),
  // Rows are checked cell by cell in page-apply.ts (a tight loop; zod per cell costs seconds per million rows).
  rows: z.array(z.unknown()),
});
export type PeerPage = z.infer<typeof PageSchema>;

const StatusSchema = z.object({ protocol: z.number().int(), nodeId: z.string(), state: z.string().optional() }).passthrough();

export interface PeerClientOptions {
  url: string;
  token: string;
  /** The pinned TLS connection pool (net/pinned-tls.ts); none for plain HTTP on loopback. */
  dispatcher?: Dispatcher;
  /** A request that has not answered in this long is abandoned (a hung peer). */
  timeoutMs?: number;
  /** Aborts every request in flight (the node is stopping). */
  signal?: AbortSignal;
}

/**
 * Dead pooled connections a request may meet before one is opened anew (the agent keeps up to
 * four per peer; each failure drops that one from the pool).
 */
const STALE_RETRIES = 4;

/** A connection closed or reset under a request before it was answered (undici's or the OS's code). */
function staleConnection(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return true;
  }
  return false;
}

const ROWS_KEY = ',"rows":';

const ERROR_BODY = z.object({ error: z.object({ code: z.string(), message: z.string(), reason: z.string().optional() }) });

/** The receiver's side of the sender protocol (`sender/routes.ts`; docs/ARCHITECTURE.md, a sync page): catalog, status, pages. */
export class PeerClient {
  constructor(private readonly opts: PeerClientOptions) {}

  catalog(): Promise<PeerCatalog> {
    return this.get('/api/data-sync/sender/catalog', CatalogSchema);
  }

  status(): Promise<z.infer<typeof StatusSchema>> {
    return this.get('/api/data-sync/sender/status', StatusSchema);
  }

  /** Without `limit` the sender picks its default page size. */
  page(code: string, since: number, limit?: number): Promise<PeerPage> {
    const q = limit === undefined ? `since=${since}` : `since=${since}&limit=${limit}`;
    return this.get(`/api/data-sync/sender/data/${encodeURIComponent(code)}?${q}`, PageSchema);
  }

  /** What the peer holds per day and coin (backfill from peers, datasets/cells.ts). */
  /** `hashes: false`: counts only, hashes left empty (a sender of an older version hashes anyway). */
  coverage(code: string, from: number, to: number, hashes = true): Promise<CoverageAnswer> {
    return this.get(
      `/api/data-sync/sender/coverage/${encodeURIComponent(code)}?from=${from}&to=${to}${hashes ? '' : '&hashes=0'}`,
      CoverageSchema,
    );
  }

  /**
   * One coin's rows with from ≤ ts < to. `rowsJson` is the rows array's text as it came, when the
   * answer ends with it (this node's senders write it last): its digest is the page checksum of a
   * canonical sender without serializing the rows again (datasets/checksum.ts).
   */
  async range(code: string, coin: string, from: number, to: number): Promise<RangeAnswer & { rowsJson: string | null }> {
    const q = `coin=${encodeURIComponent(coin)}&from=${from}&to=${to}`;
    const { data, text } = await this.read(`/api/data-sync/sender/range/${encodeURIComponent(code)}?${q}`, RangeSchema);
    const at = text.indexOf(ROWS_KEY);
    return { ...data, rowsJson: at >= 0 && text.endsWith(']}') ? text.slice(at + ROWS_KEY.length, -1) : null };
  }

  /**
   * One GET, retried on a fresh connection when a pooled keep-alive connection turns out dead
   * before any answer (the peer restarted, or another machine now has its address). A retry goes
   * through the pinned handshake again, so a changed certificate is reported as such (not as a
   * socket error), and a GET is safe to repeat.
   *
   * undici's `request` rather than `fetch`: fetch's web streams and chunked gunzip cost a pulling
   * node ~25 ms of its event loop per 27 range pages (tests/bench/peer-backfill.bench.ts). Here the
   * body is gunzipped in one call off the main thread, and bounded, so a compressed bomb stops at
   * MAX_BODY_BYTES (answer-body.ts) instead of filling memory.
   */
  private async fetchText(path: string, signal: AbortSignal): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await request(`${this.opts.url}${path}`, {
          headers: { authorization: `Bearer ${this.opts.token}`, accept: 'application/json', 'accept-encoding': 'gzip' },
          signal,
          ...(this.opts.dispatcher && { dispatcher: this.opts.dispatcher }),
        });
        const raw = Buffer.from(await res.body.arrayBuffer());
        const header = (name: string): string | null => {
          const v = res.headers[name];
          return (Array.isArray(v) ? v[0] : v) ?? null;
        };
        return { status: res.statusCode, header, text: await decoded(raw, header('content-encoding')) };
      } catch (e) {
        if (attempt >= STALE_RETRIES || signal.aborted || identityChangedIn(e) || !staleConnection(e)) throw e;
      }
    }
  }

  private async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return (await this.read(path, schema)).data;
  }

  /** The parsed and checked answer, with its text. */
  private async read<S extends z.ZodType>(path: string, schema: S): Promise<{ data: z.output<S>; text: string }> {
    const timeoutMs = this.opts.timeoutMs ?? 20_000;
    let res: Answer;
    try {
      // One signal covers connect, headers and the whole body: a peer that stalls mid-page times out too.
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = this.opts.signal ? AbortSignal.any([timeout, this.opts.signal]) : timeout;
      res = await this.fetchText(path, signal);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const changed = identityChangedIn(e);
      if (changed) throw new PeerError('identity', changed.message);
      if (this.opts.signal?.aborted)
        throw new PeerError('network', 'Stopped: the node is shutting down.', undefined, { reason: 'peer.stopped' });
      if (e instanceof BodyError) throw new PeerError('bad_page', e.message);
      if (err.name === 'TimeoutError' || err.name === 'AbortError') {
        const seconds = Math.round(timeoutMs / 1000);
        throw new PeerError('timeout', `The peer did not answer within ${seconds} s.`, undefined, { params: { seconds } });
      }
      // undici's request throws the socket's error itself (fetch wrapped it as the cause).
      const code = (err as { code?: string }).code ?? err.cause?.code ?? err.cause?.message ?? err.message;
      throw new PeerError('network', `Cannot reach ${this.opts.url} (${code}).`, undefined, {
        params: { url: this.opts.url, cause: String(code).slice(0, 60) },
      });
    }
    const text = res.text;
    if (res.status < 200 || res.status > 299) throw this.httpError(res, text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      const looksHtml = /^\s*</.test(text);
      throw new PeerError(
        looksHtml ? 'not_sync_node' : 'bad_page',
        looksHtml
          ? `${this.opts.url} answered with a web page, not sync data: it is not a Coin Sync Node sender.`
          : `The peer's answer was cut off or is not JSON (${text.length} bytes).`,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new PeerError('not_sync_node', `${this.opts.url} answered ${path.split('?')[0]} with something that is not a sync page.`);
    }
    const protocol = (parsed.data as { protocol: number }).protocol;
    if (protocol !== SYNC_PROTOCOL_VERSION) {
      throw new PeerError(
        'not_sync_node',
        `The peer speaks sync protocol ${protocol}; this node speaks ${SYNC_PROTOCOL_VERSION}. Update the older node.`,
        undefined,
        { reason: 'peer.protocol', params: { theirs: protocol, ours: SYNC_PROTOCOL_VERSION } },
      );
    }
    return { data: parsed.data, text };
  }

  private httpError(res: Answer, text: string): PeerError {
    let detail = '';
    let reason: string | undefined;
    try {
      const e = ERROR_BODY.safeParse(JSON.parse(text));
      if (e.success) detail = e.data.error.message.replace(/\.+$/, '');
      if (e.success) reason = e.data.error.reason;
    } catch {
      // not our error format: says something about the peer (below)
    }
    const s = res.status;
    if (s === 401) {
      // The sender says why (revoked, shared token off) as a reason the UI can put in its language.
      const known = reason === 'peer.revoked' || reason === 'peer.shared_token_off' ? { reason: reason as ErrorReason } : undefined;
      return new PeerError(
        'auth',
        `The peer refused the token (401)${detail ? `: ${detail}` : ''}. Pair this node with it again.`,
        undefined,
        known,
      );
    }
    if (s === 403)
      return new PeerError(
        'forbidden',
        `The peer does not allow this address (403)${detail ? `: ${detail}` : ''}. Add it to that node's allow-list.`,
      );
    if (s === 429) {
      const ra = Number(res.header('retry-after'));
      const ms = Number.isFinite(ra) && ra >= 0 ? Math.min(ra, 3600) * 1000 : 30_000;
      const seconds = Math.ceil(ms / 1000);
      return new PeerError('rate_limited', `The peer is rate-limiting this node (429); waiting ${seconds} s.`, ms, { params: { seconds } });
    }
    if (s === 404) {
      return detail
        ? new PeerError('not_found', `The peer has no such dataset (404): ${detail}`, undefined, {
            params: { code: /\b[A-Z]{2,3}[0-9A-Z]{3}\b/.exec(detail)?.[0] ?? '' },
          })
        : new PeerError('not_sync_node', `${this.opts.url} has no sync API (404): it is not a Coin Sync Node sender.`);
    }
    if (s >= 500)
      return new PeerError('server', `The peer failed with ${s}${detail ? `: ${detail}` : ''}.`, undefined, { params: { status: s } });
    return new PeerError('bad_page', `The peer answered ${s}${detail ? `: ${detail}` : ''}.`, undefined, { params: { status: s } });
  }
}
