import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { handlerNames } from '../../preload/contract.js';
import { createNode } from '../../main/node/create-node.js';
import { tempDataDir } from '../helpers/headless.js';

const dir = tempDataDir('csn-api-');
const node = createNode({ dataDir: dir, mode: 'headless', version: 'test' });
afterAll(async () => {
  await node.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('API dispatch', () => {
  it('has an implementation for every handler in the contract', async () => {
    for (const name of handlerNames) {
      const r = await node.dispatch(name, { __probe: true });
      // Every handler exists: a probe with an unknown key is refused as bad input, never "unknown".
      expect(r.ok ? 'ok' : r.error.code, name).not.toBe('unknown_handler');
    }
  });

  it('answers an unknown handler with unknown_handler', async () => {
    expect(await node.dispatch('nope.nothing', {})).toEqual({
      ok: false,
      error: {
        code: 'unknown_handler',
        message: 'There is no handler named "nope.nothing".',
        reason: 'unknown_handler',
        params: { name: 'nope.nothing' },
      },
    });
  });

  it('refuses wrong types with a sentence naming the handler and field', async () => {
    const r = await node.dispatch('logs.tail', { limit: 'many' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^logs\.tail: limit: /);
  });

  it('types node.call from the contract and still validates there (the one place input is checked)', async () => {
    // @ts-expect-error: the contract says limit is a number, so a typed caller cannot pass a string.
    const wrongType = await node.call('logs.tail', { limit: 'many' });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'bad_input', reason: 'invalid_input' } });
    // A value of the right type the schema refuses (a port out of range) is refused the same way.
    const outOfRange = await node.call('sender.config.update', { port: 70_000 });
    expect(outOfRange).toMatchObject({ ok: false, error: { code: 'bad_input', issues: [{ path: ['port'] }] } });
    // Defaults come from the schema: an empty input is a valid logs.tail, its value typed as LogTail.
    const tail = await node.call('logs.tail', {});
    expect(tail.ok && Array.isArray(tail.value.lines)).toBe(true);
  });

  it('treats a missing input as empty', async () => {
    const r = await node.dispatch('status.get', undefined);
    expect(r).toMatchObject({ ok: true, value: { nodeId: node.identity.nodeId } });
  });

  it('tails logs with filters', async () => {
    node.log.scope('test-source').warn('a warning line');
    node.log.scope('other').info('an info line');
    const r = await node.call('logs.tail', { levels: ['warn'], source: 'test-source' });
    expect(r.ok).toBe(true);
    if (r.ok) {
      const v = r.value;
      expect(v.lines.map((l) => l.message)).toEqual(['a warning line']);
      expect(v.sources).toContain('other');
    }
  });
});
