// `npm test`: every test, in order — build, type-checks, lint and format, unit + integration (vitest), the browser
// E2E in real Chromium, then the Electron specs (which skip, saying why, without an Electron binary).
// Ends with one line "N passed, N failed, N skipped" over all runners.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { typecheckProjects } from './typecheck.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'test-results');
fs.mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0, flaky: 0 };
let ok = true;

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    ok = false;
    console.error(`--- ${title} failed (exit ${r.status ?? r.signal})`);
  }
  return r.status === 0;
}

function ensureChromium() {
  if (fs.existsSync('/usr/bin/chromium')) return true;
  const root = process.getuid?.() === 0;
  if (root && fs.existsSync('/usr/bin/apt-get')) {
    console.log("Chromium is missing; installing Debian's chromium for the browser tests (apt-get).");
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status === 0) return true;
  }
  console.error(
    'The browser tests need Chromium at /usr/bin/chromium: install it with `apt-get install -y chromium` (as root), then run `npm test` again.',
  );
  return false;
}

const addVitest = (file) => {
  if (!fs.existsSync(file)) return;
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += j.numPassedTests ?? 0;
  totals.failed += j.numFailedTests ?? 0;
  totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
};
const addPlaywright = (file) => {
  if (!fs.existsSync(file)) return;
  const s = JSON.parse(fs.readFileSync(file, 'utf8')).stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.flaky += s.flaky ?? 0;
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
};

const haveChromium = ensureChromium();
if (!run('build', process.execPath, ['scripts/build.mjs'])) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
for (const [what, project] of typecheckProjects) run(`type-check: ${what}`, bin('tsc'), ['-p', project, '--noEmit']);
run('lint (ESLint: rules and import zones)', bin('eslint'), ['.', '--max-warnings=0']);
run('format (Prettier)', bin('prettier'), ['--check', '.', '--log-level=warn']);

// Unit tests run in parallel; integration tests start real nodes, servers and child processes and
// measure timings (stop within 5 s, fallback within 10 s), so they run one file at a time rather
// than starve each other of this machine's two cores.
for (const [title, dir, extra] of [
  ['unit', 'tests/unit', []],
  ['integration', 'tests/integration', ['--no-file-parallelism']],
]) {
  const json = path.join(out, `vitest-${title}.json`);
  fs.rmSync(json, { force: true });
  run(title, bin('vitest'), ['run', dir, ...extra, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
  addVitest(json);
}

for (const [title, config, json] of [
  ['browser E2E (Chromium)', 'playwright.config.ts', 'e2e.json'],
  ['Electron E2E', 'playwright.electron.config.ts', 'electron.json'],
]) {
  if (!fs.existsSync(path.join(root, config))) continue;
  if (config === 'playwright.config.ts' && !haveChromium) {
    ok = false;
    totals.failed += 1;
    continue;
  }
  const file = path.join(out, json);
  fs.rmSync(file, { force: true });
  run(title, bin('playwright'), ['test', '-c', config, '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  addPlaywright(file);
}

if (!ok && totals.failed === 0) totals.failed = 1; // a failed build/type-check step counts as a failure
if (totals.flaky > 0) console.log(`\n${totals.flaky} E2E test(s) passed only on their retry (flaky): see the list above.`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);
