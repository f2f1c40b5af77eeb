// Finds the Electron binary WITHOUT triggering its download: requiring the `electron` package
// would run its install check, so read node_modules/electron/path.txt (written by its postinstall
// after a successful download) and check that the file under dist/ really exists.
// CLI: `node scripts/electron-binary.mjs` prints {"present":..,"path":..,"reason":..}; exit 0/1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const defaultExecutable = (platform) =>
  platform === 'win32' ? 'electron.exe' : platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';

/**
 * @param {{ root?: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform }} [opts]
 * @returns {{ present: true, path: string } | { present: false, reason: string }}
 */
export function detectElectronBinary(opts = {}) {
  const root = opts.root ?? projectRoot;
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const pkgDir = path.join(root, 'node_modules', 'electron');
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) {
    return { present: false, reason: `the electron package is not installed (${pkgDir} is missing)` };
  }
  const pathTxt = path.join(pkgDir, 'path.txt');
  let rel;
  try {
    rel = fs.readFileSync(pathTxt, 'utf8').trim();
  } catch {
    rel = undefined;
  }
  // Same override the electron package honours: a binary unpacked somewhere else.
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const bin = path.join(override, rel || defaultExecutable(platform));
    return isExecutableFile(bin)
      ? { present: true, path: bin }
      : { present: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${bin} is not an executable file` };
  }
  if (!rel) return { present: false, reason: `${pathTxt} is missing (the Electron binary was never downloaded)` };
  const distDir = path.join(pkgDir, 'dist');
  const bin = path.resolve(distDir, rel);
  if (!bin.startsWith(distDir + path.sep)) return { present: false, reason: `${pathTxt} points outside ${distDir}` };
  if (!isExecutableFile(bin)) return { present: false, reason: `${bin} (named in path.txt) does not exist` };
  return { present: true, path: bin };
}

function isExecutableFile(p) {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = detectElectronBinary();
  console.log(JSON.stringify(found));
  process.exit(found.present ? 0 : 1);
}
