import { SYNC_PROTOCOL_VERSION } from '../../../preload/contract/sender.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { SenderService } from '../sender/sender-service.js';
import type { HandlersOf } from './types.js';

/** The control API of the sender: configuration, token, stats, request log and catalog. */
export function senderHandlers(deps: {
  sender: SenderService;
  registry: DatasetRegistry;
}): HandlersOf<'sender.config.get' | 'sender.config.update' | 'sender.token.rotate' | 'sender.stats' | 'sender.log' | 'sender.catalog'> {
  const { sender, registry } = deps;
  return {
    'sender.config.get': () => sender.configView(),
    'sender.config.update': (patch) => sender.updateConfig(patch),
    'sender.token.rotate': () => sender.rotateToken(),
    'sender.stats': () => sender.stats(),
    'sender.log': (q) => ({ entries: sender.log(q) }),
    'sender.catalog': () => ({ protocol: SYNC_PROTOCOL_VERSION, datasets: registry.catalog() }),
  };
}
