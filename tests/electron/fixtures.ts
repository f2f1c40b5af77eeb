import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectElectronBinary, projectRoot } from '../../scripts/electron-binary.mjs';

export const electronBinary = detectElectronBinary();
export const electronBinaryPresent = electronBinary.present;
export const SKIP_REASON =
  'Electron binary not installed on this machine (cannot be downloaded here); the shell is type-checked and its logic unit-tested instead';
export const APP_ENTRY = path.join(projectRoot, 'dist/main/app.js');

export interface LaunchedApp {
  app: ElectronApplication;
  window: Page;
  dataDir: string;
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'csn-electron-e2e-'));
}

/** Starts the built app on its own data folder with the main-process test hooks switched on. */
export async function launchApp(dataDir = tempDataDir(), extraArgs: string[] = []): Promise<LaunchedApp> {
  if (!electronBinary.present) throw new Error(electronBinary.reason);
  if (!fs.existsSync(APP_ENTRY)) throw new Error('dist/main/app.js is missing: run `npm run build` first');
  const app = await _electron.launch({
    executablePath: electronBinary.path,
    args: [APP_ENTRY, '--data-dir', dataDir, ...extraArgs],
    env: { ...process.env, COIN_SYNC_TEST_HOOKS: '1', ELECTRON_ENABLE_LOGGING: '1' },
  });
  const window = await app.firstWindow();
  await window.waitForLoadState('domcontentloaded');
  // The hooks are installed once the node has started.
  await waitFor(app, () => (globalThis as { coinSyncShell?: unknown }).coinSyncShell !== undefined);
  return { app, window, dataDir };
}

/** Polls a predicate in the main process. */
export async function waitFor(app: ElectronApplication, fn: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await app.evaluate(fn)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${fn.toString()}`);
}

/** The main-process test hooks of main/app/main.ts, as seen from evaluate(). */
export interface ShellHooks {
  trayState(): string | undefined;
  trayMenu(): Array<{ id?: string; label?: string; enabled?: boolean; checked?: boolean; submenu?: unknown[] }>;
  clickTray(id: string): boolean;
  windowVisible(): boolean;
  closeWindow(): void;
  status(): { nodeId: string; uptimeMs: number; maxSeq: number } | undefined;
  dispatch(name: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
}
export const hooks = (): ShellHooks => (globalThis as unknown as { coinSyncShell: ShellHooks }).coinSyncShell;
