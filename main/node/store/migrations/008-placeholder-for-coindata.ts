import type { Migration } from './migration.js';

/**
 * ON wip/peers ONLY — DROP WHEN MERGING. Migration 008 belongs to the coin-data helper; this empty
 * stand-in exists so that 009 (peer sources) can run on this branch. The lead replaces it with the
 * real 008 from wip/coindata.
 */
export const m008Placeholder: Migration = { version: 8, name: 'placeholder-for-coindata', up: '' };
