import type { DiscoveryService } from '../discovery/discovery-service.js';
import type { ReceiverService } from '../receiver/receiver-service.js';
import type { HandlersOf } from './types.js';

type ReceiverHandlerName =
  | 'peers.list'
  | 'peers.add'
  | 'peers.update'
  | 'peers.remove'
  | 'peers.test'
  | 'sync.all'
  | 'sync.peer'
  | 'sync.dataset'
  | 'sync.resync'
  | 'sync.auto'
  | 'sync.status'
  | 'sync.history'
  | 'receiver.config.get'
  | 'receiver.config.update'
  | 'discovery.list';

/** The receiver's control API: peers, syncing, auto-sync, history, LAN discovery. */
export function receiverHandlers(deps: { receiver: ReceiverService; discovery: DiscoveryService }): HandlersOf<ReceiverHandlerName> {
  const { receiver, discovery } = deps;
  return {
    'peers.list': () => ({ peers: receiver.list() }),
    'peers.add': (input) => receiver.add(input),
    'peers.update': ({ id, patch }) => receiver.update(id, patch),
    'peers.remove': async ({ id }) => {
      await receiver.remove(id);
      return { removed: true as const };
    },
    'peers.test': (input) => receiver.test(input),
    'sync.all': async () => ({ results: await receiver.syncAll() }),
    'sync.peer': ({ id }) => receiver.syncPeer(id),
    'sync.dataset': ({ id, code }) => receiver.syncPeer(id, [code]),
    'sync.resync': ({ id, code }) => receiver.resync(id, code),
    'sync.auto': ({ on, pausedUntil }) => receiver.updateConfig({ autoSync: on, pausedUntil: pausedUntil ?? null }),
    'sync.status': () => receiver.syncStatus(),
    'sync.history': ({ id, limit }) => ({ runs: receiver.peers.runs(id, limit) }),
    'receiver.config.get': () => receiver.getConfig(),
    'receiver.config.update': (patch) => receiver.updateConfig(patch),
    'discovery.list': () => discovery.list(),
  };
}
