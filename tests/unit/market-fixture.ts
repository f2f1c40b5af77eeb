import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus } from '../../main/node/events/bus.js';
import type { Logger } from '../../main/node/log/logger.js';
import { Store } from '../../main/node/store/store.js';

/** A real SQLite store in a fresh temp folder. */
export function openTempStore(): { store: Store; dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-market-'));
  const store = Store.open(dir);
  return {
    store,
    dir,
    cleanup() {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A logger that keeps its lines, so tests can check what was warned. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const put =
    (level: string) =>
    (...a: unknown[]) =>
      void lines.push(`${level}: ${a.map(String).join(' ')}`);
  return { lines, error: put('error'), warn: put('warn'), info: put('info'), debug: put('debug') };
}

export function newBus(): EventBus {
  return new EventBus();
}

/**
 * An arbitrary but deterministic price path, independent of the code under test: each coin has
 * its own level and phase. Values are rounded to 4 decimals like exchange prices.
 */
export function pricePath(coin: string, ts: number): number {
  let h = 0;
  for (const ch of coin) h = (h * 31 + ch.charCodeAt(0)) % 997;
  const level = 1 + (h % 500);
  const v = level * (1 + 0.04 * Math.sin(ts / 3_700_000 + h) + 0.01 * Math.cos(ts / 611_000));
  return Math.round(v * 10_000) / 10_000;
}

/** 00:00 UTC+8 of 2026-01-16, written out by hand (16:00 UTC the day before). */
export const JAN16 = Date.UTC(2026, 0, 15, 16, 0, 0);
export const HALF_HOUR = 30 * 60 * 1000;
