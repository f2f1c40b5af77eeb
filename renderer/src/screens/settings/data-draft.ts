/**
 * Settings › Data as the form holds it (numbers stay text while typed), the patch it sends, and
 * which input an issue belongs to. Pure, for tests/unit/data-settings-draft.test.ts.
 */
import {
  CANDLE_BARS,
  InitialWindowsSchema,
  RetentionSchema,
  StreamsSchema,
  type CandleBar,
  type FieldIssue,
  type Settings,
} from '../../../../preload/contract';
import { z } from 'zod';

/** The on/off streams besides the candle timeframes, in the order the form lists them. */
export const STREAM_FLAGS = ['markPrice', 'fundingRate', 'openInterest', 'books5', 'liquidations', 'swapTickers'] as const;
export type StreamFlag = (typeof STREAM_FLAGS)[number];

/** Datasets with a retention window; the latest-only ones (OB005, OKX001) hold one row per coin and are never pruned. */
export const RETENTION_CODES = ['KL001', 'KL005', 'KL015', 'KL030', 'KL060', 'KL240', 'KLD01', 'MP001', 'FR001', 'OI001', 'LQ001'] as const;
export type RetentionCode = (typeof RETENTION_CODES)[number];

export const INITIAL_BARS = ['1m', '5m', '1H', '1D'] as const;
export type InitialBar = (typeof INITIAL_BARS)[number];

export interface DataDraft {
  candles: CandleBar[];
  flags: Record<StreamFlag, boolean>;
  /** Days as typed; '' keeps the dataset forever. */
  retention: Record<RetentionCode, string>;
  initialWindows: Record<InitialBar, string>;
}

const record = <K extends string, V>(keys: readonly K[], f: (k: K) => V): Record<K, V> =>
  Object.fromEntries(keys.map((k) => [k, f(k)])) as Record<K, V>;

export function dataDraftOf(s: Settings): DataDraft {
  return {
    candles: CANDLE_BARS.filter((b) => s.streams.candles.includes(b)),
    flags: record(STREAM_FLAGS, (f) => s.streams[f]),
    retention: record(RETENTION_CODES, (c) => {
      const days = s.retention[c];
      return days === null || days === undefined ? '' : String(days);
    }),
    initialWindows: record(INITIAL_BARS, (b) => String(s.initialWindows[b])),
  };
}

/** A typed number as a number; anything else as typed, so the schema (the node's rules) says what is wrong. */
const numberOr = (text: string): number | string => {
  const v = text.trim();
  return v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
};

export interface DataPatch {
  streams: unknown;
  retention: unknown;
  initialWindows: unknown;
}

/** The settings.update patch; retention of datasets this form does not list is kept as saved. */
export function dataPatchOf(d: DataDraft, saved: Settings): DataPatch {
  return {
    streams: { candles: d.candles, ...d.flags },
    retention: { ...saved.retention, ...record(RETENTION_CODES, (c) => (d.retention[c].trim() === '' ? null : numberOr(d.retention[c]))) },
    initialWindows: record(INITIAL_BARS, (b) => numberOr(d.initialWindows[b])),
  };
}

/** The part of the settings schema this form edits: checked as typed with the node's own rules. */
export const DataSchema = z.object({ streams: StreamsSchema, retention: RetentionSchema, initialWindows: InitialWindowsSchema });

/** The input an issue's path points at: 'retention.KL001', 'initialWindows.1m', 'streams'; the node's answers start with 'patch'. */
export function dataFieldOf(path: readonly (string | number)[]): string | null {
  const p = path[0] === 'patch' ? path.slice(1) : path;
  if (p[0] === 'streams') return 'streams';
  if ((p[0] === 'retention' || p[0] === 'initialWindows') && typeof p[1] === 'string') return `${p[0]}.${p[1]}`;
  return null;
}

/** An issue named by its section (Days kept / Initial history): the input it sits under names the dataset. */
export const sectionIssue = (i: FieldIssue): FieldIssue => ({ ...i, path: i.path.filter((p) => p !== 'patch').slice(0, 1) });

export const sameDraft = (a: DataDraft, b: DataDraft) => JSON.stringify(a) === JSON.stringify(b);
