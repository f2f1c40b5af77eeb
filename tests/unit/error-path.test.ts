import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_REASONS, issuesOf, SenderConfigPatchSchema, SettingsSchema, type ApiError } from '../../preload/contract.js';
import { createNode } from '../../main/node/create-node.js';
import { ApiCallError } from '../../renderer/src/bridge/use-call.js';
import { translate, type Locale, type MessageKey } from '../../renderer/src/i18n/index.js';
import { en } from '../../renderer/src/i18n/en.js';
import { zhCN } from '../../renderer/src/i18n/zh-CN.js';
import { describeError } from '../../renderer/src/lib/errors.js';
import { tempDataDir } from '../helpers/headless.js';

const dir = tempDataDir('csn-errors-');
const node = createNode({ dataDir: dir, mode: 'headless', version: 'test' });
afterAll(async () => {
  await node.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const say = (locale: Locale, error: ApiError) => describeError((k, v) => translate(locale, k, v), locale, new ApiCallError(error));

async function refusal(name: string, input: unknown): Promise<ApiError> {
  const r = await node.dispatch(name, input);
  if (r.ok) throw new Error(`${name} accepted ${JSON.stringify(input)}`);
  return r.error;
}

describe('one error path: a reason and parameters, said in the UI language', () => {
  it('every reason has a sentence in both languages', () => {
    for (const r of ERROR_REASONS) {
      expect(Object.hasOwn(en, `err.${r}`), r).toBe(true);
      expect(zhCN[`err.${r}` as MessageKey], r).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('turns schema problems into reasons with the values a sentence needs', () => {
    const r = SettingsSchema.safeParse({ logBufferLines: 5, coins: ['BTC', 'NOTACOIN!!'] });
    expect(r.success).toBe(false);
    const issues = issuesOf(r.error!, { logBufferLines: 5, coins: ['BTC', 'NOTACOIN!!'] });
    expect(issues).toContainEqual(
      expect.objectContaining({ path: ['logBufferLines'], reason: 'too_small', params: { value: 5, min: 100 } }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ path: ['coins', 1], reason: 'coin_symbol', params: { value: 'NOTACOIN!!', index: 2 } }),
    );
    const cidr = SenderConfigPatchSchema.safeParse({ allowList: ['10.0.0.0/8', '999.1.1.1/40'] });
    expect(issuesOf(cidr.error!, { allowList: ['10.0.0.0/8', '999.1.1.1/40'] })[0]).toMatchObject({
      path: ['allowList', 1],
      reason: 'ip_or_cidr',
      params: { value: '999.1.1.1/40' },
    });
  });

  it('answers rejected input with field issues, and keeps an English message for scripts', async () => {
    const now = Date.now();
    const e = await refusal('backfill.start', { from: now, to: now - 86_400_000 });
    expect(e).toMatchObject({ code: 'bad_input', reason: 'invalid_input', issues: [{ path: ['to'], reason: 'range_reversed' }] });
    expect(e.message).toMatch(/to: must be later than from/);
    // The UI's sentence names no handler, no field path, and is not doubled.
    expect(say('en', e)).toBe('The end must be after the start; pick a later end date.');
    expect(say('zh-CN', e)).toBe('结束时间必须晚于开始时间，请选择更晚的结束日期。');
  });

  it('says a settings refusal per field, in Chinese without Latin words', async () => {
    const e = await refusal('settings.update', { logBufferLines: 5 });
    expect(e.issues).toHaveLength(1);
    expect(say('en', e)).toBe('Log lines kept in memory must be at least 100.');
    expect(say('zh-CN', e)).toBe('“内存中保留的日志行数”不能小于 100。');
    const unknown = await refusal('settings.update', { coins: ['BTC', 'ZZZZ9'] });
    expect(unknown.issues?.[0]).toMatchObject({ reason: 'coins_unknown', params: { coins: 'ZZZZ9' } });
  });

  it('gives handler refusals a reason of their own', async () => {
    const stop = await refusal('backfill.stop', {});
    expect(stop).toMatchObject({ code: 'conflict', reason: 'backfill.not_running' });
    expect(say('zh-CN', stop)).toBe('没有正在运行的回补任务，无需停止。');
    const missing = await refusal('sync.peer', { id: 'nope' });
    expect(missing).toMatchObject({ code: 'not_found', reason: 'peer.not_found' });
    const unknown = await refusal('no.such', {});
    expect(say('zh-CN', unknown)).not.toMatch(/no\.such/);
  });

  it('falls back to the node’s words, with the kind of failure, only for an error without a reason', () => {
    const old: ApiError = { code: 'busy', message: 'Something older said this.' };
    expect(say('en', old)).toBe('Something older said this.');
    expect(say('zh-CN', old)).toBe('正忙，请稍后再试（Something older said this.）');
  });
});
