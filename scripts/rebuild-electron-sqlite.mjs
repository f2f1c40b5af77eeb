// Builds better-sqlite3 for the installed Electron's ABI into build/electron-native/, leaving
// node_modules/better-sqlite3 (the Node build that `npm test` uses) untouched: the sources are
// copied to a scratch folder and compiled there with node-gyp against Electron's headers.
// The desktop app loads the result through better-sqlite3's `nativeBinding` option.
// Needs the Electron headers (downloaded from electronjs.org once) and a C++ toolchain.
// Usage: node scripts/rebuild-electron-sqlite.mjs [--if-missing]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from './electron-binary.mjs';

const require = createRequire(import.meta.url);
const outDir = path.join(projectRoot, 'build', 'electron-native');
const outFile = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'electron-version.txt');

function fail(sentence) {
  console.error(`rebuild-electron-sqlite: ${sentence}`);
  process.exit(1);
}

const electronVersion = JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules/electron/package.json'), 'utf8')).version;
const builtFor = fs.existsSync(outFile) && fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
if (process.argv.includes('--if-missing') && builtFor === electronVersion) {
  console.log(`rebuild-electron-sqlite: ${path.relative(projectRoot, outFile)} is already built for Electron ${electronVersion}.`);
  process.exit(0);
}

const sqliteDir = path.join(projectRoot, 'node_modules', 'better-sqlite3');
if (!fs.existsSync(path.join(sqliteDir, 'binding.gyp'))) fail(`${sqliteDir} has no binding.gyp; reinstall dependencies with npm ci.`);
let nodeGyp;
try {
  nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  fail('node-gyp is not installed under node_modules (it comes with npm and electron-builder); install it and run again.');
}

const scratch = path.join(projectRoot, 'build', 'electron-native', 'src');
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });
for (const entry of ['binding.gyp', 'src', 'deps', 'package.json']) {
  fs.cpSync(path.join(sqliteDir, entry), path.join(scratch, entry), { recursive: true });
}

console.log(
  `rebuild-electron-sqlite: building better-sqlite3 for Electron ${electronVersion} in ${path.relative(projectRoot, scratch)} ...`,
);
const res = spawnSync(
  process.execPath,
  [
    nodeGyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
    `--devdir=${path.join(projectRoot, 'build', 'electron-gyp')}`,
  ],
  { cwd: scratch, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' },
);
const stderr = res.stderr ?? '';
process.stderr.write(stderr);
if (res.status !== 0) {
  fs.rmSync(scratch, { recursive: true, force: true });
  if (/network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|unable to download|proxy/i.test(stderr)) {
    fail(
      `the Electron ${electronVersion} headers could not be downloaded from electronjs.org (no network?), so better-sqlite3 was not built for Electron; ` +
        'run this again with internet access (until then the desktop app cannot open its database; headless mode and the tests are unaffected).',
    );
  }
  fail(`node-gyp failed (exit ${res.status ?? res.signal}); see its output above (a C++ toolchain and Python 3 are needed).`);
}
const built = path.join(scratch, 'build', 'Release', 'better_sqlite3.node');
if (!fs.existsSync(built)) fail(`node-gyp finished but ${built} is missing.`);
fs.copyFileSync(built, outFile);
fs.writeFileSync(stampFile, `${electronVersion}\n`);
fs.rmSync(scratch, { recursive: true, force: true });
console.log(`rebuild-electron-sqlite: wrote ${path.relative(projectRoot, outFile)} for Electron ${electronVersion}.`);
