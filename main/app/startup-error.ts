import { DataDirError } from '../node/store/db.js';
import { FutureDatabaseError } from '../node/store/migrations/index.js';

export interface StartupErrorText {
  title: string;
  message: string;
}

/**
 * The dialog text for a node that cannot start: what happened, the path, and what to do.
 * The shell shows it with dialog.showErrorBox and quits, instead of opening a blank window.
 */
export function describeStartupError(err: unknown, dataDir: string): StartupErrorText {
  const msg = (err as Error)?.message ?? String(err);
  if (err instanceof DataDirError || (err as Error)?.name === 'DataDirError') {
    return { title: 'Coin Sync Node cannot use its data folder', message: `${msg}\n\nData folder: ${dataDir}` };
  }
  if (err instanceof FutureDatabaseError || (err as Error)?.name === 'FutureDatabaseError') {
    return { title: 'The database is from a newer version', message: `${msg}\n\nData folder: ${dataDir}` };
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|better_sqlite3\.node/.test(msg)) {
    return {
      title: 'The SQLite module is not built for this Electron',
      message:
        'better-sqlite3 is compiled for another runtime than this Electron. Run `npm run rebuild:electron` ' +
        `(it builds build/electron-native/better_sqlite3.node and leaves the Node build alone), then start again.\n\n${msg}`,
    };
  }
  return {
    title: 'Coin Sync Node could not start',
    message: `${msg}\n\nData folder: ${dataDir}\nThe log file is in the logs folder there. Try again, or start headless with \`npm run headless -- --data-dir <another folder>\`.`,
  };
}
