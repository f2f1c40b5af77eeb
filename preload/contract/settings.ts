import { z } from 'zod';
import { CoinSymbol, DEFAULT_COINS } from './coins.js';
import { because } from './issues.js';
import { InitialWindowsSchema, RetentionSchema, StreamsSchema } from './data-settings.js';
import { SourceOrderSchema } from './source-order.js';

const httpUrl = z
  .string()
  .trim()
  .refine((s) => /^https?:\/\/[^\s/]+/.test(s) && URL.canParse(s), because('http_url', 'must be an http:// or https:// URL'));
const wsUrl = z
  .string()
  .trim()
  .refine((s) => /^wss?:\/\/[^\s/]+/.test(s) && URL.canParse(s), because('ws_url', 'must be a ws:// or wss:// URL'));

export const ExchangeHostsSchema = z
  .object({
    rest: httpUrl.default('https://www.okx.com'),
    wsPublic: wsUrl.default('wss://ws.okx.com:8443/ws/v5/public'),
    wsBusiness: wsUrl.default('wss://ws.okx.com:8443/ws/v5/business'),
  })
  .strict();

/** The UI language setting: a locale, or follow the system's. */
export const LanguageSchema = z.enum(['system', 'en', 'zh-CN']);

/**
 * The one settings schema. Defaults live here; the store persists each top-level field as a row,
 * and every write is validated against this whole object before it is committed.
 */
export const SettingsSchema = z
  .object({
    language: LanguageSchema.default('system'),
    coins: z
      .array(CoinSymbol)
      .min(1, 'choose at least one coin')
      .max(100, 'at most 100 coins')
      .refine((c) => new Set(c).size === c.length, because('coins_duplicate', 'a coin is listed twice'))
      .default([...DEFAULT_COINS]),
    exchange: ExchangeHostsSchema.default(ExchangeHostsSchema.parse({})),
    nodeName: z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters').default('Coin Sync Node'),
    closeToTray: z.boolean().default(true),
    startAtLogin: z.boolean().default(false),
    notifications: z.boolean().default(true),
    /** How many log lines the UI keeps in memory and `logs.tail` can return. */
    logBufferLines: z.number().int().min(100).max(100_000).default(5_000),
    /** Resume a backfill job interrupted by a crash or quit when the node starts. */
    backfillResumeOnStart: z.boolean().default(true),
    /** Two sources disagree on a candle when their opens differ by more than this percent (0 = any difference). */
    disputeTolerancePct: z.number().min(0, 'must be 0 or more').max(10, 'at most 10 (%)').default(0),
    /** Settings › Data: streams on/off, retention per dataset, initial history per timeframe. */
    streams: StreamsSchema.default(StreamsSchema.parse({})),
    retention: RetentionSchema,
    initialWindows: InitialWindowsSchema.default(InitialWindowsSchema.parse({})),
    /** Settings › Sources: the order of peers and exchange hosts, each on or off (source-order.ts). */
    sourceOrder: SourceOrderSchema.default([]),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsKey = keyof Settings;

/** A partial update: top-level fields replace the stored ones; `exchange` may be partial. */
export const SettingsPatchSchema = z
  .object({
    language: z.unknown(),
    coins: z.unknown(),
    exchange: z.record(z.string(), z.unknown()),
    nodeName: z.unknown(),
    closeToTray: z.unknown(),
    startAtLogin: z.unknown(),
    notifications: z.unknown(),
    logBufferLines: z.unknown(),
    backfillResumeOnStart: z.unknown(),
    disputeTolerancePct: z.unknown(),
    streams: z.unknown(),
    retention: z.unknown(),
    initialWindows: z.unknown(),
    sourceOrder: z.unknown(),
  })
  .partial()
  .strict();
export type SettingsPatch = Partial<{ [K in SettingsKey]: K extends 'exchange' ? Partial<Settings['exchange']> : Settings[K] }>;
