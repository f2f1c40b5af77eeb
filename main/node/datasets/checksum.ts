import { createHash } from 'node:crypto';

/**
 * The page checksum, which a receiver verifies before applying a page.
 *
 * Definition: lowercase hex SHA-256 of the UTF-8 bytes of `JSON.stringify([columns, rows])`,
 * where `columns` is the page's column-name array and `rows` its array of row arrays exactly as
 * received (cells are strings, finite numbers or null). In JavaScript a receiver recomputes it
 * with `sha256hex(JSON.stringify([page.columns, page.rows]))` after `JSON.parse` of the body:
 * JSON.stringify of a parsed number prints the same shortest round-trip form the sender printed,
 * and strings are re-escaped identically, so the serialization is canonical. Other languages
 * must reproduce ECMAScript's JSON.stringify (no whitespace, shortest round-trip numbers,
 * `\u00XX` only for control characters, lone surrogates as `\uXXXX`).
 */
export function pageChecksum(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return checksumOfJson(JSON.stringify(columns), JSON.stringify(rows));
}

/** The same digest from the two already-serialized halves (the sender's fast path). */
export function checksumOfJson(columnsJson: string, rowsJson: string): string {
  return createHash('sha256').update('[').update(columnsJson).update(',').update(rowsJson).update(']').digest('hex');
}

/**
 * The same digest, fed a run of rows at a time: `JSON.stringify(rows)` is its elements' JSON joined
 * by commas inside brackets, so hashing each run without its brackets gives the identical bytes. A
 * receiver verifies a 5,000-row page this way in slices, yielding to the event loop between them.
 */
export class PageHasher {
  private readonly hash = createHash('sha256');
  private empty = true;

  /** `keep`: collects each run's JSON (without its brackets), which the receiver hands to its merge worker. */
  constructor(
    columns: readonly string[],
    private readonly keep?: string[],
  ) {
    this.hash.update('[').update(JSON.stringify(columns)).update(',[');
  }

  add(rows: readonly unknown[]): this {
    if (rows.length === 0) return this;
    const json = JSON.stringify(rows).slice(1, -1);
    if (!this.empty) this.hash.update(',');
    this.hash.update(json);
    this.keep?.push(json);
    this.empty = false;
    return this;
  }

  digest(): string {
    return this.hash.update(']]').digest('hex');
  }
}
