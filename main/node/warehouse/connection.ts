import pg from 'pg';
import { parse } from 'pg-connection-string';

/** Why a URL or a connection was refused, as one sentence that never contains the password. */
export class WarehouseUrlError extends Error {
  constructor(
    readonly reason: 'bad_url' | 'unknown_host' | 'refused' | 'auth' | 'no_database' | 'no_privilege' | 'failed',
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'WarehouseUrlError';
  }
}

export interface ParsedUrl {
  /** The URL with the password removed: what is saved, shown and logged. */
  safeUrl: string;
  /** The password from the URL, when it had one. */
  password: string | null;
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Parses a `postgres://` / `postgresql://` URL; the password is split off the shown form. */
export function parseWarehouseUrl(url: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new WarehouseUrlError('bad_url', 'The warehouse URL is not a URL; write it as postgres://user@host:5432/database.');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new WarehouseUrlError('bad_url', `The warehouse URL must start with postgres:// (it starts with ${u.protocol}//).`);
  }
  if (!u.hostname) throw new WarehouseUrlError('bad_url', 'The warehouse URL has no host.');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new WarehouseUrlError('bad_url', 'The warehouse URL names no database (…/database at the end).');
  const port = u.port ? Number(u.port) : 5432;
  const password = u.password ? decodeURIComponent(u.password) : null;
  const safe = new URL(u.toString());
  safe.password = '';
  return {
    safeUrl: safe.toString(),
    password,
    host: u.hostname,
    port,
    database,
    user: decodeURIComponent(u.username) || process.env.PGUSER || 'postgres',
  };
}

/**
 * A client config for `url`; the password comes from the URL, else `password`, else pg's own
 * PGPASSWORD / .pgpass lookup (pg reads them when none is given).
 */
export function clientConfig(url: string, password: string | null): pg.ClientConfig {
  const p = parseWarehouseUrl(url);
  const opts = parse(url);
  return {
    host: p.host,
    port: p.port,
    database: p.database,
    user: p.user,
    password: p.password ?? password ?? undefined,
    ssl: typeof opts.ssl === 'boolean' ? opts.ssl : opts.ssl ? {} : undefined,
    connectionTimeoutMillis: 5_000,
    application_name: 'coin-sync-node',
  };
}

/** One sentence for a connection or query failure, naming host and database, never the password. */
export function describePgError(e: unknown, where: { host: string; port: number; database: string; user: string }): WarehouseUrlError {
  if (e instanceof WarehouseUrlError) return e;
  const code = typeof e === 'object' && e && 'code' in e && typeof e.code === 'string' ? e.code : '';
  const msg = e instanceof Error ? e.message : String(e);
  const at = `${where.host}:${where.port}`;
  const params = { host: where.host, port: where.port, database: where.database, user: where.user, detail: msg.slice(0, 300) };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new WarehouseUrlError('unknown_host', `The host ${where.host} is unknown.`, params);
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || /timeout/i.test(msg))
    return new WarehouseUrlError('refused', `No PostgreSQL server answers at ${at}.`, params);
  if (code.startsWith('57P'))
    return new WarehouseUrlError('refused', `PostgreSQL at ${at} closed the connection (shutting down or restarting).`, params);
  if (code === '28P01' || code === '28000')
    return new WarehouseUrlError('auth', `PostgreSQL at ${at} refused the password for user ${where.user}.`, params);
  if (code === '3D000') return new WarehouseUrlError('no_database', `There is no database ${where.database} at ${at}.`, params);
  if (code === '42501')
    return new WarehouseUrlError(
      'no_privilege',
      `User ${where.user} may not create the coin_sync schema in ${where.database}: ${msg}.`,
      params,
    );
  return new WarehouseUrlError('failed', `PostgreSQL at ${at}: ${msg}.`, params);
}

/** Connects, or throws a WarehouseUrlError sentence. */
export async function connect(url: string, password: string | null): Promise<pg.Client> {
  const p = parseWarehouseUrl(url);
  const client = new pg.Client(clientConfig(url, password));
  client.on('error', () => {
    // A dropped connection surfaces on the next query; the mirror reconnects.
  });
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => {});
    throw describePgError(e, p);
  }
}

/** The parsed URL, or null when it does not parse (for describing an error without throwing another). */
export function tryParseWarehouseUrl(url: string): ParsedUrl | null {
  try {
    return parseWarehouseUrl(url);
  } catch {
    return null;
  }
}
