/**
 * Child of store-migration-crash.test.ts: opens a data folder the way the node does (openDb) and
 * dies by SIGKILL at the last moment of the upgrade — inside the migration transaction, after every
 * step ran, as it sets user_version just before the commit. Nothing here is a stand-in: the kill is
 * the crash.
 */
import Database from 'better-sqlite3';
import { openDb } from '../../main/node/store/db.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: migration-crash-child.ts <data dir>');
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
  if (/^user_version\s*=/.test(source)) {
    process.stdout.write(`in transaction: ${String(this.inTransaction)}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  return pragma.call(this, source, options);
} as typeof pragma;
openDb(dir);
process.stdout.write('upgrade committed\n');
