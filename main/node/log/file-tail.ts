import fs from 'node:fs';
import type { LogLevel, LogLine } from '../../../preload/contract/core.js';

/** The file transport's line format: `[YYYY-MM-DD HH:MM:SS.mmm] [level] (source) text`, in local time. */
export const LOG_FILE_FORMAT = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}] {scope} {text}';
const HEADER = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\] \[(\w+)\]\s+(?:\(([^)]*)\)\s+)?(.*)$/;
const LEVELS = new Set<string>(['error', 'warn', 'info', 'debug']);

/**
 * The last lines of a previous run's log file, parsed back into log lines, so the Logs screen
 * shows what happened before a restart or a crash. Lines that do not start with a header (stack
 * traces) belong to the line before them. Reads at most `maxBytes` from the end of the file.
 */
export function readLogTail(file: string, maxLines: number, maxBytes = 512 * 1024): Omit<LogLine, 'id'>[] {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(0, size - maxBytes);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      text = buf.toString('utf8');
      // Reading from the middle of the file starts inside a line: drop that fragment.
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return []; // no log yet (first run) or unreadable: nothing to show, nothing to fail
  }
  const out: Omit<LogLine, 'id'>[] = [];
  for (const raw of text.split('\n')) {
    const m = HEADER.exec(raw);
    if (m) {
      const [, y, mo, d, h, mi, s, ms, level, source, message] = m;
      out.push({
        ts: new Date(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +ms!).getTime(),
        level: (LEVELS.has(level!) ? level : 'info') as LogLevel,
        source: source?.trim() || 'node',
        message: message!,
      });
    } else if (raw !== '' && out.length > 0) {
      out[out.length - 1]!.message += `\n${raw}`;
    }
  }
  return out.slice(-maxLines);
}
