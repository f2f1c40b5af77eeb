import type { Database } from 'better-sqlite3';

/** One numbered step of the schema (its own file, so the list and the steps never import each other). */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside the migration transaction; never edited once landed. */
  up: string | ((db: Database) => void);
}
