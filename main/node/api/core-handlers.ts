import type { NodeStatus } from '../../../preload/contract.js';
import type { NodeLog } from '../log/logger.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { HandlersOf } from './types.js';

export function coreHandlers(deps: {
  status: () => NodeStatus;
  settings: SettingsStore;
  log: NodeLog;
}): HandlersOf<'status.get' | 'settings.get' | 'settings.update' | 'settings.knownCoins' | 'logs.tail'> {
  return {
    'status.get': () => deps.status(),
    'settings.get': () => deps.settings.get(),
    'settings.update': (patch) => deps.settings.update(patch),
    'settings.knownCoins': () => ({ coins: [...deps.settings.knownCoins()].sort() }),
    'logs.tail': (q) => ({ lines: deps.log.tail(q), sources: deps.log.sources() }),
  };
}
