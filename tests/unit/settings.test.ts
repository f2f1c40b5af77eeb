import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_COINS, SettingsSchema } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { tempDataDir } from '../helpers/headless.js';

const nodes: SyncNode[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) if (n.store.isOpen) await n.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const make = (dir = tempDataDir('csn-set-')) => {
  dirs.push(dir);
  const n = createNode({ dataDir: dir, mode: 'headless', version: 'test' });
  nodes.push(n);
  return n;
};

describe('settings', () => {
  it('start from the schema defaults with the 27 coins', async () => {
    const n = make();
    const r = await n.dispatch('settings.get', {});
    expect(r).toEqual({ ok: true, value: SettingsSchema.parse({}) });
    expect(n.settings.get().coins).toEqual([...DEFAULT_COINS]);
    expect(n.settings.get().coins).toHaveLength(27);
  });

  it('persist a valid update across a restart', async () => {
    const dir = tempDataDir('csn-set-');
    const a = make(dir);
    const r = await a.dispatch('settings.update', { nodeName: 'Desk 2', coins: ['BTC', 'ETH'], exchange: { rest: 'http://127.0.0.1:9' } });
    expect(r.ok).toBe(true);
    await a.stop();
    const b = make(dir);
    expect(b.settings.get()).toMatchObject({
      nodeName: 'Desk 2',
      coins: ['BTC', 'ETH'],
      exchange: { rest: 'http://127.0.0.1:9', wsPublic: 'wss://ws.okx.com:8443/ws/v5/public' },
    });
  });

  it.each([
    [{ exchange: { rest: 'ftp://x' } }, /exchange\.rest: must be an http/],
    [{ logBufferLines: 5 }, /logBufferLines: /],
    [{ coins: [] }, /coins: choose at least one coin/],
    [{ coins: ['BTC', 'BTC'] }, /coins: a coin is listed twice/],
    [{ coins: ['btc'] }, /coins\.0: a coin is 1–15 capital letters/],
    [{ coins: ['NOPE'] }, /coins: NOPE is not a known OKX USDT perpetual swap/],
    [{ language: 'fr' }, /language: /],
    [{ colour: 'red' }, /Unrecognized key.*colour|colour/],
    [{ nodeName: '' }, /nodeName: must not be empty/],
  ])('refuse %j with a sentence naming the field, keeping the old value', async (patch, message) => {
    const n = make();
    const before = n.settings.get();
    const r = await n.dispatch('settings.update', patch);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad_input');
      expect(r.error.message).toMatch(message);
    }
    expect(n.settings.get()).toEqual(before);
    const stored = n.store.db.prepare('SELECT COUNT(*) AS c FROM settings').get() as { c: number };
    expect(stored.c).toBe(0);
  });

  it('fall back to the default, with a warning, for a stored value that no longer validates', async () => {
    const dir = tempDataDir('csn-set-');
    const a = make(dir);
    a.store.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('logBufferLines', '\"lots\"', 0)").run();
    await a.stop();
    const b = make(dir);
    expect(b.settings.get().logBufferLines).toBe(5_000);
    expect(b.log.tail({ limit: 50, levels: ['warn'] }).some((l) => l.message.includes('logBufferLines'))).toBe(true);
  });

  it('emit settings.changed on the bus after a write', async () => {
    const n = make();
    const seen: string[] = [];
    n.bus.on('settings.changed', (s) => seen.push(s.nodeName));
    await n.dispatch('settings.update', { nodeName: 'Laptop' });
    expect(seen).toEqual(['Laptop']);
  });
});
