import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Debian's PostgreSQL binaries (`.ci/run` installs the `postgresql` package when missing). */
const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export function postgresBinDir(): string | null {
  return BIN_DIRS.find((d) => fs.existsSync(path.join(d, 'initdb'))) ?? null;
}

/** A throwaway PostgreSQL cluster on 127.0.0.1, password auth, owned by the `postgres` user. */
export interface TestPostgres {
  port: number;
  password: string;
  /** `postgres://csn:<password>@127.0.0.1:<port>/<db>` */
  url(db?: string, opts?: { password?: string; user?: string }): string;
  /** Runs SQL with psql as the superuser (for setup and fault injection). */
  psql(sql: string, db?: string): string;
  stop(): void;
  start(): void;
  remove(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** `runuser -u postgres` when root (the server refuses root), the command itself otherwise. */
function asPostgres(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const root = process.getuid?.() === 0;
  const cmd = root ? 'runuser' : bin;
  const full = root ? ['-u', 'postgres', '--', bin, ...args] : args;
  return execFileSync(cmd, full, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * initdb in a temp folder, then pg_ctl start on a free loopback port. The superuser `postgres`
 * and an application role `csn` (CREATEDB, not superuser) both use scram passwords.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-pg-'));
  fs.chmodSync(root, 0o777);
  const data = path.join(root, 'data');
  const pwFile = path.join(root, 'pw');
  const password = `pw${Math.random().toString(36).slice(2, 12)}`;
  fs.writeFileSync(pwFile, password);
  fs.chmodSync(pwFile, 0o644);
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8']);
  fs.rmSync(pwFile);
  const port = await freePort();
  const log = path.join(root, 'server.log');
  const pgctl = path.join(bin, 'pg_ctl');
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c fsync=off`;
  const start = () => {
    asPostgres(pgctl, ['-D', data, '-l', log, '-o', opts, '-w', 'start']);
  };
  const stop = () => {
    try {
      asPostgres(pgctl, ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  start();
  const psql = (sql: string, db = 'postgres') =>
    execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  psql(`CREATE ROLE csn LOGIN CREATEDB PASSWORD '${password}'`);
  psql('CREATE DATABASE csn OWNER csn');
  return {
    port,
    password,
    url: (db = 'csn', o = {}) => `postgres://${o.user ?? 'csn'}:${encodeURIComponent(o.password ?? password)}@127.0.0.1:${port}/${db}`,
    psql,
    start,
    stop,
    remove: () => {
      stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
