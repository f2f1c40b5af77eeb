import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Coin Sync Node';

/**
 * The platform's app-data folder, the same one Electron's `app.getPath('userData')` gives for our
 * product name, so the desktop app and headless mode share one database by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), PRODUCT_NAME);
}
