import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { DAY_MS, dayOf } from '../../preload/contract/grid-time.js';
import { ROOT } from '../helpers/headless.js';
import { expect, test } from './fixtures.js';
import { latinWords, visibleText } from './zh-text.js';

test.use({ nodeArgs: ['--simulate'] });

/** Every screen and sync tab (renderer/src/screens/registry.ts), by its route. */
const ROUTES = ['overview', 'coin/BTC', 'sum', 'history', 'backfill', 'sync/sender', 'sync/receiver', 'sync/catalog', 'logs', 'settings'];
const SCREENS_DIR = path.join(ROOT, 'test-results', 'screens');

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

test.describe('with a sender', () => {
  test.use({ nodeArgs: ['--simulate', '--sender-port', '0'] });

  test('zh-CN peer dialogs: add and edit a peer, pair with a sender; open, as typed and refused', async ({ ui: page, node }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('lang-zh-CN').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    const states: Record<string, string[]> = {};
    /** Only the open dialog's text: the screen behind it is audited by the test above. */
    const audit = async (name: string, testId: string) => {
      await page.screenshot({ path: path.join(SCREENS_DIR, `zh-CN-dialog-${name}.png`), fullPage: true });
      const text = await visibleText(page, testId);
      // A node's name is the user's (the default is the product's): a sentence may quote it.
      const words = [...new Set(latinWords(text.replaceAll(nodeName, ' ')))];
      if (words.length > 0) states[name] = words;
    };
    const nodeName = ((await node.current.call('settings.get', {})).body.value as { nodeName: string }).nodeName;
    const peerDialog = page.getByTestId('peer-dialog');
    const pairDialog = page.getByTestId('pair-dialog');

    await visit(page, 'sync/receiver');
    // Add a peer: open, then every field wrong as it is typed.
    await page.getByTestId('peer-add').click();
    await expect(peerDialog).toBeVisible();
    await audit('peer-add-open', 'peer-dialog');
    await peerDialog.getByTestId('peer-name').fill('Desk B');
    await peerDialog.getByTestId('peer-url').fill('ftp://x');
    await peerDialog.getByTestId('peer-intervalSec').fill('0');
    await peerDialog.getByTestId('peer-priority').fill('x');
    await peerDialog.getByTestId('peer-datasets').fill('nope!');
    await expect(peerDialog.locator('.field-error').first()).toBeVisible();
    expect(await peerDialog.locator('.field-error').count()).toBeGreaterThanOrEqual(3);
    await audit('peer-add-invalid', 'peer-dialog');

    // Valid but unreachable: the test says so; then saved, and the peer's own row errs when synced.
    await peerDialog.getByTestId('peer-url').fill('http://127.0.0.1:1');
    await peerDialog.getByTestId('peer-intervalSec').fill('60');
    await peerDialog.getByTestId('peer-priority').fill('5');
    await peerDialog.getByTestId('peer-datasets').fill('');
    await peerDialog.getByTestId('peer-token').fill('some-token');
    await peerDialog.getByTestId('peer-test').click();
    await expect(peerDialog.getByTestId('peer-test-result')).toHaveAttribute('data-outcome', 'unreachable', { timeout: 15_000 });
    await audit('peer-add-unreachable', 'peer-dialog');
    // A sender that answers but refuses the token: this node's own (on a free port, --sender-port 0).
    const sender = (await node.current.call('sender.stats', {})).body.value as { url: string | null; error: string | null };
    expect(sender.url, `the node's sender listens (${sender.error ?? ''})`).not.toBeNull();
    await peerDialog.getByTestId('peer-url').fill(sender.url!);
    await peerDialog.getByTestId('peer-token').fill('not-the-token');
    await peerDialog.getByTestId('peer-test').click();
    await expect(peerDialog.getByTestId('peer-test-result')).not.toHaveAttribute('data-outcome', 'unreachable', { timeout: 15_000 });
    await expect(peerDialog.getByTestId('peer-test-result')).toHaveClass(/error-text/);
    await audit('peer-add-refused', 'peer-dialog');
    // Plain HTTP on loopback with the shared token on: now the token itself is refused (401).
    const cfg = await node.current.call('sender.config.update', { loopbackHttp: true, legacyToken: true });
    expect(cfg.body.ok, JSON.stringify(cfg.body)).toBe(true);
    await peerDialog.getByTestId('peer-url').fill(sender.url!.replace(/^https:/, 'http:'));
    await peerDialog.getByTestId('peer-test').click();
    await expect(peerDialog.getByTestId('peer-test-result')).toHaveAttribute('data-outcome', 'wrong_token', { timeout: 15_000 });
    await audit('peer-add-wrong-token', 'peer-dialog');
    await peerDialog.getByTestId('peer-url').fill('http://127.0.0.1:1');
    await peerDialog.getByTestId('peer-save').click();
    await expect(peerDialog).toHaveCount(0);
    const row = page.getByTestId('peer-row');
    await expect(row).toHaveCount(1);
    // Its row after a sync that cannot reach it: the last error, in Chinese.
    await row.getByTestId('peer-sync').click();
    await expect(row.locator('td.error-text')).not.toBeEmpty({ timeout: 15_000 });
    await audit('receiver-peer-error', 'screen-sync-receiver');

    // Edit it: open, and the same checks as typed.
    await row.getByRole('button', { name: '编辑' }).click();
    await expect(peerDialog).toBeVisible();
    await audit('peer-edit-open', 'peer-dialog');
    await peerDialog.getByTestId('peer-url').fill('');
    await peerDialog.getByTestId('peer-name').fill('');
    await expect(peerDialog.locator('.field-error').first()).toBeVisible();
    await audit('peer-edit-invalid', 'peer-dialog');
    await page.keyboard.press('Escape');
    await expect(peerDialog).toHaveCount(0);

    // Pair: by link (open, a bad link), by code (open, a sender that is not there).
    await page.getByTestId('peer-pair').click();
    await expect(pairDialog).toBeVisible();
    await audit('pair-link-open', 'pair-dialog');
    await pairDialog.getByTestId('pair-link').fill('not a pairing link');
    await expect(pairDialog.locator('.field-error')).toBeVisible();
    await audit('pair-link-bad', 'pair-dialog');
    await pairDialog.getByTestId('pair-mode-code').click();
    await audit('pair-code-open', 'pair-dialog');
    await pairDialog.getByTestId('pair-url').fill('https://127.0.0.1:1');
    await pairDialog.getByTestId('pair-code').fill('123456');
    await pairDialog.getByTestId('pair-submit').click();
    await expect(pairDialog.getByTestId('pair-error')).toBeVisible({ timeout: 15_000 });
    await audit('pair-code-unreachable', 'pair-dialog');
    // This node's own sender with a code it never showed.
    await pairDialog.getByTestId('pair-url').fill(sender.url!.replace(/^http:/, 'https:'));
    await pairDialog.getByTestId('pair-code').fill('000000');
    await pairDialog.getByTestId('pair-submit').click();
    await expect(pairDialog.getByTestId('pair-error')).not.toContainText('127.0.0.1:1', { timeout: 15_000 });
    await audit('pair-code-refused', 'pair-dialog');
    await page.keyboard.press('Escape');

    expect(states, 'Latin words in zh-CN peer dialogs').toEqual({});
  });
});
