import type { LiveSum, MarketStatus, NodeStatus } from '../../preload/contract.js';
import type { PausedUntil, TrayInput } from './tray-state.js';

export interface ShellTrayFacts {
  pausedUntil: PausedUntil;
  /** An uncaught error in the main process since the last successful action, if any. */
  shellError: string | null;
  /** A tray action in flight (sync now). */
  syncing: boolean;
  senderEnabled?: boolean;
}

/**
 * The tray's input from what the node reports today (NodeStatus: components and their states).
 * When the market and sync domains publish their status (newest grid point, latest due one, peer
 * lag, live sum), spread those fields in here via `extra`; until then they stay undefined and the
 * freshness rule ignores them.
 */
export function trayInputFrom(status: NodeStatus | undefined, shell: ShellTrayFacts, extra: Partial<TrayInput> = {}): TrayInput {
  const failed = status?.components.find((c) => c.state === 'error');
  const componentError = failed ? `${failed.name}: ${failed.detail ?? 'stopped with an error'}` : null;
  const behind = (status?.components ?? []).flatMap((c) => (c.behindRows ? [{ name: c.name, rows: c.behindRows }] : []));
  return {
    syncing: shell.syncing,
    behind,
    autoSyncPausedUntil: shell.pausedUntil,
    senderEnabled: shell.senderEnabled,
    ...extra,
    // The first error wins: the shell's own, then a failed component, then the domains' reports.
    lastError: shell.shellError ?? componentError ?? extra.lastError ?? null,
  };
}

export const GRID_MS = 30 * 60_000;
/** A grid point counts as due this long after its time, so "ok" does not blink at each boundary. */
export const GRID_GRACE_MS = 2 * 60_000;

/** The grid point that should be stored by `now` (the 30-minute grid is aligned to UTC+8 = to UTC). */
export function latestDueGridTs(now: number, graceMs = GRID_GRACE_MS): number {
  return Math.floor((now - graceMs) / GRID_MS) * GRID_MS;
}

/** Tray facts from the collector's periodic `market.status` event. */
export function marketTrayFacts(s: Pick<MarketStatus, 'state' | 'detail' | 'now' | 'coins'>): Partial<TrayInput> {
  const grids = s.coins.map((c) => c.lastGridTs).filter((t): t is number => t !== null);
  const off = s.state === 'not_started' || s.state === 'stopped' || s.state === 'stopping';
  return {
    collectorMode: off ? 'off' : 'live',
    newestGridTs: grids.length ? Math.max(...grids) : undefined,
    latestDueGridTs: latestDueGridTs(s.now),
    ...(s.state === 'error' && { lastError: `market collector: ${s.detail ?? 'stopped with an error'}` }),
  };
}

/** Tray facts from the `market.sum` event: the live sum and how many coins it covers. */
export function liveSumTrayFacts(s: Pick<LiveSum, 'sum' | 'total'>): Partial<TrayInput> {
  return s.sum === null ? {} : { liveSum: s.sum, coinCount: s.total };
}
