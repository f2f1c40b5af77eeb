/**
 * `npm run bench`: runs every tests/bench/*.bench.ts (or those named on the command line), prints
 * one table of figures with their same-run baselines, and writes bench-results/latest.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench, BenchResult } from './types.js';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const fmt = (n: number | undefined) =>
  n === undefined ? '' : Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(4)).toString();

const results: BenchResult[] = [];
let failed = false;
for (const f of files) {
  process.stdout.write(`running ${f} ...\n`);
  try {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default: Bench };
    results.push(await mod.default());
  } catch (e) {
    failed = true;
    console.error(`${f} failed: ${(e as Error).stack ?? String(e)}`);
  }
}

const rows = results.flatMap((r) =>
  r.figures.map((x) => [
    r.name,
    x.metric,
    `${fmt(x.value)} ${x.unit}`,
    x.baseline === undefined ? '' : `${fmt(x.baseline)} ${x.unit}`,
    x.ratio === undefined ? '' : `${x.ratio.toFixed(2)}×`,
    x.goal ?? '',
    x.pass === undefined ? '' : x.pass ? 'yes' : 'NO',
  ]),
);
const head = ['bench', 'metric', 'value', 'baseline (same run)', 'ratio', 'goal', 'met'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const r of rows) console.log(line(r));
for (const r of results) for (const n of r.notes ?? []) console.log(`note (${r.name}): ${n}`);

const out = path.join(dir, '../../bench-results');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
if (failed) process.exit(1);
