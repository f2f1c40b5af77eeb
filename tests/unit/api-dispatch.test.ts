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

  it('treats a missing input as empty', async () => {
    const r = await node.dispatch('status.get', undefined);
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.value as { nodeId: string }).nodeId).toBe(node.identity.nodeId);
  });

  it('tails logs with filters', async () => {
    node.log.scope('test-source').warn('a warning line');
    node.log.scope('other').info('an info line');
    const r = await node.dispatch('logs.tail', { levels: ['warn'], source: 'test-source' });
    expect(r.ok).toBe(true);
    if (r.ok) {
      const v = r.value as { lines: { message: string; level: string }[]; sources: string[] };
      expect(v.lines.map((l) => l.message)).toEqual(['a warning line']);
      expect(v.sources).toContain('other');
    }
  });
});
