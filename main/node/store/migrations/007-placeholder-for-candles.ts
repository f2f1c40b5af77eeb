import type { Migration } from './migration.js';

/**
 * ON wip/peers ONLY — DROP WHEN MERGING. Migration 007 belongs to the candles helper; this empty
 * stand-in exists so that 009 (peer sources) can run on this branch, where the migration list must
 * be gapless. The lead replaces it with the real 007 from wip/candles.
 */
export const m007Placeholder: Migration = { version: 7, name: 'placeholder-for-candles', up: '' };
