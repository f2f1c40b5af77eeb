import type { Migration } from './migration.js';

/**
 * Why a peer, one of its datasets, a sync run or a source last failed, as a reason code with its
 * parameters (JSON of preload/contract/reasons.ts `Reasoned`) beside the English text the tables
 * already keep: the UI says it in its language after a restart too. Local tables, never synced.
 */
export const m011ErrorReasons: Migration = {
  version: 11,
  name: 'error-reasons',
  up: `
    ALTER TABLE receiver_peers ADD COLUMN last_error_reason TEXT;
    ALTER TABLE receiver_cursors ADD COLUMN last_error_reason TEXT;
    ALTER TABLE receiver_runs ADD COLUMN error_reason TEXT;
    ALTER TABLE source_records ADD COLUMN last_refusal_reason TEXT;
  `,
};
