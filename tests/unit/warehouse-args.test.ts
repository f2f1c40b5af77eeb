import { describe, expect, it } from 'vitest';
import { parseHeadlessArgs, UsageError } from '../../main/node/cli-args.js';
import { parseWarehouseUrl } from '../../main/node/warehouse/connection.js';

describe('--warehouse-url and CSN_WAREHOUSE_URL', () => {
  it('takes the flag, else the environment', () => {
    expect(parseHeadlessArgs(['--warehouse-url', 'postgres://a@h/db'], {}).warehouseUrl).toBe('postgres://a@h/db');
    expect(parseHeadlessArgs([], { CSN_WAREHOUSE_URL: 'postgresql://a@h:5433/db' }).warehouseUrl).toBe('postgresql://a@h:5433/db');
    expect(parseHeadlessArgs([], {}).warehouseUrl).toBeUndefined();
  });
  it('refuses another scheme without quoting the URL (it may hold a password)', () => {
    expect(() => parseHeadlessArgs(['--warehouse-url', 'mysql://u:secret@h/db'], {})).toThrow(UsageError);
    expect(() => parseHeadlessArgs(['--warehouse-url', 'mysql://u:secret@h/db'], {})).not.toThrow(/secret/);
  });
  it('splits the password off the URL that is saved and shown', () => {
    const p = parseWarehouseUrl('postgres://csn:p%40ss@db.lan:5433/market?sslmode=require');
    expect(p).toMatchObject({ password: 'p@ss', host: 'db.lan', port: 5433, database: 'market', user: 'csn' });
    expect(p.safeUrl).toBe('postgres://csn@db.lan:5433/market?sslmode=require');
  });
});
