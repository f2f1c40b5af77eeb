/**
 * A stored reason (migration 011): `Reasoned` as JSON in a TEXT column. Read back through the same
 * check as any input, since a newer version sharing the folder may have written a reason this one
 * does not know: that reads as null, and the caller falls back to its general sentence.
 */
import { z } from 'zod';
import { isErrorReason, type ErrorReason, type Reasoned } from '../../../preload/contract/reasons.js';

const StoredReason = z.object({
  reason: z.string().refine(isErrorReason),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const reasonToColumn = (r: Reasoned | null | undefined): string | null => (r ? JSON.stringify(r) : null);

export function reasonFromColumn(s: string | null): Reasoned | null {
  if (s === null) return null;
  try {
    const r = StoredReason.safeParse(JSON.parse(s));
    return r.success ? { reason: r.data.reason as ErrorReason, ...(r.data.params ? { params: r.data.params } : {}) } : null;
  } catch {
    return null;
  }
}
