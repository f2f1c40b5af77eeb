/**
 * `npm run schema:snapshot`: writes the latest schema (every table's columns, types, keys, indexes
 * and synced columns, each stamped with the version that introduced it) to
 * tests/unit/store-schema.snapshot.json, which tests/unit/store-schema-guard.test.ts compares with.
 * Refuses, changing nothing, when the schema lost something the snapshot has: shipped columns are
 * never removed or renamed (DESIGN.md §5). `--check` only reports whether the file is current;
 * `--file <path>` reads and writes another file (the guard's own test uses a copy).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { compareSchemas, latestSchema, SNAPSHOT_FILE, type SchemaSnapshot } from '../tests/helpers/schema.js';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const at = args.indexOf('--file');
const file = path.resolve(root, (at >= 0 ? args[at + 1] : undefined) ?? SNAPSHOT_FILE);
const shown = path.relative(root, file);
const check = args.includes('--check');

const next = latestSchema();
const old = fs.existsSync(file) ? readSnapshot(file) : null;
const diff = old ? compareSchemas(old, next) : { breaking: [], added: Object.keys(next.tables).map((t) => `table ${t}`), changed: [] };

if (diff.breaking.length > 0) {
  console.error(`The schema breaks what ${shown} records as shipped; the snapshot was not refreshed:`);
  for (const b of diff.breaking) console.error(`  - ${b}`);
  console.error('Undo that change and express it as an addition in a new migration (main/node/store/migrations/).');
  process.exit(1);
}
const differences = [...diff.added, ...diff.changed];
if (differences.length === 0) {
  console.log(`${shown} is current (schema ${next.version}, ${Object.keys(next.tables).length} tables).`);
  process.exit(0);
}
if (check) {
  console.error(`${shown} is behind the schema: ${differences.join('; ')}. Run \`npm run schema:snapshot\` and commit it.`);
  process.exit(1);
}
const text = compactJson(next);
const formatted = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
fs.writeFileSync(file, formatted);
console.log(`Wrote ${shown} (schema ${next.version}, ${Object.keys(next.tables).length} tables):`);
for (const x of differences) console.log(`  + ${x}`);
console.log('Commit it with the migration.');

/** JSON with one line per column or index (objects of plain values), so a diff shows one line per change. */
function compactJson(v: unknown, indent = ''): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const flat = (x: unknown) =>
    x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((y) => y === null || typeof y !== 'object'));
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.every(flat)) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + compactJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.every(([, x]) => flat(x))) return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ')} }`;
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${compactJson(x, inner)}`).join(',\n')}\n${indent}}`;
}

function readSnapshot(f: string): SchemaSnapshot {
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8')) as SchemaSnapshot;
  } catch (e) {
    console.error(`${path.relative(root, f)} is not valid JSON (${(e as Error).message}); restore it with \`git checkout\` and run again.`);
    process.exit(1);
  }
}
