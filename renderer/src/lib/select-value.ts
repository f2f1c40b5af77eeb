import type { z } from 'zod';

/**
 * A `<select>`'s value is a string; its options are a contract enum. Parse it with that schema
 * (no cast) and hand on only a value the contract knows — an unknown one (an edited DOM) is ignored.
 */
export function whenValid<T>(schema: z.ZodType<T>, value: string, apply: (v: T) => void): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) apply(parsed.data);
}
