import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../preload/contract.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { caughtUp, seedCandles, startNode, until, type TestNode } from './warehouse-harness.js';

describe('warehouse handlers against a real PostgreSQL', () => {
  let pgs: TestPostgres;
  let t: TestNode;
  const refused = async (name: 'warehouse.update' | 'warehouse.test', input: unknown): Promise<ApiError> => {
    const r = await t.node.dispatch(name, input);
    if (r.ok) throw new Error(`${name} accepted ${JSON.stringify(input)}`);
    return r.error;
  };

  beforeAll(async () => {
    pgs = await startPostgres();
    pgs.psql("CREATE ROLE weak LOGIN PASSWORD 'weakpw'");
    pgs.psql('CREATE DATABASE nocreate OWNER postgres');
    t = await startNode(undefined);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    pgs?.remove();
  });

  it('test and update answer bad_input (400) naming the cause, never the password; settings keep the last good value', async () => {
    const good = await t.node.call('warehouse.update', { url: pgs.url('csn'), enabled: true });
    if (!good.ok) throw new Error(good.error.message);
    expect(good.value.url).toBe(`postgres://csn@127.0.0.1:${pgs.port}/csn`);
    expect(good.value.hasPassword).toBe(true);
    expect(JSON.stringify(good.value)).not.toContain(pgs.password);
    const secret = path.join(t.dir, 'warehouse.secret');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(t.dir, 'warehouse.json'), 'utf8')).not.toContain(pgs.password);

    const cases: [string, string, RegExp][] = [
      ['not a url', 'warehouse.bad_url', /not a URL/],
      ['http://127.0.0.1/csn', 'warehouse.bad_url', /postgres:\/\//],
      ['postgres://csn:x@nohost.invalid:5432/csn', 'warehouse.unknown_host', /nohost\.invalid is unknown/],
      [pgs.url('csn', { password: 'wrong-secret' }), 'warehouse.auth', /refused the password for user csn/],
      [pgs.url('missingdb'), 'warehouse.no_database', /no database missingdb/],
      [pgs.url('nocreate', { user: 'weak', password: 'weakpw' }), 'warehouse.no_privilege', /CREATE on database nocreate/],
    ];
    for (const [url, reason, sentence] of cases) {
      const e = await refused('warehouse.update', { url });
      expect(e.code, url).toBe('bad_input');
      expect(e.reason, url).toBe(reason);
      expect(e.message, url).toMatch(sentence);
      expect(JSON.stringify(e)).not.toMatch(/wrong-secret|weakpw/);
      if (reason !== 'warehouse.no_privilege') {
        const tested = await refused('warehouse.test', { url });
        expect(tested.reason, url).toBe(reason);
      }
    }
    const probe = await t.node.call('warehouse.test', { url: pgs.url('nocreate', { user: 'weak', password: 'weakpw' }) });
    if (!probe.ok) throw new Error(probe.error.message);
    expect(probe.value.missingPrivileges).toEqual(['CREATE on database nocreate']);
    const still = await t.node.call('warehouse.get', {});
    if (!still.ok) throw new Error(still.error.message);
    expect(still.value).toMatchObject({ url: good.value.url, enabled: true, hasPassword: true });
    expect((await refused('warehouse.update', { datasets: ['CS001'] })).reason).toBe('warehouse.unknown_dataset');
    const log = fs.readdirSync(path.join(t.dir, 'logs')).map((f) => fs.readFileSync(path.join(t.dir, 'logs', f), 'utf8'));
    expect(log.join('\n')).not.toMatch(new RegExp(`${pgs.password}|wrong-secret|weakpw`));
  }, 60_000);

  it('the saved URL without its password keeps the saved secret; test answers the server version; status shows lag 0', async () => {
    const again = await t.node.call('warehouse.update', { url: `postgres://csn@127.0.0.1:${pgs.port}/csn`, datasets: ['PT002', 'KL030'] });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.hasPassword).toBe(true);
    const tested = await t.node.call('warehouse.test', {});
    if (!tested.ok) throw new Error(tested.error.message);
    expect(tested.value.serverVersion).toMatch(/^\d+/);
    expect(tested.value.missingPrivileges).toEqual([]);
    seedCandles(t.node, 1);
    await until(() => caughtUp(t.node), 30_000, 'caught up');
    const s = await t.node.call('warehouse.status', {});
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.state).toBe('ok');
    expect(s.value.datasets.map((d) => [d.code, d.table, d.lagRows, d.rows])).toEqual([
      ['PT002', 'coin_sync.pt002', 0, 48 * 27],
      ['KL030', 'coin_sync.kl030', 0, 48 * 27],
    ]);
    const off = await t.node.call('warehouse.update', { enabled: false });
    if (!off.ok) throw new Error(off.error.message);
    await until(async () => {
      const st = await t.node.call('warehouse.status', {});
      return st.ok && st.value.state === 'off';
    });
  }, 60_000);
});
