/**
 * The renderer's one error path: an API error (a code, a reason with parameters, field issues) or
 * a failed form check becomes one sentence in the UI's language that says what to do. No handler
 * names, no field paths; the node's English `message` is only the last resort for an error that
 * carries no reason yet.
 */
import type { z } from 'zod';
import { issuesOf, type ApiError, type ErrorParams, type ErrorReason, type FieldIssue, type Reasoned } from '../../../preload/contract';
import { ApiCallError } from '../bridge/use-call';
import { formatInt } from '../format';
import { barName } from './bar-names';
import { useCallback } from 'react';
import { useLocale, useT, type Locale, type MessageKey, type TFunction } from '../i18n';
import { en } from '../i18n/en';

const hasKey = (k: string): k is MessageKey => Object.hasOwn(en, k);

/** Parameters that are counts or bounds read better grouped (100,000); ids, ports and values stay as typed. */
const GROUPED = new Set(['min', 'max', 'pages', 'total', 'done', 'n']);
const UNGROUPED_FIELDS = new Set(['port']);

function paramsFor(params: ErrorParams | undefined, field: string | undefined): Record<string, string | number> {
  const group = !UNGROUPED_FIELDS.has(field ?? '');
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = typeof v === 'number' && group && GROUPED.has(k) ? formatInt(v) : v;
  return out;
}

/** The name of the field an issue's path points at, as the forms label it. */
export function fieldName(t: TFunction, path: readonly (string | number)[]): string {
  const names = path.filter((p): p is string => typeof p === 'string');
  if (names[0] === 'patch') names.shift();
  for (const key of [`field.${names.join('.')}`, `field.${names.at(-1) ?? ''}`]) if (hasKey(key)) return t(key);
  return t('field.unknown');
}

export function reasonSentence(t: TFunction, reason: ErrorReason, params?: ErrorParams, path: readonly (string | number)[] = []): string {
  const key = `err.${reason}`;
  if (!hasKey(key)) return reason;
  const last = path.filter((p) => typeof p === 'string').at(-1);
  const values = paramsFor(params, last);
  if (typeof values.bar === 'string') values.bar = barName(t, values.bar);
  const cause = typeof values.cause === 'string' ? `cause.${values.cause.replace(/\W/g, '_')}` : '';
  if (hasKey(cause)) values.cause = t(cause);
  return t(key, { field: fieldName(t, path), ...values });
}

/**
 * A record's stored error (a peer's last error, a source's last refusal): its reason said in the
 * UI's language; the English text only from a node too old to send a reason.
 */
export function recordSentence(t: TFunction, r: Reasoned | null | undefined, text: string | null): string {
  if (r) return reasonSentence(t, r.reason, r.params);
  return text ?? '';
}

export const issueSentence = (t: TFunction, i: FieldIssue): string => reasonSentence(t, i.reason, i.params, i.path);

const joinSentences = (locale: Locale, parts: string[]) => [...new Set(parts)].join(locale === 'zh-CN' ? '' : ' ');

/** One sentence (or a few, for several fields) for any failure. */
export function describeError(t: TFunction, locale: Locale, e: unknown): string {
  const err: ApiError | null = e instanceof ApiCallError ? e.error : null;
  if (err?.issues && err.issues.length > 0)
    return joinSentences(
      locale,
      err.issues.map((i) => issueSentence(t, i)),
    );
  if (err?.reason) return reasonSentence(t, err.reason, err.params);
  const message = e instanceof Error ? e.message : String(e);
  // An error without a reason (a newer node, or one not converted yet): say what kind it is, keep the node's words.
  if (locale === 'en' || !err) return message;
  return `${t(`err.code.${err.code}` as MessageKey)}（${message}）`;
}

/** Issues grouped by the form field they belong to; `fieldOf` maps a path to a field id (null: not a field here). */
export function issuesByField<F extends string>(
  t: TFunction,
  locale: Locale,
  issues: readonly FieldIssue[],
  fieldOf: (path: readonly (string | number)[]) => F | null,
): Partial<Record<F | '', string>> {
  const parts = new Map<F | '', string[]>();
  for (const i of issues) {
    const f = fieldOf(i.path) ?? '';
    parts.set(f, [...(parts.get(f) ?? []), issueSentence(t, i)]);
  }
  const out: Partial<Record<F | '', string>> = {};
  for (const [f, p] of parts) out[f] = joinSentences(locale, p);
  return out;
}

/** The field issues of a failed call, or none (the error is not about fields). */
export const issuesOfError = (e: unknown): FieldIssue[] => (e instanceof ApiCallError ? (e.error.issues ?? []) : []);

/** Checks a value against a contract schema as the user types: the issues the node would answer with. */
export function check<S extends z.ZodType>(schema: S, value: unknown): FieldIssue[] {
  const r = schema.safeParse(value);
  return r.success ? [] : issuesOf(r.error, value);
}

/** describeError bound to the UI's language. */
export function useDescribeError(): (e: unknown) => string {
  const t = useT();
  const locale = useLocale();
  return useCallback((e: unknown) => describeError(t, locale, e), [t, locale]);
}
