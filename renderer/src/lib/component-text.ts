import type { ComponentStatus } from '../../../preload/contract';
import type { MessageKey, TFunction } from '../i18n';
import { en } from '../i18n/en';

const hasKey = (k: string): k is MessageKey => Object.hasOwn(en, k);

/** A component or log source ('collector', 'receiver:nas') in the UI language; an unknown one stays as the node names it. */
export function sourceName(t: TFunction, source: string): string {
  const m = /^([a-z]+)(.*)$/.exec(source);
  const key = `comp.name.${m?.[1] ?? source}`;
  return m && hasKey(key) ? `${t(key)}${m[2]}` : source;
}

/** A component's status line in the UI language, from its text key; the node's English detail when it has none. */
export function componentDetail(t: TFunction, c: ComponentStatus): string | undefined {
  const key = c.text ? `comp.${c.text.key}` : '';
  if (!c.text || !hasKey(key)) return c.detail;
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(c.text.params ?? {})) {
    const word = `comp.v.${v}`;
    params[k] = typeof v === 'string' && hasKey(word) ? t(word) : v;
  }
  return t(key, params);
}
