/**
 * What the tray shows, as pure functions of a small input: the icon answers "is everything
 * synced, can I close the laptop?". No electron import here, so all of it is unit-tested.
 * Fields the node cannot report yet (market grid, peers) are optional and, when absent, do not
 * count against freshness.
 */

export type TrayState = 'ok' | 'syncing' | 'error' | 'paused';

/** `null` = not paused; a number = paused until that epoch ms; 'indefinitely' = until resumed. */
export type PausedUntil = number | 'indefinitely' | null;

export interface TrayPeer {
  name?: string;
  /** Rows the peer has that we have not pulled yet (or vice versa), as the sync layer counts it. */
  lagRows: number;
  /** Rows per sync page; "at most one page behind" counts as fresh. */
  pageRows: number;
  state: 'ok' | 'syncing' | 'error' | 'offline';
}

export interface TrayInput {
  collectorMode?: 'live' | 'simulate' | 'off';
  /** Newest grid point stored, epoch ms. */
  newestGridTs?: number;
  /** The grid point that is due by now, epoch ms. */
  latestDueGridTs?: number;
  peers?: TrayPeer[];
  syncing: boolean;
  autoSyncPausedUntil: PausedUntil;
  lastError: string | null;
  lastSyncAt?: number;
  /** Live sum of the tracked coins' prices (the 27-sum). */
  liveSum?: number;
  coinCount?: number;
  senderEnabled?: boolean;
  /** Parts that still hold rows to hand on (the warehouse mirror): not safe to close until 0. */
  behind?: { name: string; rows: number }[];
}

export function isPaused(p: PausedUntil, now: number): boolean {
  return p === 'indefinitely' || (typeof p === 'number' && p > now);
}

/** Why the data is not fresh; empty = fresh. */
export function stalenessReasons(input: TrayInput): string[] {
  const reasons: string[] = [];
  if (input.collectorMode !== 'off' && input.latestDueGridTs !== undefined) {
    if (input.newestGridTs === undefined) reasons.push('no grid point stored yet');
    else if (input.newestGridTs < input.latestDueGridTs) reasons.push('the newest grid point is not the latest due one');
  }
  for (const p of input.peers ?? []) {
    if (p.lagRows > Math.max(p.pageRows, 0)) reasons.push(`${p.name ?? 'a peer'} is ${p.lagRows} rows behind`);
  }
  for (const b of input.behind ?? []) {
    if (b.rows > 0) reasons.push(`the ${b.name} is behind by ${b.rows} rows`);
  }
  return reasons;
}

/**
 * Error wins (something needs the user), then paused (auto-sync is off on purpose), then
 * syncing (work in progress or data not yet fresh: the loops are catching up), else ok.
 */
export function deriveTrayState(input: TrayInput, now: number): TrayState {
  if (input.lastError || (input.peers ?? []).some((p) => p.state === 'error')) return 'error';
  if (isPaused(input.autoSyncPausedUntil, now)) return 'paused';
  if (input.syncing || stalenessReasons(input).length > 0) return 'syncing';
  return 'ok';
}

export function formatDuration(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 1) return 'less than a minute';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

const STATE_TITLE: Record<TrayState, string> = {
  ok: 'up to date',
  syncing: 'syncing',
  error: 'needs attention',
  paused: 'auto-sync paused',
};

/** Multi-line tooltip: state, last sync, peer lag, live sum, pause, error. */
export function trayTooltip(input: TrayInput, now: number): string {
  const state = deriveTrayState(input, now);
  const lines = [`Coin Sync Node — ${STATE_TITLE[state]}`];
  lines.push(input.lastSyncAt ? `Last sync: ${formatDuration(now - input.lastSyncAt)} ago` : 'Last sync: not yet');
  const peers = input.peers ?? [];
  if (peers.length) {
    const worst = Math.max(...peers.map((p) => p.lagRows));
    lines.push(`Peers: ${peers.length}, largest lag ${worst} rows`);
  }
  if (input.liveSum !== undefined && Number.isFinite(input.liveSum)) {
    const label = input.coinCount ? `${input.coinCount}-sum` : 'Live sum';
    lines.push(`${label}: ${input.liveSum.toLocaleString('en-US', { maximumFractionDigits: 2 })}`);
  }
  const p = input.autoSyncPausedUntil;
  if (p === 'indefinitely') lines.push('Auto-sync paused until resumed');
  else if (isPaused(p, now) && typeof p === 'number') lines.push(`Auto-sync paused for ${formatDuration(p - now)} more`);
  if (state === 'syncing' && !input.syncing) {
    const why = stalenessReasons(input)[0];
    if (why) lines.push(`Catching up: ${why}`);
  }
  if (input.lastError) lines.push(`Error: ${input.lastError.slice(0, 120)}`);
  return lines.join('\n');
}

export type PauseKind = '30m' | '2h' | 'tomorrow' | 'indefinitely';

const UTC8_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Until when a pause choice lasts; "tomorrow" = the next 00:00 in UTC+8 (the market day). */
export function pauseUntil(kind: PauseKind, now: number): PausedUntil {
  switch (kind) {
    case '30m':
      return now + 30 * 60_000;
    case '2h':
      return now + 2 * 3_600_000;
    case 'tomorrow':
      return (Math.floor((now + UTC8_MS) / DAY_MS) + 1) * DAY_MS - UTC8_MS;
    case 'indefinitely':
      return 'indefinitely';
  }
}

/** A plain, serialisable subset of Electron's MenuItemConstructorOptions. */
export interface TrayMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  enabled?: boolean;
  checked?: boolean;
  toolTip?: string;
  click?: () => void;
  submenu?: TrayMenuItem[];
}

export interface TrayMenuView {
  state: TrayState;
  paused: boolean;
  senderEnabled?: boolean;
  /** Which node handlers exist; an item whose handler is missing is shown disabled. */
  available: { syncAll: boolean; syncAuto: boolean; senderUpdate: boolean };
}

export interface TrayActions {
  openWindow(): void;
  syncNow(): void;
  pause(kind: PauseKind): void;
  resume(): void;
  setSender(enabled: boolean): void;
  quit(): void;
}

const NOT_YET = 'Not available in this build yet';

export function buildTrayMenu(view: TrayMenuView, actions: TrayActions): TrayMenuItem[] {
  const { available } = view;
  const pauseItem = (id: PauseKind, label: string): TrayMenuItem => ({
    id: `pause-${id}`,
    label,
    enabled: available.syncAuto,
    click: () => actions.pause(id),
  });
  return [
    { id: 'status', label: `Status: ${STATE_TITLE[view.state]}`, enabled: false },
    { type: 'separator' },
    { id: 'open', label: 'Open Coin Sync Node', click: () => actions.openWindow() },
    {
      id: 'sync-now',
      label: 'Sync now',
      enabled: available.syncAll,
      ...(available.syncAll ? {} : { toolTip: NOT_YET }),
      click: () => actions.syncNow(),
    },
    view.paused
      ? { id: 'resume', label: 'Resume auto-sync', enabled: available.syncAuto, click: () => actions.resume() }
      : {
          id: 'pause',
          label: 'Pause auto-sync',
          type: 'submenu',
          enabled: available.syncAuto,
          submenu: [
            pauseItem('30m', 'For 30 minutes'),
            pauseItem('2h', 'For 2 hours'),
            pauseItem('tomorrow', 'Until tomorrow (00:00 UTC+8)'),
            pauseItem('indefinitely', 'Until I resume'),
          ],
        },
    {
      id: 'sender',
      label: 'Serve data to peers (sender)',
      type: 'checkbox',
      checked: view.senderEnabled ?? false,
      enabled: available.senderUpdate && view.senderEnabled !== undefined,
      click: () => actions.setSender(!(view.senderEnabled ?? false)),
    },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}

/** Finds an item by id in a template (tests and the main-process test hook click through this). */
export function findMenuItem(items: TrayMenuItem[], id: string): TrayMenuItem | undefined {
  for (const it of items) {
    if (it.id === id) return it;
    const sub = it.submenu && findMenuItem(it.submenu, id);
    if (sub) return sub;
  }
  return undefined;
}
