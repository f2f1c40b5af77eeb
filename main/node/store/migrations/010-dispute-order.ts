import type { Migration } from './migration.js';

/**
 * The disputes list (backfill/disputes.ts: newest first, then coin and ts) reads this index in
 * order and stops after its LIMIT, instead of sorting every dispute ever opened (the table is
 * never trimmed: one row per cell two sources disagreed on). Local to this node, never synced.
 */
export const m010DisputeOrder: Migration = {
  version: 10,
  name: 'dispute-order',
  up: `
    CREATE INDEX backfill_disputes_created ON backfill_disputes (created_at DESC, coin, ts);
  `,
};
