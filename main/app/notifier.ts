import { z } from 'zod';

/**
 * Native notifications from node events, as a pure table: event name -> payload schema ->
 * notification text. The events are the contract's (`preload/contract/receiver.ts`,
 * `preload/contract/backfill.ts`); rules match by name on the bus's onAny stream and validate the
 * fields they read, so a payload that grows keeps working. Add a rule to add a notification.
 */
export interface Notice {
  title: string;
  body: string;
  /** Same key within the quiet period = shown once (a peer failing every 10 s is one notice). */
  key: string;
}

export interface NoticeRule<S extends z.ZodType = z.ZodType> {
  schema: S;
  notice(payload: z.output<S>): Notice | null;
}

const rule = <S extends z.ZodType>(schema: S, notice: (p: z.output<S>) => Notice | null): NoticeRule => ({
  schema,
  notice: notice as (p: unknown) => Notice | null,
});

export const noticeRules: Record<string, NoticeRule> = {
  'sync.peer.failing': rule(
    z.object({
      peerId: z.string(),
      peerName: z.string().optional(),
      failures: z.number().int().min(1),
      lastError: z.string().optional(),
    }),
    (p) => ({
      key: `peer-failing:${p.peerId}`,
      title: `Peer ${p.peerName ?? p.peerId} keeps failing`,
      body:
        `${p.failures} sync attempts in a row failed` +
        (p.lastError ? `: ${p.lastError.slice(0, 160)}` : '.') +
        ' Open Sync to check the address and token.',
    }),
  ),
  'backfill.finished': rule(
    z.object({
      jobId: z.union([z.string(), z.number()]).optional(),
      rows: z.number().int().min(0),
      coins: z.number().int().min(0).optional(),
      durationMs: z.number().min(0).optional(),
      failed: z.number().int().min(0).optional(),
    }),
    (p) => ({
      key: `backfill-finished:${p.jobId ?? 'last'}`,
      title: p.failed ? 'Backfill finished with gaps' : 'Backfill finished',
      body:
        `${p.rows.toLocaleString('en-US')} rows` +
        (p.coins !== undefined ? ` for ${p.coins} coins` : '') +
        (p.durationMs !== undefined ? ` in ${Math.max(1, Math.round(p.durationMs / 1000))} s` : '') +
        (p.failed ? `; ${p.failed} ranges could not be fetched.` : '.'),
    }),
  ),
};

/** The notification for one event, or null (no rule, or a payload the rule does not accept). */
export function noticeFor(event: string, payload: unknown, rules: Record<string, NoticeRule> = noticeRules): Notice | null {
  const r = Object.hasOwn(rules, event) ? rules[event] : undefined;
  if (!r) return null;
  const parsed = r.schema.safeParse(payload);
  return parsed.success ? r.notice(parsed.data) : null;
}

export interface NotifierOptions {
  enabled(): boolean;
  show(n: Notice): void;
  now?: () => number;
  quietMs?: number;
  rules?: Record<string, NoticeRule>;
}

/** An onAny listener that shows notices, honouring the setting and a per-key quiet period. */
export function createNotifier(opts: NotifierOptions): (event: string, payload: unknown) => void {
  const lastShown = new Map<string, number>();
  const now = opts.now ?? Date.now;
  const quietMs = opts.quietMs ?? 15 * 60_000;
  return (event, payload) => {
    const n = noticeFor(event, payload, opts.rules);
    if (!n || !opts.enabled()) return;
    const t = now();
    const prev = lastShown.get(n.key);
    if (prev !== undefined && t - prev < quietMs) return;
    lastShown.set(n.key, t);
    opts.show(n);
  };
}
