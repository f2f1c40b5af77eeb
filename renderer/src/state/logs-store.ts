import { create } from 'zustand';
import type { LogLine } from '../../../preload/contract';

interface LogsState {
  lines: LogLine[];
  sources: string[];
  capacity: number;
  /** Replace everything (first load, or after a reconnect when ids may have restarted). */
  replace(lines: LogLine[], sources: string[]): void;
  append(line: LogLine): void;
  setCapacity(n: number): void;
}

const trim = (lines: LogLine[], cap: number) => (lines.length > cap ? lines.slice(lines.length - cap) : lines);

/** Recent node log lines, capped at the node's own buffer size (settings.logBufferLines). */
export const useLogsStore = create<LogsState>((set) => ({
  lines: [],
  sources: [],
  capacity: 5_000,
  replace: (lines, sources) =>
    set((s) => {
      // Keep live lines that arrived while the tail request was in flight (newer id and time).
      const last = lines[lines.length - 1];
      const newer = last ? s.lines.filter((l) => l.id > last.id && l.ts >= last.ts) : [];
      const all = [...sources, ...newer.map((l) => l.source)];
      return { lines: trim([...lines, ...newer], s.capacity), sources: [...new Set(all)].sort() };
    }),
  append: (line) =>
    set((s) => {
      const last = s.lines[s.lines.length - 1];
      // The tail and the live stream overlap briefly after a (re)load; ids are increasing.
      if (last && line.id <= last.id) return {};
      const sources = s.sources.includes(line.source) ? s.sources : [...s.sources, line.source].sort();
      return { lines: trim([...s.lines, line], s.capacity), sources };
    }),
  setCapacity: (capacity) => set((s) => ({ capacity, lines: trim(s.lines, capacity) })),
}));
