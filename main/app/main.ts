/**
 * The Electron shell: the app lifecycle around createNode, as an ordered list of steps. Every
 * decision worth testing lives in a pure module beside this one (tray-state, window-state,
 * security-policy, notifier, shell-controller, startup-error); this file only wires them to Electron.
 */
import { app, type BrowserWindow, dialog, ipcMain, Notification, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT_CHANNEL } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../node/create-node.js';
import { PRODUCT_NAME } from '../node/paths.js';
import { dataDirFromArgs, electronSqliteBinding, readPackageVersion } from './app-config.js';
import { createEventForwarder, type EventForwarder } from './event-forwarder.js';
import { registerIpc } from './ipc.js';
import { createNotifier } from './notifier.js';
import { pauseStateFile } from './pause-state.js';
import { installSecurity, registerRendererScheme } from './security.js';
import { createShellController, type ShellController } from './shell-controller.js';
import { describeStartupError } from './startup-error.js';
import { createShellTray, type ShellTray } from './tray.js';
import { liveSumTrayFacts, marketTrayFacts, trayInputFrom } from './tray-input.js';
import type { TrayInput } from './tray-state.js';
import { createMainWindow, showWindow } from './window.js';
import { windowStateFile } from './window-state.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main
const projectRoot = path.resolve(here, '../..');
const resourcesDir = () => (app.isPackaged ? process.resourcesPath : path.join(projectRoot, 'resources'));

interface Shell {
  node?: SyncNode;
  window?: BrowserWindow;
  tray?: ShellTray;
  controller?: ShellController;
  forwarder?: EventForwarder;
  lastStatus?: ReturnType<SyncNode['status']>;
  quitting: 'no' | 'stopping' | 'done';
}
const shell: Shell = { quitting: 'no' };

// 1. Data folder: userData is the node's data dir (the same folder headless mode uses by default).
//    Set explicitly so it is right however Electron was started (`electron dist/main/app.js` too).
function configureDataDir(): string {
  app.setName(PRODUCT_NAME);
  const dir = dataDirFromArgs(process.argv) ?? path.join(app.getPath('appData'), PRODUCT_NAME);
  app.setPath('userData', dir);
  return dir;
}

// 2. Single instance: the lock is per userData, so a second launch on the same data focuses us.
function claimSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => openWindow());
  return true;
}

// 3. Crashes in main are logged, shown once a minute at most, and turn the tray to "error".
let lastCrashDialog = 0;
function installCrashHandlers(): void {
  const onCrash = (kind: string) => (err: unknown) => {
    const msg = (err as Error)?.message ?? String(err);
    if (shell.node) shell.node.log.scope('shell').error(`${kind}:`, err);
    else console.error(`coin-sync-node ${kind}:`, err);
    shell.controller?.setError(msg);
    if (app.isReady() && Date.now() - lastCrashDialog > 60_000) {
      lastCrashDialog = Date.now();
      void dialog.showMessageBox({
        type: 'error',
        title: 'Coin Sync Node',
        message: 'Something went wrong inside the node',
        detail: `${msg}\n\nIt was written to the log (Logs screen). The node keeps running; the tray shows the error until the next successful action.`,
      });
    }
  };
  process.on('uncaughtException', onCrash('uncaught exception'));
  process.on('unhandledRejection', onCrash('unhandled rejection'));
}

// 4. The node: open the store first; a bad data folder is a dialog and a clean exit, not a blank window.
function openNode(dataDir: string): SyncNode | undefined {
  try {
    return createNode({
      dataDir,
      mode: 'desktop',
      version: app.isPackaged ? app.getVersion() : readPackageVersion([path.join(projectRoot, 'package.json')]),
      logToConsole: !app.isPackaged,
      sqliteNativeBinding: electronSqliteBinding({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, projectRoot }),
    });
  } catch (e) {
    const { title, message } = describeStartupError(e, dataDir);
    console.error(`coin-sync-node: ${message}`);
    dialog.showErrorBox(title, message);
    return undefined;
  }
}

function openWindow(): void {
  if (shell.window && !shell.window.isDestroyed()) showWindow(shell.window);
  else if (shell.node) createWindow(shell.node, true);
}

// 5. The window: renderer over app://, preload bundle, state remembered, close hides to the tray.
function createWindow(node: SyncNode, show: boolean): void {
  const win = createMainWindow({
    preloadPath: path.join(here, '../preload/preload.cjs'),
    stateFile: windowStateFile(app.getPath('userData')),
    iconPath: path.join(resourcesDir(), 'icon.png'),
    hideOnClose: () => shell.quitting === 'no' && shell.tray !== undefined && node.settings.get().closeToTray,
    onError: (m) => node.log.scope('shell').warn(m),
    showWhenReady: show,
  });
  win.on('closed', () => {
    if (shell.window === win) shell.window = undefined;
  });
  shell.window = win;
}

// 6. Every bus event goes to the window (log bursts rate-limited), and matching ones notify.
function forwardEvents(node: SyncNode): void {
  shell.forwarder = createEventForwarder({
    send(envelope) {
      const wc = shell.window && !shell.window.isDestroyed() ? shell.window.webContents : undefined;
      if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, envelope);
    },
  });
  const notify = createNotifier({
    enabled: () => node.settings.get().notifications && Notification.isSupported(),
    // The UI's language; "system" follows the OS as the renderer does.
    locale: () => {
      const l = node.settings.get().language;
      return l === 'zh-CN' || (l === 'system' && app.getLocale().toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
    },
    show(n) {
      const toast = new Notification({ title: n.title, body: n.body, icon: path.join(resourcesDir(), 'icon.png') });
      toast.on('click', () => openWindow());
      toast.show();
    },
  });
  node.bus.onAny((event, payload) => {
    shell.forwarder?.forward(event, payload);
    notify(event, payload);
  });
}

// 7. Tray: state from node status + shell facts; refreshed on every status tick and action.
function createTray(node: SyncNode): void {
  const controller = createShellController({
    call: node.call,
    log: node.log.scope('tray'),
    pauseFile: pauseStateFile(app.getPath('userData')),
  });
  shell.controller = controller;
  const tray = createShellTray({
    iconDir: path.join(resourcesDir(), 'tray'),
    actions: controller.actions({ openWindow, quit: () => app.quit() }),
    available: () => controller.available(),
    onClick: openWindow,
  });
  shell.tray = tray;
  // What the domains report, kept between their events (market every few s, sum on each batch).
  let market: Partial<TrayInput> = {};
  let sum: Partial<TrayInput> = {};
  const refresh = () => tray.update(trayInputFrom(shell.lastStatus, controller.facts(), { ...market, ...sum }));
  controller.onChange(refresh);
  node.bus.on('node.status', (s) => {
    shell.lastStatus = s;
    refresh();
  });
  node.bus.on('market.status', (s) => {
    market = marketTrayFacts(s);
    refresh();
  });
  // market.sum comes with every batch of ticks; the tooltip only needs it on the next refresh.
  node.bus.on('market.sum', (s) => void (sum = liveSumTrayFacts(s)));
  node.bus.on('sender.stats', (s) => controller.setSenderEnabled(s.enabled));
  refresh();
}

// 8. Start at login follows the setting (Windows and macOS; Linux desktops have no such API).
function syncLoginItem(node: SyncNode): void {
  const apply = (open: boolean) => {
    if (process.platform === 'linux') return;
    try {
      app.setLoginItemSettings({ openAtLogin: open, args: ['--hidden'] });
    } catch (e) {
      node.log.scope('shell').warn('could not change the login item:', e);
    }
  };
  apply(node.settings.get().startAtLogin);
  node.settings.onChange((next, changed) => {
    if (changed.includes('startAtLogin')) apply(next.startAtLogin);
  });
}

// 9. Quit: stop the node (loops, then the database) before the process ends; 5 s at most.
function installQuit(): void {
  app.on('before-quit', (event) => {
    const node = shell.node;
    if (!node || shell.quitting === 'done') return;
    event.preventDefault();
    if (shell.quitting === 'stopping') return;
    shell.quitting = 'stopping';
    shell.forwarder?.close();
    const log = node.log.scope('shell');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000));
    void Promise.race([node.stop().then(() => 'stopped' as const), timeout])
      .then((how) => {
        if (how === 'timeout') {
          log.error('stopping the node took over 5 s; closing the database and quitting');
          node.store.close();
        }
      })
      .catch((e: unknown) => console.error('coin-sync-node: stopping failed:', e))
      .finally(() => {
        shell.tray?.destroy();
        shell.quitting = 'done';
        app.quit();
      });
  });
  // With close-to-tray off the last window closing quits; with it on, windows only hide.
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => openWindow());
}

async function onReady(dataDir: string): Promise<void> {
  const node = openNode(dataDir);
  if (!node) {
    app.exit(1);
    return;
  }
  shell.node = node;
  installSecurity({ session: session.defaultSession, rendererDir: path.join(here, '../renderer'), log: node.log.scope('security') });
  registerIpc(ipcMain, { dispatch: node.dispatch, log: node.log.scope('ipc') });
  createTray(node);
  forwardEvents(node);
  createWindow(node, !process.argv.includes('--hidden'));
  syncLoginItem(node);
  await node.start();
  await shell.controller?.applyStoredPause();
  await shell.controller?.refreshSender();
  if (process.env.COIN_SYNC_TEST_HOOKS === '1') exposeTestHooks();
}

/** For the Playwright `_electron` specs: drive the tray and read shell state from the main process. */
function exposeTestHooks(): void {
  (globalThis as { coinSyncShell?: unknown }).coinSyncShell = {
    trayState: () => shell.tray?.state,
    trayMenu: () => JSON.parse(JSON.stringify(shell.tray?.template() ?? [])) as unknown,
    clickTray: (id: string) => shell.tray?.click(id) ?? false,
    windowVisible: () => shell.window?.isVisible() ?? false,
    closeWindow: () => shell.window?.close(),
    status: () => shell.node?.status(),
    dispatch: (name: string, input: unknown) => shell.node?.dispatch(name, input),
  };
}

function main(): void {
  const dataDir = configureDataDir();
  if (!claimSingleInstance()) {
    app.quit();
    return;
  }
  registerRendererScheme();
  installCrashHandlers();
  installQuit();
  app
    .whenReady()
    .then(
      () => onReady(dataDir),
      (e: unknown) => console.error('coin-sync-node: Electron failed to start:', e),
    )
    .catch((e: unknown) => {
      const { title, message } = describeStartupError(e, dataDir);
      dialog.showErrorBox(title, message);
      app.exit(1);
    });
}

main();
