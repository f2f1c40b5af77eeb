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

/** The languages a notice is written in (the UI's, preload/contract/settings.ts). */
export type NoticeLocale = 'en' | 'zh-CN';

export interface NoticeRule<S extends z.ZodType = z.ZodType> {
  schema: S;
  notice(payload: z.output<S>, locale: NoticeLocale): Notice | null;
}

const rule = <S extends z.ZodType>(schema: S, notice: (p: z.output<S>, locale: NoticeLocale) => Notice | null): NoticeRule => ({
  schema,
  notice: notice as (p: unknown, locale: NoticeLocale) => Notice | null,
});

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));

// Terms as in renderer/src/i18n/glossary.md (对端, 回补, 令牌, 币种), full-width punctuation.
export const noticeRules: Record<string, NoticeRule> = {
  'sync.peer.failing': rule(
    z.object({
      peerId: z.string(),
      peerName: z.string().optional(),
      failures: z.number().int().min(1),
      lastError: z.string().optional(),
    }),
    (p, locale) => {
      const name = p.peerName ?? p.peerId;
      const key = `peer-failing:${p.peerId}`;
      // The English error text is the node's; in Chinese the notice says what to do, and Sync says why.
      if (locale === 'zh-CN')
        return { key, title: `对端 ${name} 持续同步失败`, body: `已连续 ${p.failures} 次同步失败。请打开“同步”页检查地址和令牌。` };
      return {
        key,
        title: `Peer ${name} keeps failing`,
        body:
          `${p.failures} sync attempts in a row failed` +
          (p.lastError ? `: ${p.lastError.slice(0, 160)}` : '.') +
          ' Open Sync to check the address and token.',
      };
    },
  ),
  'backfill.finished': rule(
    z.object({
      jobId: z.union([z.string(), z.number()]).optional(),
      rows: z.number().int().min(0),
      coins: z.number().int().min(0).optional(),
      durationMs: z.number().min(0).optional(),
      failed: z.number().int().min(0).optional(),
    }),
    (p, locale) => {
      const key = `backfill-finished:${p.jobId ?? 'last'}`;
      const rows = p.rows.toLocaleString('en-US');
      if (locale === 'zh-CN')
        return {
          key,
          title: p.failed ? '回补完成，仍有缺口' : '回补完成',
          body:
            `共 ${rows} 行` +
            (p.coins !== undefined ? `，${p.coins} 个币种` : '') +
            (p.durationMs !== undefined ? `，用时 ${seconds(p.durationMs)} 秒` : '') +
            (p.failed ? `；${p.failed} 个区间未能获取。` : '。'),
        };
      return {
        key,
        title: p.failed ? 'Backfill finished with gaps' : 'Backfill finished',
        body:
          `${rows} rows` +
          (p.coins !== undefined ? ` for ${p.coins} coins` : '') +
          (p.durationMs !== undefined ? ` in ${seconds(p.durationMs)} s` : '') +
          (p.failed ? `; ${p.failed} ranges could not be fetched.` : '.'),
      };
    },
  ),
};

/** The notification for one event, or null (no rule, or a payload the rule does not accept). */
export function noticeFor(
  event: string,
  payload: unknown,
  rules: Record<string, NoticeRule> = noticeRules,
  locale: NoticeLocale = 'en',
): Notice | null {
  const r = Object.hasOwn(rules, event) ? rules[event] : undefined;
  if (!r) return null;
  const parsed = r.schema.safeParse(payload);
  return parsed.success ? r.notice(parsed.data, locale) : null;
}

export interface NotifierOptions {
  enabled(): boolean;
  show(n: Notice): void;
  now?: () => number;
  quietMs?: number;
  rules?: Record<string, NoticeRule>;
  /** The UI's language when the notice is shown (English when not given). */
  locale?: () => NoticeLocale;
}

/** An onAny listener that shows notices, honouring the setting and a per-key quiet period. */
export function createNotifier(opts: NotifierOptions): (event: string, payload: unknown) => void {
  const lastShown = new Map<string, number>();
  const now = opts.now ?? Date.now;
  const quietMs = opts.quietMs ?? 15 * 60_000;
  return (event, payload) => {
    const n = noticeFor(event, payload, opts.rules, opts.locale?.() ?? 'en');
    if (!n || !opts.enabled()) return;
    const t = now();
    const prev = lastShown.get(n.key);
    if (prev !== undefined && t - prev < quietMs) return;
    lastShown.set(n.key, t);
    opts.show(n);
  };
}
