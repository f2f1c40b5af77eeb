import type { Cell } from '../store/sync-table.js';
import type { MirrorTable } from './schema.js';

const escapeText = (s: string): string =>
  /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;

function cellText(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return String(v);
  }
  return escapeText(v);
}

/**
 * SQLite page rows as COPY text format (tab-separated, `\N` for null), in the mirror table's
 * column order (times stay epoch ms: the staging table holds them as bigint). JavaScript's shortest round-trip number text parses back to the same double.
 */
export function copyText(t: MirrorTable, rows: readonly Cell[][]): string {
  const lines: string[] = new Array<string>(rows.length);
  const n = t.columns.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let line = '';
    for (let i = 0; i < n; i++) {
      if (i > 0) line += '\t';
      line += cellText(row[t.sourceIndex[i]!] ?? null);
    }
    lines[r] = line;
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
