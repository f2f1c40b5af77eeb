import { stringify } from 'csv-stringify/sync';
import type { CsvFile, CsvKind, CsvLang, MissingReason } from '../../../preload/contract/market.js';
import { HandlerError } from '../../../preload/contract/result.js';
import { compactDay, dayOf, formatTime } from '../market/grid-time.js';
import type { MarketQueries } from '../market/queries.js';
import { yieldToLoop } from '../timing/yield.js';

/** The UTF-8 byte order mark: Excel reads a CSV as UTF-8 only when it starts with it. */
export const BOM = '\uFEFF';
/** Decimals written for change % and sums; prices are written as stored (shortest exact form). */
export const PCT_DECIMALS = 6;

export interface CsvRequest {
  kind: CsvKind;
  from: number;
  to: number;
  lang: CsvLang;
  /** Only these coins ("full" and "missing"); undefined means all. */
  coins?: readonly string[] | undefined;
}

/** Column headers the trader's spreadsheets expect, in both languages (pinned by tests/integration/market-handlers.test.ts). */
const HEADERS = {
  full: {
    en: ['date', 'time', 'timestamp', 'coin', 'baseline', 'price', 'change %'],
    'zh-CN': ['日期', '时间', '时间戳', '币种', '基准价格', '当前价格', '涨跌幅'],
  },
  sum: {
    en: ['date', 'time', 'timestamp', 'sum', 'coins covered', 'coins total'],
    'zh-CN': ['日期', '时间', '时间戳', '涨跌幅总和', '覆盖币种数', '币种总数'],
  },
  missing: {
    en: ['date', 'time', 'coin', 'reason'],
    'zh-CN': ['日期', '时间', '币种', '原因'],
  },
} as const;

/** Reasons of the missing list as words, in both languages. */
const REASONS: Record<CsvLang, Record<MissingReason, string>> = {
  en: {
    not_listed: 'not listed yet',
    no_candle: 'no candle at the exchange',
    queued: 'request failed, queued for retry',
    not_collected: 'not collected yet',
    future: 'in the future',
    disputed: 'sources disagree, not decided yet',
  },
  'zh-CN': {
    not_listed: '尚未上市',
    no_candle: '交易所无K线',
    queued: '请求失败，已加入重试队列',
    not_collected: '尚未采集',
    future: '尚未到达',
    disputed: '来源数据不一致，尚未裁定',
  },
};

/** Where kinds other than the market's own come from (the backfill's missing list). */
export interface CsvSources {
  missing?: (from: number, to: number) => { ts: number; coin: string; reason: MissingReason }[];
}

/** Fixed decimals, and never "-0.000000" for a value that rounds to zero. */
export function formatPct(v: number | null): string {
  if (v === null) return '';
  const s = v.toFixed(PCT_DECIMALS);
  return Number(s) === 0 ? (0).toFixed(PCT_DECIMALS) : s;
}

const num = (v: number | null): string => (v === null ? '' : String(v));

/** Days per chunk of work between two yields to the event loop (about 1,300 rows per day). */
const FULL_CHUNK_MS = 86_400_000;
/** Range per chunk of the sum export (10 days, 480 points). */
const SUM_CHUNK_MS = 10 * 86_400_000;

/**
 * Builds a CSV as one string (BOM first) so IPC and HTTP can both deliver it and the renderer
 * turns it into a download. Dates and times are UTC+8; the timestamp column is UTC epoch ms.
 * Long ranges are read and formatted a chunk at a time, yielding in between, so a year-long
 * export (~40 MB) never blocks the collectors for more than one chunk.
 */
export async function buildCsv(queries: MarketQueries, req: CsvRequest, sources: CsvSources = {}): Promise<CsvFile> {
  const range = `${compactDay(req.from)}-${compactDay(req.to - 1)}`;
  const only = req.coins ? new Set(req.coins) : null;
  const wanted = (coin: string) => only === null || only.has(coin);
  switch (req.kind) {
    case 'full': {
      const parts: string[] = [];
      let rows = 0;
      for (let a = req.from; a < req.to; a += FULL_CHUNK_MS) {
        const all = queries.gridRows(a, Math.min(req.to, a + FULL_CHUNK_MS));
        const chunk = only === null ? all : all.filter((r) => wanted(r.coin));
        let lastTs = -1;
        let date = '';
        let time = '';
        const cells = chunk.map((r) => {
          if (r.ts !== lastTs) [lastTs, date, time] = [r.ts, dayOf(r.ts), formatTime(r.ts)];
          return [date, time, String(r.ts), r.coin, num(r.baseline), num(r.price), formatPct(r.changePct)];
        });
        if (cells.length > 0) parts.push(stringify(cells, CSV_OPTS));
        rows += cells.length;
        await yieldToLoop();
      }
      return file(`coin-prices-full_${range}.csv`, HEADERS.full[req.lang], parts, rows);
    }
    case 'sum': {
      const parts: string[] = [];
      let rows = 0;
      for (let a = req.from; a < req.to; a += SUM_CHUNK_MS) {
        const cells = queries
          .sumSeries(a, Math.min(req.to, a + SUM_CHUNK_MS))
          .points.map((p) => [dayOf(p.ts), formatTime(p.ts), String(p.ts), formatPct(p.sum), String(p.covered), String(p.total)]);
        if (cells.length > 0) parts.push(stringify(cells, CSV_OPTS));
        rows += cells.length;
        await yieldToLoop();
      }
      return file(`coin-sum_${range}.csv`, HEADERS.sum[req.lang], parts, rows);
    }
    case 'missing': {
      if (!sources.missing)
        throw new HandlerError('unavailable', 'The missing-cells export needs the backfill service, which this node was built without.', {
          reason: 'export.no_backfill',
        });
      const r = REASONS[req.lang];
      const cells = sources
        .missing(req.from, req.to)
        .filter((m) => wanted(m.coin))
        .map((m) => [dayOf(m.ts), formatTime(m.ts), m.coin, r[m.reason]]);
      const parts = cells.length > 0 ? [stringify(cells, CSV_OPTS)] : [];
      return file(`missing-data_${range}.csv`, HEADERS.missing[req.lang], parts, cells.length);
    }
    default: {
      const never: never = req.kind;
      throw new HandlerError('bad_input', `Unknown CSV kind "${String(never)}".`);
    }
  }
}

// CRLF: what Excel writes and expects.
const CSV_OPTS = { record_delimiter: 'windows' } as const;

function file(filename: string, header: readonly string[], parts: string[], rows: number): CsvFile {
  const content = BOM + stringify([[...header]], CSV_OPTS) + parts.join('');
  return { filename, mime: 'text/csv;charset=utf-8', content, rows };
}
