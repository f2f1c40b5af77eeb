import type { SOURCE_REASONS } from '../../../preload/contract';

/**
 * Why a backfill source failed, as its record says it (Settings › Sources, Sync › Receiver):
 * `{name}` is the peer, `{host}` the exchange host. Each sentence says where the work went and
 * what a person can do about it.
 */
export const sourceErrorsEn: Record<`err.${(typeof SOURCE_REASONS)[number]}`, string> = {
  'err.source.checksum': '{name} sent rows that fail their checksum; its pages went to the next source. If this repeats, update that node.',
  'err.source.no_candles':
    '{name} does not serve {bar} candles; its pages went to the next source. Add that bar on {name}, or leave it to the exchange.',
  'err.source.columns': '{name} sends candles in a layout this node cannot read; update the older of the two nodes.',
  'err.source.out_of_range':
    '{name} sent rows outside the range asked for; its pages went to the next source. Check its clock and version.',
  'err.source.bad_row': '{name} sent a malformed or repeated row; its pages went to the next source. Check its database, or update it.',
  'err.source.missing_bars':
    '{name} said it holds {n} bars it did not deliver; its pages went to the next source. Sync it, then backfill again.',
  'err.source.gone': '{name} was turned off or removed while the backfill ran; its pages went to the next source.',
  'err.source.refused': 'The rows of {name} were refused and its pages went to the next source; the Logs screen says why.',
  'err.peer.last_failed': 'The last sync failed; the Logs screen says why. The next try is automatic.',
  'err.host.network': 'Cannot reach {host} ({cause}); requests go to the next host. Check the network, or the REST URL in Settings.',
  'err.host.timeout': '{host} did not answer within {seconds} s; requests go to the next host. Check the network.',
  'err.host.server': '{host} failed with HTTP {status}; requests go to the next host until it answers again.',
  'err.host.failed': '{host} failed; requests go to the next host until it answers again.',
};
