import { z } from 'zod';

/** What a receiver accepts from a sender's coverage path (datasets/cells.ts writes it). */
export const CoverageSchema = z.object({
  protocol: z.number().int(),
  code: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  count: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  columns: z.tuple([z.literal('day'), z.literal('coin'), z.literal('count'), z.literal('hash')]),
  // Checked in one plain loop: a year of 27 coins is ~10,000 lines, and a schema per tuple took
  // ~25 ms of the pulling node's event loop while it planned (peer-backfill bench, 365 days).
  rows: z.custom<[string, string, number, string][]>(
    (v) => Array.isArray(v) && v.length <= 200_000 && v.every(isCoverageLine),
    'rows must be [day, coin, count, hash] lines (at most 200,000)',
  ),
});

function isCoverageLine(r: unknown): boolean {
  return (
    Array.isArray(r) &&
    r.length === 4 &&
    typeof r[0] === 'string' &&
    typeof r[1] === 'string' &&
    Number.isInteger(r[2]) &&
    (r[2] as number) >= 0 &&
    typeof r[3] === 'string'
  );
}
export type CoverageAnswer = z.infer<typeof CoverageSchema>;

/**
 * One coin's rows in a range; rows are checked cell by cell by the caller (peer-sources.ts), so
 * here only "an array of arrays" is asked: a schema per cell cost more than the rest of the pull.
 */
export const RangeSchema = z.object({
  protocol: z.number().int(),
  code: z.string(),
  coin: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  count: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  columns: z.array(z.string()).min(1),
  rows: z.custom<unknown[][]>((v) => Array.isArray(v) && v.every(Array.isArray), 'rows must be an array of row arrays'),
});
export type RangeAnswer = z.infer<typeof RangeSchema>;
