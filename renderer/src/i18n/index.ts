import { useCallback } from 'react';
import { useSettingsStore } from '../state/settings-store';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey } from './en';
export type Locale = 'en' | 'zh-CN';

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** `system` follows the browser: any zh* language reads Simplified Chinese, everything else English. */
export function resolveLocale(language: 'system' | Locale | undefined, navigatorLanguage = navigator.language): Locale {
  if (language === 'en' || language === 'zh-CN') return language;
  return /^zh\b/i.test(navigatorLanguage) ? 'zh-CN' : 'en';
}

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[locale][key] ?? en[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export type TFunction = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function useLocale(): Locale {
  return useSettingsStore((s) => resolveLocale(s.settings?.language));
}

export function useT(): TFunction {
  const locale = useLocale();
  return useCallback((key, vars) => translate(locale, key, vars), [locale]);
}
