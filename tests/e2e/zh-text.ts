/** What the zh-CN audits read: a page's visible UI text and the Latin words in it that are not allowed. */
import type { Page } from '@playwright/test';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';

/**
 * Latin words a Chinese screen may show: coins, exchange and protocol names, file formats, units
 * and abbreviations traders read as they are. Words with digits (PT002, 1H, v0.1.0) are codes and
 * are dropped before the check, as are URLs, paths and addresses.
 */
const ALLOWED = new Set(
  [
    ...DEFAULT_COINS,
    ...['UTC', 'OKX', 'URL', 'CSV', 'WS', 'REST', 'IP', 'CIDR', 'ID', 'TLS', 'HTTP', 'HTTPS', 'USDT', 'API', 'SHA', 'LAN'],
    ...['WebSocket', 'OHLC', 'English', 'GET', 'POST', 'K'], // K线 is the Chinese word for a candle
    ...['PostgreSQL', 'TimescaleDB', 'Grafana'], // product names, as Chinese users write them
    ...['Authorization', 'Bearer', 'Retry', 'After'], // HTTP headers a peer sends or gets, as written
    ...['ms', 's', 'm', 'h', 'd', 'B', 'KB', 'MB', 'GB', 'kB'],
  ].map((w) => w.toLowerCase()),
);

/**
 * The visible text of the page (or of the element with `testId`), without the node's own log lines
 * and machine values (names, ids, paths).
 */
export async function visibleText(page: Page, testId?: string): Promise<string> {
  const root = testId ? page.getByTestId(testId) : page.locator('body');
  return root.evaluate((el) => {
    const clone = el.cloneNode(true);
    if (!(clone instanceof HTMLElement)) return '';
    // lang="en": the node's log messages; translate="no" and .mono: names, ids, paths and codes.
    for (const x of clone.querySelectorAll('[lang="en"], [translate="no"], .mono, script, style')) x.remove();
    // innerText needs layout: measure the clone in place, off-screen.
    clone.style.position = 'absolute';
    clone.style.left = '-100000px';
    document.documentElement.appendChild(clone);
    const text = clone.innerText;
    clone.remove();
    return text;
  });
}

export function latinWords(text: string): string[] {
  const stripped = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ') // URLs
    .replace(/(^|\s)[~.]?\/\S*/g, ' ') // paths
    .replace(/#token=\S+/g, ' ')
    .replace(/--[a-z][\w-]*/g, ' ') // command-line flags: --data-dir
    .replace(/\b[\w.-]+\.(?:db|json|log|csv|png|sqlite)\b/gi, ' ') // file names
    .replace(/\b[A-Za-z]*\d[\w.:-]*/g, ' ') // codes and numbers with letters: PT002, 1H, v0.1.0, 10ms
    .replace(/“[^”\u3400-\u9fff]*”/g, ' '); // what the user typed, quoted back: “NOPE!” is not a dataset code
  return [...stripped.matchAll(/[A-Za-z]+/g)].map((m) => m[0]).filter((w) => !ALLOWED.has(w.toLowerCase()));
}
