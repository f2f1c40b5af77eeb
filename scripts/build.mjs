// One build step for everything: the renderer with Vite, main/headless/preload with esbuild.
// `--if-stale` skips the build when dist/ is newer than every source file.
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const sourceDirs = ['main', 'preload', 'renderer'];
const sourceFiles = ['package.json', 'vite.config.ts', 'scripts/build.mjs'];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), st.mtimeMs);
}

function isStale() {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  return [...sourceDirs, ...sourceFiles].some((p) => newestMtime(path.join(root, p)) > built);
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const started = Date.now();
fs.rmSync(dist, { recursive: true, force: true });

const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};
const entries = [
  { entryPoints: ['main/headless.ts'], outfile: 'dist/main/headless.js', format: 'esm' },
  { entryPoints: ['main/simulator-cli.ts'], outfile: 'dist/main/simulator.js', format: 'esm' },
  { entryPoints: ['main/app/main.ts'], outfile: 'dist/main/app.js', format: 'esm', external: ['electron'] },
  // Sandboxed preloads must be a single CommonJS file: bundle everything but electron.
  {
    entryPoints: ['preload/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    format: 'cjs',
    packages: 'bundle',
    external: ['electron'],
    minify: true,
  },
].filter((e) => fs.existsSync(path.join(root, e.entryPoints[0])));
await Promise.all(entries.map((e) => esbuild({ ...common, ...e, absWorkingDir: root })));

fs.writeFileSync(stamp, new Date().toISOString());
console.log(`built renderer + ${entries.length} bundles in ${((Date.now() - started) / 1000).toFixed(1)} s`);
