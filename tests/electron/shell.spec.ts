import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  APP_ENTRY,
  electronBinary,
  electronBinaryPresent,
  launchApp,
  SKIP_REASON,
  tempDataDir,
  waitFor,
  type ShellHooks,
} from './fixtures.js';

test.skip(!electronBinaryPresent, SKIP_REASON);

type G = { coinSyncShell: ShellHooks };

test('launch: the window shows the renderer over app:// with exactly the contract API', async () => {
  const { app, window, dataDir } = await launchApp();
  try {
    expect(window.url()).toBe('app://renderer/index.html');
    const exposed = await window.evaluate(() => {
      const w = window as unknown as { coinSync: Record<string, unknown>; require?: unknown; process?: unknown };
      return {
        keys: Object.keys(w.coinSync).sort(),
        transport: w.coinSync.transport,
        require: typeof w.require,
        process: typeof w.process,
      };
    });
    expect(exposed).toEqual({ keys: ['call', 'on', 'transport'], transport: 'ipc', require: 'undefined', process: 'undefined' });
    const status = await window.evaluate(() =>
      (
        window as unknown as { coinSync: { call(n: string, i: unknown): Promise<{ ok: boolean; value: { dataDir: string } }> } }
      ).coinSync.call('status.get', {}),
    );
    expect(status.ok).toBe(true);
    expect(status.value.dataDir).toBe(dataDir);
    const bad = await window.evaluate(() =>
      (window as unknown as { coinSync: { call(n: string, i: unknown): Promise<unknown> } }).coinSync.call('logs.tail', { limit: 'x' }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    await window.screenshot({ path: test.info().outputPath('window.png') });
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('tray menu actions go through the main process', async () => {
  const { app, dataDir } = await launchApp();
  try {
    const menu = await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.trayMenu());
    expect(menu.map((i) => i.id).filter(Boolean)).toEqual(expect.arrayContaining(['status', 'open', 'sync-now', 'sender', 'quit']));
    const before = menu.find((i) => i.id === 'sender')!.checked;
    expect(await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.clickTray('sender'))).toBe(true);
    await waitFor(app, () => {
      const m = (globalThis as unknown as G).coinSyncShell.trayMenu();
      return m.find((i) => i.id === 'sender')?.checked !== undefined;
    });
    const after = await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.trayMenu().find((i) => i.id === 'sender')!.checked);
    expect(after).toBe(!before);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('closing the window hides it to the tray and the node keeps running', async () => {
  const { app, dataDir } = await launchApp();
  try {
    await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.closeWindow());
    await waitFor(app, () => !(globalThis as unknown as G).coinSyncShell.windowVisible());
    const t0 = await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.status()!.uptimeMs);
    await new Promise((r) => setTimeout(r, 2_500));
    const res = await app.evaluate(() =>
      (globalThis as unknown as G).coinSyncShell.dispatch('settings.update', { nodeName: 'Hidden but alive' }),
    );
    expect(res.ok).toBe(true);
    expect(await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.status()!.uptimeMs)).toBeGreaterThan(t0 + 2_000);
    expect(await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.clickTray('open'))).toBe(true);
    await waitFor(app, () => (globalThis as unknown as G).coinSyncShell.windowVisible());
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a second launch on the same data folder exits and focuses the first window', async () => {
  const { app, dataDir } = await launchApp();
  try {
    await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.closeWindow());
    await waitFor(app, () => !(globalThis as unknown as G).coinSyncShell.windowVisible());
    if (!electronBinary.present) throw new Error(electronBinary.reason);
    const second = spawn(electronBinary.path, [APP_ENTRY, '--data-dir', dataDir], { stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
    expect(code).toBe(0);
    await waitFor(app, () => (globalThis as unknown as G).coinSyncShell.windowVisible());
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('quit from the tray stops the node and leaves a clean database', async () => {
  const dataDir = tempDataDir();
  const { app } = await launchApp(dataDir);
  const closed = new Promise<void>((r) => app.on('close', () => r()));
  await app.evaluate(() => (globalThis as unknown as G).coinSyncShell.clickTray('quit'));
  await closed;
  // A clean close checkpoints and removes the WAL; a killed process would leave it behind.
  const wal = path.join(dataDir, 'coin-sync-node.sqlite-wal');
  expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
  const db = new Database(path.join(dataDir, 'coin-sync-node.sqlite'), { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
