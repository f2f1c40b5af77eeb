import { randomBytes } from 'node:crypto';
import { bearerOf, tokenMatches } from '../security/admin-token.js';
import type { Db } from '../store/db.js';

export { bearerOf };

/**
 * The sender's bearer token: generated on first run, kept in SQLite (`sender_state` key `token`)
 * so it survives restarts and can be shown in the UI, compared in constant time, rotatable.
 */
export class SenderToken {
  private current: string;

  constructor(private readonly db: Db) {
    const row = db.prepare("SELECT value FROM sender_state WHERE key = 'token'").pluck(true).get() as string | undefined;
    this.current = row && row.length >= 32 ? row : this.save(SenderToken.fresh());
  }

  static fresh(): string {
    return randomBytes(32).toString('base64url');
  }

  get value(): string {
    return this.current;
  }

  matches(presented: string | undefined): boolean {
    return tokenMatches(presented, this.current);
  }

  /** A new token; the old one stops working at once. */
  rotate(): string {
    this.current = this.save(SenderToken.fresh());
    return this.current;
  }

  private save(token: string): string {
    this.db
      .prepare(
        "INSERT INTO sender_state (key, value, updated_at) VALUES ('token', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      )
      .run(token, Date.now());
    return token;
  }
}
