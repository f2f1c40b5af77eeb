import type { WAREHOUSE_REASONS } from '../../../preload/contract';

/** Settings › Warehouse: the PostgreSQL mirror. */
export const warehouseEn = {
  'wh.title': 'Warehouse (PostgreSQL)',
  'wh.intro':
    'Mirror every dataset into a PostgreSQL database for shared tools (Grafana, notebooks). Rows are written exactly once, across crashes.',
  'wh.url': 'PostgreSQL URL',
  'wh.url.hint':
    'Such as postgres://csn@db.lan:5432/market. A password in the URL is kept in the data folder (readable only by you) and never shown again.',
  'wh.url.savedPassword': 'A password is saved for this server.',
  'wh.enabled': 'Mirror into this database',
  'wh.datasets': 'Datasets',
  'wh.datasets.all': 'Every syncable dataset',
  'wh.save': 'Save warehouse',
  'wh.test': 'Test connection',
  'wh.testing': 'Testing…',
  'wh.saved': 'Warehouse settings saved.',
  'wh.test.ok': 'Connected: PostgreSQL {version}.',
  'wh.test.timescale': 'TimescaleDB is installed: time tables become hypertables.',
  'wh.test.timescaleAvailable':
    'TimescaleDB is available but not installed (CREATE EXTENSION timescaledb) — BRIN indexes are used meanwhile.',
  'wh.test.noTimescale': 'No TimescaleDB: BRIN indexes on time are used.',
  'wh.test.missing': 'Missing privileges: {list}.',
  'wh.overridden': 'This run uses the URL given by --warehouse-url or CSN_WAREHOUSE_URL.',
  'wh.state': 'State:',
  'wh.state.off': 'Off',
  'wh.state.connecting': 'Connecting',
  'wh.state.ok': 'Mirroring',
  'wh.state.error': 'Error',
  'wh.col.dataset': 'Dataset',
  'wh.col.table': 'Table',
  'wh.col.lag': 'Lag (rows)',
  'wh.col.rows': 'Rows mirrored',
  'wh.col.lastWrite': 'Last write',
  'wh.never': '—',
  'wh.stopped': 'Stopped: {message}',
} as const;

export const warehouseErrorsEn: Record<`err.${(typeof WAREHOUSE_REASONS)[number]}`, string> = {
  'err.warehouse.bad_url': 'The warehouse URL is not valid: write it as postgres://user@host:5432/database.',
  'err.warehouse.unknown_host': 'The host {host} is unknown. Check the spelling or the network.',
  'err.warehouse.refused': 'No PostgreSQL server answers at {host}:{port}. Check that it runs and accepts connections.',
  'err.warehouse.auth': 'PostgreSQL at {host}:{port} refused the password for user {user}. Enter the right password.',
  'err.warehouse.no_database': 'There is no database {database} at {host}:{port}. Create it or name another.',
  'err.warehouse.no_privilege': 'The warehouse user lacks a privilege: {detail}. Grant it or use another user.',
  'err.warehouse.failed': 'PostgreSQL at {host}:{port} refused: {detail}',
  'err.warehouse.no_url': 'No warehouse URL is set. Enter a postgres:// URL first.',
  'err.warehouse.unknown_dataset': '{codes}: not a syncable dataset. Choose from the list.',
};
