import { describe, expect, it } from 'vitest';
import { latestDueGridTs, liveSumTrayFacts, marketTrayFacts, trayInputFrom, GRID_MS } from '../../main/app/tray-input.js';
import {
  buildTrayMenu,
  deriveTrayState,
  findMenuItem,
  pauseUntil,
  stalenessReasons,
  trayTooltip,
  type TrayActions,
  type TrayInput,
  type TrayMenuItem,
} from '../../main/app/tray-state.js';

const NOW = Date.UTC(2025, 10, 20, 3, 10, 0); // 11:10 UTC+8
const GRID = Date.UTC(2025, 10, 20, 3, 0, 0); // the 11:00 UTC+8 grid point
const base: TrayInput = { syncing: false, autoSyncPausedUntil: null, lastError: null };
const fresh: TrayInput = {
  ...base,
  collectorMode: 'live',
  newestGridTs: GRID,
  latestDueGridTs: GRID,
  peers: [{ name: 'laptop', lagRows: 500, pageRows: 500, state: 'ok' }],
};

describe('deriveTrayState', () => {
  it('is ok when the newest grid point is the latest due one and every peer is at most one page behind', () => {
    expect(stalenessReasons(fresh)).toEqual([]);
    expect(deriveTrayState(fresh, NOW)).toBe('ok');
  });

  it('is syncing (catching up) when the grid lags or a peer is more than a page behind', () => {
    const oldGrid = { ...fresh, newestGridTs: GRID - GRID_MS };
    expect(deriveTrayState(oldGrid, NOW)).toBe('syncing');
    expect(stalenessReasons(oldGrid)).toEqual(['the newest grid point is not the latest due one']);
    const lagging = { ...fresh, peers: [{ name: 'desk', lagRows: 501, pageRows: 500, state: 'ok' as const }] };
    expect(deriveTrayState(lagging, NOW)).toBe('syncing');
    expect(stalenessReasons(lagging)).toEqual(['desk is 501 rows behind']);
    expect(deriveTrayState({ ...fresh, newestGridTs: undefined }, NOW)).toBe('syncing');
  });

  it('is syncing while a sync runs even if the data is fresh', () => {
    expect(deriveTrayState({ ...fresh, syncing: true }, NOW)).toBe('syncing');
  });

  it('ignores the grid when the collector is off or reports nothing', () => {
    expect(deriveTrayState({ ...fresh, collectorMode: 'off', newestGridTs: 0 }, NOW)).toBe('ok');
    expect(deriveTrayState(base, NOW)).toBe('ok');
  });

  it('is paused during a pause, and not after it ran out', () => {
    expect(deriveTrayState({ ...fresh, autoSyncPausedUntil: NOW + 1 }, NOW)).toBe('paused');
    expect(deriveTrayState({ ...fresh, autoSyncPausedUntil: 'indefinitely' }, NOW)).toBe('paused');
    expect(deriveTrayState({ ...fresh, autoSyncPausedUntil: NOW }, NOW)).toBe('ok');
  });

  it('shows error above everything else: a shell/node error or a peer in error', () => {
    expect(deriveTrayState({ ...fresh, autoSyncPausedUntil: 'indefinitely', lastError: 'disk full' }, NOW)).toBe('error');
    expect(deriveTrayState({ ...fresh, peers: [{ lagRows: 0, pageRows: 500, state: 'error' }] }, NOW)).toBe('error');
  });
});

describe('trayTooltip', () => {
  it('names the state, last sync, peer lag and the live sum', () => {
    const tip = trayTooltip({ ...fresh, lastSyncAt: NOW - 3 * 60_000, liveSum: 12.3456, coinCount: 27 }, NOW);
    expect(tip.split('\n')).toEqual([
      'Coin Sync Node — up to date',
      'Last sync: 3 min ago',
      'Peers: 1, largest lag 500 rows',
      '27-sum: 12.35',
    ]);
  });

  it('says why it is catching up, how long the pause lasts, and the error', () => {
    const tip = trayTooltip({ ...fresh, newestGridTs: GRID - GRID_MS, autoSyncPausedUntil: NOW + 90 * 60_000 }, NOW);
    expect(tip).toContain('Coin Sync Node — auto-sync paused');
    expect(tip).toContain('Auto-sync paused for 1 h 30 min more');
    expect(tip).toContain('Last sync: not yet');
    const catching = trayTooltip({ ...fresh, newestGridTs: GRID - GRID_MS }, NOW);
    expect(catching).toContain('Catching up: the newest grid point is not the latest due one');
    expect(trayTooltip({ ...base, lastError: 'database is locked' }, NOW)).toContain('Error: database is locked');
  });
});

describe('pauseUntil', () => {
  it('gives 30 min, 2 h, the next 00:00 UTC+8, or indefinitely', () => {
    expect(pauseUntil('30m', NOW)).toBe(NOW + 1_800_000);
    expect(pauseUntil('2h', NOW)).toBe(NOW + 7_200_000);
    // 11:10 UTC+8 on the 20th -> 00:00 UTC+8 on the 21st = 16:00 UTC on the 20th
    expect(pauseUntil('tomorrow', NOW)).toBe(Date.UTC(2025, 10, 20, 16, 0, 0));
    // 23:59 UTC+8 on the 20th (15:59 UTC) -> one minute later
    expect(pauseUntil('tomorrow', Date.UTC(2025, 10, 20, 15, 59))).toBe(Date.UTC(2025, 10, 20, 16, 0));
    // exactly 00:00 UTC+8 -> the following midnight, never "now"
    expect(pauseUntil('tomorrow', Date.UTC(2025, 10, 20, 16, 0))).toBe(Date.UTC(2025, 10, 21, 16, 0));
    expect(pauseUntil('indefinitely', NOW)).toBe('indefinitely');
  });
});

describe('buildTrayMenu', () => {
  const calls: string[] = [];
  const actions: TrayActions = {
    openWindow: () => calls.push('open'),
    syncNow: () => calls.push('sync'),
    pause: (k) => calls.push(`pause:${k}`),
    resume: () => calls.push('resume'),
    setSender: (on) => calls.push(`sender:${on}`),
    quit: () => calls.push('quit'),
  };
  const all = { syncAll: true, syncAuto: true, senderUpdate: true };
  const labels = (items: TrayMenuItem[]): unknown[] =>
    items.map((i) => (i.type === 'separator' ? '---' : i.submenu ? { [i.label!]: labels(i.submenu) } : i.label));

  it('lists open, sync now, the pause choices, sender, quit, and each item calls its action', () => {
    calls.length = 0;
    const menu = buildTrayMenu({ state: 'ok', paused: false, senderEnabled: true, available: all }, actions);
    expect(labels(menu)).toEqual([
      'Status: up to date',
      '---',
      'Open Coin Sync Node',
      'Sync now',
      { 'Pause auto-sync': ['For 30 minutes', 'For 2 hours', 'Until tomorrow (00:00 UTC+8)', 'Until I resume'] },
      'Serve data to peers (sender)',
      '---',
      'Quit',
    ]);
    for (const id of ['open', 'sync-now', 'pause-30m', 'pause-2h', 'pause-tomorrow', 'pause-indefinitely', 'sender', 'quit']) {
      findMenuItem(menu, id)!.click!();
    }
    expect(calls).toEqual(['open', 'sync', 'pause:30m', 'pause:2h', 'pause:tomorrow', 'pause:indefinitely', 'sender:false', 'quit']);
    expect(findMenuItem(menu, 'sender')).toMatchObject({ type: 'checkbox', checked: true, enabled: true });
  });

  it('offers resume instead of pause while paused', () => {
    const menu = buildTrayMenu({ state: 'paused', paused: true, senderEnabled: false, available: all }, actions);
    expect(findMenuItem(menu, 'pause')).toBeUndefined();
    calls.length = 0;
    findMenuItem(menu, 'resume')!.click!();
    findMenuItem(menu, 'sender')!.click!();
    expect(calls).toEqual(['resume', 'sender:true']);
  });

  it('disables the items whose node handler does not exist, and the sender toggle while its state is unknown', () => {
    const none = { syncAll: false, syncAuto: false, senderUpdate: false };
    const menu = buildTrayMenu({ state: 'syncing', paused: false, available: none }, actions);
    expect(findMenuItem(menu, 'sync-now')).toMatchObject({ enabled: false, toolTip: 'Not available in this build yet' });
    expect(findMenuItem(menu, 'pause')!.enabled).toBe(false);
    expect(findMenuItem(menu, 'pause-2h')!.enabled).toBe(false);
    expect(findMenuItem(menu, 'sender')!.enabled).toBe(false);
    expect(findMenuItem(menu, 'open')!.enabled).toBeUndefined();
    const unknownSender = buildTrayMenu({ state: 'ok', paused: false, available: all }, actions);
    expect(findMenuItem(unknownSender, 'sender')).toMatchObject({ enabled: false, checked: false });
  });

  it('is plain data that survives JSON (what the main-process test hook reads)', () => {
    const menu = buildTrayMenu({ state: 'error', paused: false, senderEnabled: true, available: all }, actions);
    const json = JSON.parse(JSON.stringify(menu)) as TrayMenuItem[];
    expect(json[0]).toEqual({ id: 'status', label: 'Status: needs attention', enabled: false });
  });
});

describe('tray input from the node', () => {
  const status = {
    nodeId: 'n',
    fingerprint: '00',
    originId: 'o',
    nodeName: 'x',
    version: '0',
    mode: 'desktop' as const,
    simulate: false,
    startedAt: 0,
    uptimeMs: 0,
    dataDir: '/d',
    dbPath: '/d/db',
    schemaVersion: 1,
    maxSeq: 0,
    components: [
      { name: 'market', state: 'running' as const },
      { name: 'sender', state: 'error' as const, detail: 'port 8787 in use' },
    ],
    errorsLastHour: 0,
  };

  it('turns a failed component into the tray error; the shell error wins over it', () => {
    const facts = { pausedUntil: null, shellError: null, syncing: false };
    expect(trayInputFrom(status, facts).lastError).toBe('sender: port 8787 in use');
    expect(trayInputFrom(status, { ...facts, shellError: 'boom' }).lastError).toBe('boom');
    expect(trayInputFrom(undefined, facts).lastError).toBeNull();
  });

  it('a component with rows behind (the warehouse) keeps the tray from "safe to close" until 0', () => {
    const facts = { pausedUntil: null, shellError: null, syncing: false };
    const fresh = { ...status, components: [{ name: 'warehouse', state: 'running' as const, behindRows: 0 }] };
    expect(trayInputFrom(fresh, facts).behind).toEqual([]);
    expect(deriveTrayState(trayInputFrom(fresh, facts), NOW)).toBe('ok');
    const behind = { ...status, components: [{ name: 'warehouse', state: 'running' as const, behindRows: 1200 }] };
    const input = trayInputFrom(behind, facts);
    expect(deriveTrayState(input, NOW)).toBe('syncing');
    expect(stalenessReasons(input)).toEqual(['the warehouse is behind by 1200 rows']);
  });

  it('reads freshness from market.status and the sum from market.sum', () => {
    expect(latestDueGridTs(NOW)).toBe(GRID);
    // within the grace period after a boundary the previous point is still the due one
    expect(latestDueGridTs(GRID + 60_000)).toBe(GRID - GRID_MS);
    const coins = [
      { coin: 'BTC', lastTickTs: NOW, ageMs: 0, source: null, lastGridTs: GRID },
      { coin: 'ETH', lastTickTs: NOW, ageMs: 0, source: null, lastGridTs: GRID - GRID_MS },
    ];
    const facts = marketTrayFacts({ state: 'running', detail: null, now: NOW, coins });
    expect(facts).toEqual({ collectorMode: 'live', newestGridTs: GRID, latestDueGridTs: GRID });
    expect(marketTrayFacts({ state: 'error', detail: 'ws closed', now: NOW, coins: [] })).toMatchObject({
      newestGridTs: undefined,
      lastError: 'market collector: ws closed',
    });
    expect(marketTrayFacts({ state: 'stopped', detail: null, now: NOW, coins }).collectorMode).toBe('off');
    expect(liveSumTrayFacts({ sum: -3.5, total: 27 })).toEqual({ liveSum: -3.5, coinCount: 27 });
    expect(liveSumTrayFacts({ sum: null, total: 27 })).toEqual({});
  });
});
