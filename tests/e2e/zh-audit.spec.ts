import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { DAY_MS, dayOf } from '../../preload/contract/grid-time.js';
import { ROOT } from '../helpers/headless.js';
import { expect, test } from './fixtures.js';

test.use({ nodeArgs: ['--simulate'] });

/** Every screen and sync tab (renderer/src/screens/registry.ts), by its route. */
const ROUTES = ['overview', 'coin/BTC', 'sum', 'history', 'backfill', 'sync/sender', 'sync/receiver', 'sync/catalog', 'logs', 'settings'];
const SCREENS_DIR = path.join(ROOT, 'test-results', 'screens');

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

/** The visible text of the page, without the node's own log lines and machine values (names, ids, paths). */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    if (!(clone instanceof HTMLElement)) return '';
    // lang="en": the node's log messages; translate="no" and .mono: names, ids, paths and codes.
    for (const el of clone.querySelectorAll('[lang="en"], [translate="no"], .mono, script, style')) el.remove();
    // innerText needs layout: measure the clone in place, off-screen.
    clone.style.position = 'absolute';
    clone.style.left = '-100000px';
    document.documentElement.appendChild(clone);
    const text = clone.innerText;
    clone.remove();
    return text;
  });
}

function latinWords(text: string): string[] {
  const stripped = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ') // URLs
    .replace(/(^|\s)[~.]?\/\S*/g, ' ') // paths
    .replace(/#token=\S+/g, ' ')
    .replace(/--[a-z][\w-]*/g, ' ') // command-line flags: --data-dir
    .replace(/\b[\w.-]+\.(?:db|json|log|csv|png|sqlite)\b/gi, ' ') // file names
    .replace(/\b[A-Za-z]*\d[\w.:-]*/g, ' '); // codes and numbers with letters: PT002, 1H, v0.1.0, 10ms
  return [...stripped.matchAll(/[A-Za-z]+/g)].map((m) => m[0]).filter((w) => !ALLOWED.has(w.toLowerCase()));
}

async function visit(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => (window.location.hash = `#/${r}`), route);
  await expect(page.getByTestId('screen-title')).toBeVisible();
  // Let the screen's first calls and live events paint.
  await page.waitForTimeout(1_500);
}

test('zh-CN: every screen shows Chinese only (apart from codes, coins and units); screenshots in both languages', async ({ ui: page }) => {
  test.setTimeout(120_000);
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  for (const route of ROUTES) {
    await visit(page, route);
    await page.screenshot({ path: path.join(SCREENS_DIR, `en-${route.replace('/', '-')}.png`), fullPage: true });
  }

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const found: Record<string, string[]> = {};
  for (const route of ROUTES) {
    await visit(page, route);
    await page.screenshot({ path: path.join(SCREENS_DIR, `zh-CN-${route.replace('/', '-')}.png`), fullPage: true });
    const words = [...new Set(latinWords(await visibleText(page)))];
    if (words.length > 0) found[route] = words;
  }
  expect(found, 'Latin words on zh-CN screens').toEqual({});
});

test('zh-CN conventions: component lines, bar names, tick decimals, tabular digits, red up by default and switchable', async ({
  ui: page,
}) => {
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('overview-components')).toContainText('采集器 · 行情 WS，K线 WS', { timeout: 15_000 });
  await expect(page.getByTestId('overview-components')).toContainText('个币种实时更新');
  // TON's tick is 0.001: three decimals, trailing zeros kept; digits are tabular.
  const ton = page.getByTestId('coin-row-TON').locator('td').nth(1);
  await expect(ton).toHaveText(/^\d+\.\d{3}$/, { timeout: 15_000 });
  expect(await ton.evaluate((el) => getComputedStyle(el).fontVariantNumeric)).toBe('tabular-nums');
  await expect(page.getByTestId('statusbar')).toContainText('运行时长：');
  await expect(page.getByTestId('statusbar')).toContainText('UTC+8');

  const upColour = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--rise').trim());
  await expect(page.locator('html')).toHaveAttribute('data-updown', 'red-up');
  const red = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--down').trim());
  expect(await upColour()).toBe(red);

  await page.evaluate(() => (window.location.hash = '#/backfill'));
  const bars = page.getByTestId('bf-barsize');
  await expect(bars.locator('option[value="1H"]')).toHaveText('1小时');
  await expect(bars.locator('option[value="1D"]')).toHaveText('日线');
  await expect(bars.locator('option[value="30m"]')).toHaveText('30分钟');

  await page.evaluate(() => (window.location.hash = '#/settings'));
  await page.getByTestId('settings-updown').selectOption('green-up');
  await expect(page.locator('html')).toHaveAttribute('data-updown', 'green-up');
  await page.reload();
  await expect(page.getByTestId('settings-updown')).toHaveValue('green-up');
  await expect(page.locator('html')).toHaveAttribute('data-updown', 'green-up');
});

test('zh-CN error states: a refused backfill, a bad setting and an unreachable peer say it in Chinese', async ({ ui: page }) => {
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const states: Record<string, string[]> = {};
  const audit = async (name: string) => {
    await page.screenshot({ path: path.join(SCREENS_DIR, `zh-CN-error-${name}.png`), fullPage: true });
    const words = [...new Set(latinWords(await visibleText(page)))];
    if (words.length > 0) states[name] = words;
  };

  await visit(page, 'backfill');
  await page.getByTestId('bf-from').fill(dayOf(Date.now() + 5 * DAY_MS));
  await page.getByTestId('bf-to').fill(dayOf(Date.now() + 6 * DAY_MS));
  await page.getByTestId('bf-start').click();
  await expect(page.getByTestId('bf-error')).toContainText('UTC+8');
  await audit('backfill-future');

  await visit(page, 'sync/receiver');
  await page.getByTestId('peer-add').click();
  const dialog = page.getByTestId('peer-dialog');
  await dialog.getByTestId('peer-name').fill('Desk B');
  await dialog.getByTestId('peer-url').fill('http://127.0.0.1:1');
  await dialog.getByTestId('peer-token').fill('some-token');
  await dialog.getByTestId('peer-test').click();
  await expect(dialog.getByTestId('peer-test-result')).toHaveAttribute('data-outcome', 'unreachable', { timeout: 15_000 });
  await audit('peer-unreachable');
  await page.keyboard.press('Escape');

  await visit(page, 'settings');
  // Simulated mode hides the exchange hosts; the log buffer size is a field every mode shows.
  await page.locator('#f-logBufferLines').fill('5');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-error')).toContainText('未保存');
  await audit('settings-bad-url');

  expect(states, 'Latin words in zh-CN error states').toEqual({});
});
