import { z } from 'zod';
import { because } from './issues.js';

/**
 * Settings › Sources (issue 12): the user's order of the sources of market data, and which of them
 * are on. Peers are asked by backfill in this order; each exchange service (REST, public and
 * business WebSocket) fails over between its hosts in this order. A source not listed keeps its
 * default place after the listed ones of its kind, on; a listed one that no longer exists is
 * ignored. Part of SettingsSchema (`sourceOrder`).
 */
export const SOURCE_KINDS = ['peer', 'rest', 'wsPublic', 'wsBusiness'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const HOST_KINDS = ['rest', 'wsPublic', 'wsBusiness'] as const;

const URL_OF: Record<Exclude<SourceKind, 'peer'>, { re: RegExp; reason: 'http_url' | 'ws_url'; message: string }> = {
  rest: { re: /^https?:\/\/[^\s/]+/, reason: 'http_url', message: 'must be an http:// or https:// URL' },
  wsPublic: { re: /^wss?:\/\/[^\s/]+/, reason: 'ws_url', message: 'must be a ws:// or wss:// URL' },
  wsBusiness: { re: /^wss?:\/\/[^\s/]+/, reason: 'ws_url', message: 'must be a ws:// or wss:// URL' },
};

export const SourceRefSchema = z
  .object({
    kind: z.enum(SOURCE_KINDS),
    /** A peer's id, or a host's URL. */
    id: z.string().trim().min(1).max(300),
    enabled: z.boolean(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === 'peer') return;
    const u = URL_OF[s.kind];
    if (!u.re.test(s.id) || !URL.canParse(s.id)) ctx.addIssue({ code: 'custom', path: ['id'], ...because(u.reason, u.message) });
  });
export type SourceRef = z.infer<typeof SourceRefSchema>;

export const SourceOrderSchema = z
  .array(SourceRefSchema)
  .max(200)
  .refine((l) => new Set(l.map((s) => `${s.kind} ${s.id}`)).size === l.length, because('sources_duplicate', 'a source is listed twice'))
  .refine(
    (l) => HOST_KINDS.every((k) => !l.some((s) => s.kind === k) || l.some((s) => s.kind === k && s.enabled)),
    because('sources_all_hosts_off', 'keep at least one exchange host of each service on'),
  );
