import type { WarehouseTestResult } from '../../../preload/contract/warehouse.js';
import { connect, describePgError, parseWarehouseUrl } from './connection.js';

/**
 * Connects to `url` and answers what "Test connection" shows: server version, timescaledb
 * installed or available, and the privileges the mirror lacks (CREATE on the database, or on the
 * coin_sync schema when it exists). Throws a WarehouseUrlError sentence when it cannot connect.
 */
export async function probeWarehouse(url: string, password: string | null): Promise<WarehouseTestResult> {
  const p = parseWarehouseUrl(url);
  const client = await connect(url, password);
  try {
    const r = await client.query<{
      version: string;
      timescale: boolean;
      available: boolean;
      db_create: boolean;
      schema_owner: string | null;
      schema_create: boolean | null;
    }>(
      `SELECT current_setting('server_version') AS version,
        EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS timescale,
        EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
        has_database_privilege(current_database(), 'CREATE') AS db_create,
        (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'coin_sync') AS schema_owner,
        (SELECT has_schema_privilege('coin_sync', 'CREATE') FROM pg_namespace WHERE nspname = 'coin_sync') AS schema_create`,
    );
    const row = r.rows[0]!;
    const missing: string[] = [];
    if (row.schema_owner === null && !row.db_create) missing.push(`CREATE on database ${p.database}`);
    if (row.schema_owner !== null && row.schema_create === false) missing.push('CREATE on schema coin_sync');
    return { serverVersion: row.version, timescale: row.timescale, timescaleAvailable: row.available, missingPrivileges: missing };
  } catch (e) {
    throw describePgError(e, p);
  } finally {
    await client.end().catch(() => {});
  }
}
