/**
 * Zod issues as stable reasons with parameters, so one rule can be said in any language. Used by
 * the node (every rejected input) and by the renderer (fields checked as the user types), so both
 * say the same thing. Custom checks name their reason in the refinement's `params` (`because`).
 */
import type { z } from 'zod';
import type { FieldIssue } from './result.js';
import { isErrorReason, type ErrorParams, type ErrorReason } from './reasons.js';

/** Refinement options carrying a reason: `.refine(ok, because('coin_symbol', 'a coin is …'))`. */
export const because = (reason: ErrorReason, message: string, extra: { path?: PropertyKey[]; params?: ErrorParams } = {}) => ({
  message,
  ...(extra.path && { path: extra.path }),
  params: { reason, ...extra.params },
});

type Issue = z.core.$ZodIssue;

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
};

/** A short quotable form of the offending value, when it is one. */
const quotable = (v: unknown): ErrorParams => {
  if (typeof v === 'string') return { value: v.length > 60 ? `${v.slice(0, 57)}…` : v };
  if (typeof v === 'number' && Number.isFinite(v)) return { value: v };
  return {};
};

function reasonOf(i: Issue, value: unknown): { reason: ErrorReason; params: ErrorParams } {
  switch (i.code) {
    case 'custom': {
      const { reason, ...rest } = (i.params ?? {}) as Record<string, unknown>;
      const params: ErrorParams = {};
      for (const [k, v] of Object.entries(rest)) if (typeof v === 'string' || typeof v === 'number') params[k] = v;
      return { reason: isErrorReason(reason) ? reason : 'invalid', params };
    }
    case 'invalid_type':
      if (value === undefined) return { reason: 'required', params: {} };
      if (i.expected === 'int') return { reason: 'not_integer', params: {} };
      return { reason: 'wrong_type', params: { expected: String(i.expected) } };
    case 'too_small': {
      const min = Number(i.minimum);
      if (i.origin === 'string') return min <= 1 ? { reason: 'required', params: {} } : { reason: 'too_short', params: { min } };
      if (i.origin === 'array' || i.origin === 'set') return { reason: 'too_few', params: { min } };
      return { reason: 'too_small', params: { min } };
    }
    case 'too_big': {
      const max = Number(i.maximum);
      if (i.origin === 'string') return { reason: 'too_long', params: { max } };
      if (i.origin === 'array' || i.origin === 'set') return { reason: 'too_many', params: { max } };
      return { reason: 'too_big', params: { max } };
    }
    case 'not_multiple_of':
      return { reason: 'not_integer', params: {} };
    case 'invalid_value':
      return { reason: 'not_one_of', params: { values: i.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { reason: 'unknown_field', params: { keys: i.keys.join(', ') } };
    case 'invalid_format':
      return { reason: 'bad_format', params: { format: i.format } };
    default:
      return { reason: 'invalid', params: {} };
  }
}

/** A union's issues: those of the branch that came closest (fewest problems). */
function flatten(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((i) => {
    if (i.code !== 'invalid_union' || i.errors.length === 0) return [i];
    const best = [...i.errors].sort((a, b) => a.length - b.length)[0]!;
    return flatten(best.map((x) => ({ ...x, path: [...i.path, ...x.path] }) as Issue));
  });
}

/** Each issue of a failed parse with its path, reason, parameters (the value, when short) and English sentence. */
export function issuesOf(err: z.ZodError, input?: unknown, prefix: (string | number)[] = []): FieldIssue[] {
  return flatten(err.issues).map((i) => {
    const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
    const value = valueAt(input, path);
    const { reason, params } = reasonOf(i, value);
    const index = path.findLast((p) => typeof p === 'number');
    return {
      path: [...prefix, ...path],
      reason,
      params: { ...quotable(value), ...(index !== undefined && { index: index + 1 }), ...params },
      message: i.message,
    };
  });
}

/**
 * One English sentence for a rejected value, each issue prefixed by its field path
 * (`port: Too big: expected number to be <=65535; coins.0: unknown coin`). The node's logs and
 * error messages use it; screens localize the structured `issuesOf` instead. `max` keeps a log line
 * short when a large payload (an OKX page) fails on many rows.
 */
export function describeZodError(err: z.ZodError, prefix = '', max = Number.POSITIVE_INFINITY): string {
  const shown = err.issues.slice(0, max).map((i) => {
    const where = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return where ? `${where}: ${i.message}` : i.message;
  });
  const more = err.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}
