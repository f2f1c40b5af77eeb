import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import path from 'node:path';
import {
  buildTrayMenu,
  deriveTrayState,
  findMenuItem,
  isPaused,
  trayTooltip,
  type TrayActions,
  type TrayInput,
  type TrayMenuItem,
  type TrayMenuView,
  type TrayState,
} from './tray-state.js';

export interface ShellTray {
  update(input: TrayInput): void;
  readonly state: TrayState;
  /** The current menu as plain data (the Playwright hook clicks through it). */
  template(): TrayMenuItem[];
  click(id: string): boolean;
  destroy(): void;
}

const toElectron = (items: TrayMenuItem[]): MenuItemConstructorOptions[] =>
  items.map((it) => ({
    ...(it.id !== undefined && { id: it.id }),
    ...(it.label !== undefined && { label: it.label }),
    ...(it.type !== undefined && { type: it.type }),
    ...(it.enabled !== undefined && { enabled: it.enabled }),
    ...(it.checked !== undefined && { checked: it.checked }),
    ...(it.toolTip !== undefined && { toolTip: it.toolTip }),
    ...(it.click && { click: it.click }),
    ...(it.submenu && { submenu: toElectron(it.submenu) }),
  }));

/**
 * The tray icon: image per state from resources/tray, tooltip, and a context menu that is always
 * attached with setContextMenu (Linux AppIndicator ignores click events). Menu and image are only
 * rebuilt when what they show changes, so a status tick every 2 s does not make the menu flicker.
 */
export function createShellTray(opts: {
  iconDir: string;
  actions: TrayActions;
  available: () => TrayMenuView['available'];
  onClick: () => void;
  now?: () => number;
}): ShellTray {
  const now = opts.now ?? Date.now;
  const icons = new Map<TrayState, NativeImage>();
  const iconFor = (s: TrayState) => {
    let img = icons.get(s);
    if (!img) {
      img = nativeImage.createFromPath(path.join(opts.iconDir, `${s}.png`));
      icons.set(s, img);
    }
    return img;
  };
  let state: TrayState = 'syncing';
  const tray = new Tray(iconFor(state));
  tray.setToolTip('Coin Sync Node — starting');
  // Windows and macOS deliver clicks; on Linux the menu below is the only way in.
  tray.on('click', () => opts.onClick());

  let template: TrayMenuItem[] = [];
  let menuKey = '';
  let tooltip = '';

  const update = (input: TrayInput) => {
    const t = now();
    const next = deriveTrayState(input, t);
    if (next !== state) {
      state = next;
      tray.setImage(iconFor(state));
    }
    const tip = trayTooltip(input, t);
    if (tip !== tooltip) {
      tooltip = tip;
      tray.setToolTip(tip);
    }
    const view: TrayMenuView = {
      state,
      paused: isPaused(input.autoSyncPausedUntil, t),
      senderEnabled: input.senderEnabled,
      available: opts.available(),
    };
    const key = JSON.stringify(view);
    if (key !== menuKey) {
      menuKey = key;
      template = buildTrayMenu(view, opts.actions);
      tray.setContextMenu(Menu.buildFromTemplate(toElectron(template)));
    }
  };

  return {
    update,
    get state() {
      return state;
    },
    template: () => template,
    click(id) {
      const item = findMenuItem(template, id);
      if (!item?.click || item.enabled === false) return false;
      item.click();
      return true;
    },
    destroy: () => tray.destroy(),
  };
}
