import { HandlerError } from '../../../preload/contract/result.js';
import type { ReceiverService } from '../receiver/receiver-service.js';
import type { SenderService } from '../sender/sender-service.js';
import type { HandlersOf } from './types.js';

/** Pairing: opening a code and the paired devices on the sender side; `peers.pair` on the receiver side. */
export function pairingHandlers(deps: {
  sender: SenderService;
  receiver: ReceiverService;
}): HandlersOf<'pairing.start' | 'pairing.cancel' | 'pairing.status' | 'devices.list' | 'devices.revoke' | 'peers.pair'> {
  const { sender, receiver } = deps;
  return {
    'pairing.start': ({ address }) => {
      if (sender.configView().state !== 'running') {
        throw new HandlerError('unavailable', 'The sender is off: turn it on in Sync › Sender, then pair a device.', {
          reason: 'pairing.sender_off',
        });
      }
      return sender.pairing.start(address);
    },
    'pairing.cancel': () => sender.pairing.cancel(),
    'pairing.status': () => sender.pairing.state(),
    'devices.list': () => ({ devices: sender.devices.list() }),
    'devices.revoke': ({ id }) => {
      if (!sender.revokeDevice(id)) {
        const known = sender.devices.list().some((d) => d.id === id);
        throw new HandlerError(
          known ? 'conflict' : 'not_found',
          known ? 'This device was already revoked.' : 'There is no paired device with this id.',
        );
      }
      return { devices: sender.devices.list() };
    },
    'peers.pair': (input) => receiver.pair(input),
  };
}
