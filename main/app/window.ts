import { BrowserWindow, screen } from 'electron';
import { secureWebPreferences, RENDERER_INDEX_URL } from './security-policy.js';
import { loadWindowState, placeWindow, saveWindowState, MIN_WINDOW } from './window-state.js';

export interface MainWindowOptions {
  preloadPath: string;
  stateFile: string;
  iconPath?: string;
  /** Close hides to the tray instead (checked on every close, so the setting applies live). */
  hideOnClose(): boolean;
  /** False when started at login with --hidden: the window loads but stays in the tray. */
  showWhenReady: boolean;
  onError(message: string): void;
}

/** The one window: placed where it was, secure preferences, state saved on every change. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const displays = screen.getAllDisplays();
  const primaryId = screen.getPrimaryDisplay().id;
  const areas = [...displays].sort((a, b) => Number(b.id === primaryId) - Number(a.id === primaryId)).map((d) => d.workArea);
  const placement = placeWindow(loadWindowState(opts.stateFile), areas);

  const win = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: 'Coin Sync Node',
    icon: opts.iconPath,
    backgroundColor: '#0d1117',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  if (placement.maximized) win.maximize();

  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    try {
      saveWindowState(opts.stateFile, { ...b, maximized: win.isMaximized() });
    } catch (e) {
      opts.onError(`could not save the window state: ${(e as Error).message}`);
    }
  };
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 500);
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev as 'resize', saveSoon);

  win.on('close', (event) => {
    clearTimeout(saveTimer);
    save();
    if (opts.hideOnClose()) {
      event.preventDefault();
      win.hide();
    }
  });
  if (opts.showWhenReady) win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_e, details) => {
    opts.onError(`the window's renderer stopped (${details.reason}); reloading it`);
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) void win.loadURL(RENDERER_INDEX_URL);
  });
  win.webContents.on('did-fail-load', (_e, code, desc, url) => opts.onError(`could not load ${url}: ${desc} (${code})`));
  void win.loadURL(RENDERER_INDEX_URL);
  return win;
}

export function showWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
