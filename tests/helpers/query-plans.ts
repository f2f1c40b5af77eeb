/**
 * What SQLite plans to do with the statements the node really prepares. `captureStatements`
 * records the text of every statement prepared through better-sqlite3 while it is on (the node's
 * own code path, on its real database), with the line of main/ that prepared it; `planOf` runs
 * EXPLAIN QUERY PLAN on one; `scansOf` names the tables a plan reads in full.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { ROOT } from './headless.js';

export interface CapturedStatement {
  sql: string;
  /** `main/node/…/file.ts:line` of the code that prepared it (the first frame under main/). */
  where: string;
}

/** Records every distinct statement prepared until `stop()`; returns them in first-seen order. */
export function captureStatements(): { stop(): CapturedStatement[] } {
  const seen = new Map<string, CapturedStatement>();
  const proto = Database.prototype;
  const prepare = proto.prepare;
  proto.prepare = function (this: Database.Database, source: string) {
    if (!seen.has(source)) seen.set(source, { sql: source, where: callerIn(new Error().stack ?? '') });
    return prepare.call(this, source);
  } as typeof prepare;
  return {
    stop() {
      proto.prepare = prepare;
      return [...seen.values()];
    },
  };
}

function callerIn(stack: string): string {
  const main = path.join(ROOT, 'main') + path.sep;
  for (const line of stack.split('\n').slice(2)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+\.ts):(\d+):\d+\)?$/.exec(line.trim());
    if (!m) continue;
    const file = m[1]!.replace(/^file:\/\//, '');
    if (file.startsWith(main)) return `${path.relative(ROOT, file)}:${m[2]}`;
  }
  return 'outside main/';
}

/** The statement's text without string literals, quoted identifiers and comments. */
function bareSql(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, '')
    .replace(/"(?:[^"]|"")*"/g, '')
    .replace(/`(?:[^`]|``)*`/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
}

/** Positional parameters of a statement: each bare `?` (not `?NNN`) outside literals and comments. */
function countParams(sql: string): number {
  return (bareSql(sql).match(/\?(?!\d)/g) ?? []).length;
}

/** Named parameters of a statement (`@x`, `:x`, `$x`), by the name better-sqlite3 binds them under. */
function namedParams(sql: string): string[] {
  return [...new Set([...bareSql(sql).matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
}

/** The plan's detail lines, every parameter bound to NULL (plans do not depend on values here: no ANALYZE). */
export function planOf(db: Database.Database, sql: string): string[] {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const positional: null[] = Array(countParams(sql)).fill(null);
  const named: Record<string, null> = Object.fromEntries(namedParams(sql).map((n) => [n, null]));
  for (let tries = 0; tries < 100; tries++) {
    try {
      const args = Object.keys(named).length > 0 ? [...positional, named] : positional;
      return (stmt.all(...args) as { detail: string }[]).map((r) => r.detail);
    } catch (e) {
      const m = /Missing named parameter "(\w+)"/.exec((e as Error).message);
      if (!m || Object.hasOwn(named, m[1]!)) throw e;
      named[m[1]!] = null;
    }
  }
  throw new Error(`could not bind the parameters of ${sql}`);
}

/** alias → table for every `FROM t [AS] a` / `JOIN t [AS] a` of the statement (and t → t). */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const keywords = new Set(['where', 'join', 'on', 'left', 'inner', 'cross', 'order', 'group', 'limit', 'set', 'using', 'natural', 'as']);
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const table = m[1]!;
    out.set(table, table);
    const alias = m[2];
    if (alias && !keywords.has(alias.toLowerCase())) out.set(alias, table);
  }
  return out;
}

export interface Scan {
  table: string;
  detail: string;
}

/** Tables of `tables` that the plan reads from end to end (with or without a covering index). */
export function scansOf(sql: string, plan: readonly string[], tables: ReadonlySet<string>): Scan[] {
  const names = aliases(sql);
  const out: Scan[] = [];
  for (const detail of plan) {
    const m = /^SCAN (\w+)/.exec(detail);
    if (!m) continue;
    const table = names.get(m[1]!) ?? m[1]!;
    if (tables.has(table)) out.push({ table, detail });
  }
  return out;
}

/** One line per statement for a failure message: where it comes from, its SQL on one line, its plan. */
export function showStatement(s: CapturedStatement, plan: readonly string[]): string {
  const sql = s.sql.replace(/\s+/g, ' ').trim();
  return `${s.where}: ${sql.length > 220 ? `${sql.slice(0, 220)}…` : sql}\n      plan: ${plan.join(' | ')}`;
}
