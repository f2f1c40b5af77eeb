import type { HandlerInput, HandlerName, HandlerOutput } from '../../preload/contract.js';
import type { NodeCall } from '../node/api/dispatch.js';
import type { Logger } from '../node/log/logger.js';
import { loadPause, savePause } from './pause-state.js';
import type { ShellTrayFacts } from './tray-input.js';
import { pauseUntil, type PausedUntil, type PauseKind, type TrayActions, type TrayMenuView } from './tray-state.js';

/**
 * Handlers the tray calls, typed by the contract (`preload/contract.ts`). Should the node answer
 * unknown_handler for one (a node built without that domain), the menu shows its item disabled.
 */
export const TRAY_HANDLERS = {
  syncAll: 'sync.all',
  syncAuto: 'sync.auto',
  senderUpdate: 'sender.config.update',
  senderGet: 'sender.config.get',
} as const satisfies Record<string, HandlerName>;
type TrayHandlerKey = keyof typeof TRAY_HANDLERS;
type TrayHandler<T extends TrayHandlerKey> = (typeof TRAY_HANDLERS)[T];

export interface ShellController {
  facts(): ShellTrayFacts;
  available(): TrayMenuView['available'];
  actions(ui: { openWindow(): void; quit(): void }): TrayActions;
  /** Re-sends a stored pause to the node after start (the pause outlives restarts). */
  applyStoredPause(): Promise<void>;
  setError(message: string | null): void;
  /** The sender's on/off as the node reports it (sender.config.get at start, sender.stats events). */
  setSenderEnabled(enabled: boolean | undefined): void;
  refreshSender(): Promise<void>;
  onChange(listener: () => void): void;
}

/** The tray's behaviour without Electron: what each menu action dispatches, and the state it keeps. */
export function createShellController(opts: { call: NodeCall; log: Logger; pauseFile: string; now?: () => number }): ShellController {
  const now = opts.now ?? Date.now;
  const missing = new Set<string>();
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((l) => l());
  const facts: ShellTrayFacts = { pausedUntil: loadPause(opts.pauseFile, now()), shellError: null, syncing: false };

  const has = (k: TrayHandlerKey) => !missing.has(TRAY_HANDLERS[k]);

  /** Calls a tray handler; returns its value, or undefined after logging why it failed. */
  const call = async <T extends TrayHandlerKey>(
    k: T,
    input: HandlerInput<TrayHandler<T>>,
  ): Promise<HandlerOutput<TrayHandler<T>> | undefined> => {
    const name: TrayHandler<T> = TRAY_HANDLERS[k];
    const r = await opts.call(name, input);
    if (r.ok) {
      // A successful action shows the node is working again: clear a shown crash.
      if (facts.shellError !== null) {
        facts.shellError = null;
        changed();
      }
      return r.value;
    }
    if (r.error.code === 'unknown_handler') {
      missing.add(name);
      changed();
    }
    opts.log.warn(`tray: ${name} failed: ${r.error.message}`);
    return undefined;
  };

  const setPause = async (p: PausedUntil) => {
    if ((await call('syncAuto', syncAutoInput(p))) === undefined) return;
    facts.pausedUntil = p;
    try {
      savePause(opts.pauseFile, p);
    } catch (e) {
      opts.log.warn(`tray: could not remember the pause in ${opts.pauseFile}: ${(e as Error).message}`);
    }
    changed();
  };

  return {
    facts: () => ({ ...facts, pausedUntil: loadPauseIfLive(facts.pausedUntil, now()) }),
    available: () => ({ syncAll: has('syncAll'), syncAuto: has('syncAuto'), senderUpdate: has('senderUpdate') }),
    actions: (ui) => ({
      openWindow: ui.openWindow,
      quit: ui.quit,
      syncNow() {
        if (facts.syncing) return;
        facts.syncing = true;
        changed();
        void call('syncAll', {}).finally(() => {
          facts.syncing = false;
          changed();
        });
      },
      pause: (kind: PauseKind) => void setPause(pauseUntil(kind, now())),
      resume: () => void setPause(null),
      setSender(enabled) {
        void call('senderUpdate', { enabled }).then((v) => {
          if (v === undefined) return;
          facts.senderEnabled = v.config.enabled;
          changed();
        });
      },
    }),
    async applyStoredPause() {
      if (facts.pausedUntil !== null && has('syncAuto')) await setPause(facts.pausedUntil);
    },
    setSenderEnabled(enabled) {
      if (facts.senderEnabled === enabled) return;
      facts.senderEnabled = enabled;
      changed();
    },
    async refreshSender() {
      if (!has('senderGet')) return;
      const v = await call('senderGet', {});
      if (v !== undefined) this.setSenderEnabled(v.config.enabled);
    },
    setError(message) {
      if (facts.shellError === message) return;
      facts.shellError = message;
      changed();
    },
    onChange: (l) => void listeners.push(l),
  };
}

/** The tray's pause as `sync.auto` input: indefinitely = off; a time = on but held until then; null = on. */
export function syncAutoInput(p: PausedUntil): { on: boolean; pausedUntil: number | null } {
  return p === 'indefinitely' ? { on: false, pausedUntil: null } : { on: true, pausedUntil: p };
}

/** A timed pause that ran out counts as not paused. */
function loadPauseIfLive(p: PausedUntil, t: number): PausedUntil {
  return typeof p === 'number' && p <= t ? null : p;
}
