/** Why a warehouse URL or server was refused; said by renderer/src/i18n/warehouse.*.ts (warehouseErrors*). */
export const WAREHOUSE_REASONS = [
  'warehouse.bad_url',
  'warehouse.unknown_host',
  'warehouse.refused',
  'warehouse.auth',
  'warehouse.no_database',
  'warehouse.no_privilege',
  'warehouse.failed',
  'warehouse.no_url',
  'warehouse.unknown_dataset',
] as const;

/**
 * Why a backfill source failed, as its record in Settings › Sources and Sync › Receiver says it:
 * a peer whose rows were refused (backfill/peer-sources.ts) or an exchange host that failed
 * (okx/host-pool.ts). Said by renderer/src/i18n/source-errors.*.ts.
 */
export const SOURCE_REASONS = [
  'source.checksum',
  'source.no_candles',
  'source.columns',
  'source.out_of_range',
  'source.bad_row',
  'source.missing_bars',
  'source.gone',
  'source.refused',
  'peer.last_failed',
  'host.network',
  'host.timeout',
  'host.server',
  'host.failed',
] as const;

/** Pairing and secure peers: their own block, said by renderer/src/i18n/pairing-errors.*.ts. */
export const PAIRING_REASONS = [
  'peer.identity_changed',
  'peer.pairing_required',
  'peer.revoked',
  'peer.shared_token_off',
  'pairing.sender_off',
  'pairing.no_code',
  'pairing.expired',
  'pairing.no_tries_left',
  'pairing.wrong_code',
  'pairing.void',
  'pairing.replayed',
  'pairing.other_certificate',
  'pairing.mitm',
  'pairing.not_the_node',
  'pairing.unreachable',
  'pairing.not_sync_node',
  'pairing.bad_link',
  'pairing.bad_node_id',
  'pairing.bad_message',
  'device.not_found',
  'device.already_revoked',
  'sender.port_reserved',
  'sender.port_in_use',
] as const;
export type PairingReason = (typeof PAIRING_REASONS)[number];

/**
 * Stable keys for every error a handler can answer with. The renderer turns a key and its
 * parameters into one sentence in the UI's language (renderer/src/i18n/errors.*.ts); `message`
 * stays English for scripts and logs. Add a key here (one line, in its area) for each new error.
 */
export const ERROR_REASONS = [
  // Input checks, derived from the contract's zod schemas (issues.ts) — one per field problem.
  'invalid_input',
  'required',
  'wrong_type',
  'not_integer',
  'too_small',
  'too_big',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'not_one_of',
  'unknown_field',
  'bad_format',
  'invalid',
  'coin_symbol',
  'coins_duplicate',
  'coins_unknown',
  'sources_duplicate',
  'sources_all_hosts_off',
  'http_url',
  'ws_url',
  'peer_url',
  'ip_or_cidr',
  'dataset_code',
  'calendar_day',
  'epoch_ms',
  'range_reversed',
  'range_too_long',
  // Transport and node.
  'unknown_handler',
  'node_unreachable',
  'bad_answer',
  'unauthorized',
  'internal',
  'node_stopping',
  // Market and export.
  'export.no_backfill',
  // Backfill.
  'backfill.future',
  'backfill.no_bar',
  'backfill.too_many_pages',
  'backfill.not_running',
  'backfill.busy',
  'backfill.job_not_found',
  'backfill.nothing_to_resume',
  'backfill.job_complete',
  'backfill.no_job',
  'backfill.queue_empty',
  'backfill.pages_not_queued',
  // Receiver: handler answers, then why a peer could not be synced (PeerError kinds).
  'peer.disabled',
  'peer.busy',
  'peer.not_found',
  'peer.dataset_not_syncable',
  'peer.auth',
  'peer.forbidden',
  'peer.rate_limited',
  'peer.network',
  'peer.timeout',
  'peer.server',
  'peer.bad_page',
  'peer.not_sync_node',
  'peer.protocol',
  'peer.no_dataset',
  'peer.stopped',
  'peer.checksum',
  ...PAIRING_REASONS,
  ...WAREHOUSE_REASONS,
  ...SOURCE_REASONS,
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

export const isErrorReason = (s: unknown): s is ErrorReason => typeof s === 'string' && (ERROR_REASONS as readonly string[]).includes(s);

/** Values a sentence may quote: short strings and numbers only, so any transport carries them. */
export type ErrorParams = Record<string, string | number>;

/** A reason with its parameters: what an error, a stored peer error or a log line carries. */
export interface Reasoned {
  reason: ErrorReason;
  params?: ErrorParams;
}
