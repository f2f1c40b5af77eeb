import { describe, expect, it } from 'vitest';
import { SettingsSchema, issuesOf } from '../../preload/contract.js';
import { check } from '../../renderer/src/lib/errors.js';
import { translate } from '../../renderer/src/i18n/index.js';
import { issueSentence } from '../../renderer/src/lib/errors.js';
import { dataDraftOf, dataFieldOf, dataPatchOf, DataSchema, sectionIssue } from '../../renderer/src/screens/settings/data-draft.js';

const defaults = SettingsSchema.parse({});

describe('Settings › Data draft', () => {
  it('holds the defaults: every stream on, 1m 30 days, 5m 180 days, the rest forever', () => {
    const d = dataDraftOf(defaults);
    expect(d.candles).toEqual(['1m', '5m', '15m', '30m', '1H', '4H', '1D']);
    expect(Object.values(d.flags).every(Boolean)).toBe(true);
    expect(d.retention.KL001).toBe('30');
    expect(d.retention.KL005).toBe('180');
    expect(d.retention.KL060).toBe('');
    expect(d.initialWindows).toEqual({ '1m': '1', '5m': '1', '1H': '7', '1D': '30' });
  });

  it('sends a patch the settings schema accepts, empty retention as forever, unlisted datasets kept', () => {
    const saved = SettingsSchema.parse({ retention: { KL001: 30, PT002: 400 } });
    const d = dataDraftOf(saved);
    d.candles = ['1m', '1H'];
    d.flags.books5 = false;
    d.retention.KL001 = '';
    d.retention.KL060 = '365';
    d.initialWindows['1H'] = '14';
    const patch = dataPatchOf(d, saved);
    expect(check(DataSchema, patch)).toEqual([]);
    const next = SettingsSchema.parse({ ...saved, ...patch });
    expect(next.streams.candles).toEqual(['1m', '1H']);
    expect(next.streams.books5).toBe(false);
    expect(next.retention.KL001).toBeNull();
    expect(next.retention.KL060).toBe(365);
    expect(next.retention.PT002).toBe(400);
    expect(next.initialWindows['1H']).toBe(14);
  });

  it('names the input of a bad value and says it in both languages', () => {
    const d = dataDraftOf(defaults);
    d.retention.KL005 = '0';
    d.initialWindows['1m'] = '2.5';
    const issues = check(DataSchema, dataPatchOf(d, defaults));
    expect(issues.map((i) => dataFieldOf(i.path)).sort()).toEqual(['initialWindows.1m', 'retention.KL005']);
    const retention = issues.find((i) => dataFieldOf(i.path) === 'retention.KL005')!;
    const en = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en', k, v);
    const zh = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('zh-CN', k, v);
    expect(issueSentence(en, sectionIssue(retention))).toBe('Days kept must be at least 1.');
    expect(issueSentence(zh, sectionIssue(retention))).toBe('“保留天数”不能小于 1。');
    // The node answers with the patch's path: the same input.
    expect(dataFieldOf(['patch', 'initialWindows', '1m'])).toBe('initialWindows.1m');
    expect(dataFieldOf(['coins'])).toBeNull();
  });

  it('refuses a timeframe listed twice, as the node would', () => {
    const d = dataDraftOf(defaults);
    const patch = { ...dataPatchOf(d, defaults), streams: { candles: ['1m', '1m'] } };
    const r = DataSchema.safeParse(patch);
    expect(r.success).toBe(false);
    if (!r.success) expect(issuesOf(r.error, patch).map((i) => dataFieldOf(i.path))).toEqual(['streams']);
  });
});
