import fs from 'node:fs';
import path from 'node:path';

/**
 * Pure pieces of the app's startup configuration: where the data lives, which better-sqlite3
 * binary to load, and the app version when Electron is started on a bare file.
 */

/** `--data-dir DIR` / `--data-dir=DIR` on the command line, or COIN_SYNC_DATA_DIR; else undefined. */
export function dataDirFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir' && argv[i + 1] && !argv[i + 1]!.startsWith('--')) return path.resolve(argv[i + 1]!);
    if (a.startsWith('--data-dir=') && a.length > '--data-dir='.length) return path.resolve(a.slice('--data-dir='.length));
  }
  return env.COIN_SYNC_DATA_DIR ? path.resolve(env.COIN_SYNC_DATA_DIR) : undefined;
}

/** Where scripts/rebuild-electron-sqlite.mjs puts the Electron-ABI build (relative to the project). */
export const ELECTRON_NATIVE_REL = path.join('build', 'electron-native', 'better_sqlite3.node');

/**
 * The better-sqlite3 binary for Electron's ABI, when one exists: packaged apps carry it in
 * resources/native (electron-builder.yml extraResources); a dev checkout has it in
 * build/electron-native. Undefined = let better-sqlite3 load its default (the Node build).
 */
export function electronSqliteBinding(opts: {
  isPackaged: boolean;
  resourcesPath: string;
  projectRoot: string;
  exists?: (p: string) => boolean;
}): string | undefined {
  const exists = opts.exists ?? fs.existsSync;
  const candidate = opts.isPackaged
    ? path.join(opts.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(opts.projectRoot, ELECTRON_NATIVE_REL);
  return exists(candidate) ? candidate : undefined;
}

export function readPackageVersion(candidates: string[]): string {
  for (const p of candidates) {
    try {
      const v = (JSON.parse(fs.readFileSync(p, 'utf8')) as { version?: unknown }).version;
      if (typeof v === 'string') return v;
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
}
