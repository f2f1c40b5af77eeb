import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

/** The glossary's table: `| concept | en | zh-CN | not (zh-CN) |`, the last cell comma-separated. */
function forbiddenVariants(): { term: string; variant: string }[] {
  const md = readFileSync(new URL('../../renderer/src/i18n/glossary.md', import.meta.url), 'utf8');
  const rows = md.split('\n').filter((l) => l.startsWith('|') && !l.startsWith('| ---') && !l.startsWith('| concept'));
  return rows.flatMap((row) => {
    const cells = row.split('|').map((c) => c.trim());
    const term = cells[3] ?? '';
    const nots = (cells[4] ?? '').split(',').map((v) => v.trim());
    return nots.filter((v) => v.length > 0).map((variant) => ({ term, variant }));
  });
}

/** Placeholders stand in as a Latin letter, so '{host}:{port}' reads as host:port, not as a colon after Chinese. */
const words = (s: string) => s.replace(/\{\w+\}/g, 'x');
const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef';
const entries = Object.entries(zhCN);

describe('zh-CN strings', () => {
  it('has exactly the English keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses no half-width colon between Chinese text', () => {
    const re = new RegExp(`[${CJK}]\\s*:|:\\s*[${CJK}]`, 'u');
    expect(entries.filter(([, v]) => re.test(words(v)))).toEqual([]);
  });

  it('uses no half-width comma, semicolon or parenthesis next to Chinese', () => {
    const re = new RegExp(`[${CJK}]\\s*[,;()]|[,;()]\\s*[${CJK}]`, 'u');
    expect(entries.filter(([, v]) => re.test(words(v)))).toEqual([]);
  });

  it('uses no backticks (markup does not render)', () => {
    expect(entries.filter(([, v]) => v.includes('`'))).toEqual([]);
    expect(Object.entries(en).filter(([, v]) => String(v).includes('`'))).toEqual([]);
  });

  it('uses one term per concept (glossary.md)', () => {
    const variants = forbiddenVariants();
    expect(variants.length).toBeGreaterThan(10);
    const bad = entries.flatMap(([k, v]) => variants.filter((f) => v.includes(f.variant)).map((f) => `${k}: ${f.variant} → ${f.term}`));
    expect(bad).toEqual([]);
  });
});
