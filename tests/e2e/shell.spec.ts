import { expect, screenshot, test } from './fixtures.js';

/** Every screen (renderer/src/screens/registry.ts) with its heading in both languages (sync tabs share "Sync"). */
const SCREENS = [
  { nav: 'overview', en: 'Overview', zh: '总览', testId: 'screen-overview' },
  { nav: 'sum', en: 'Sum curve', zh: '合计曲线', testId: 'screen-sum' },
  { nav: 'history', en: 'History', zh: '历史数据', testId: 'screen-history' },
  { nav: 'backfill', en: 'Backfill', zh: '数据回补', testId: 'screen-backfill' },
  { nav: 'sync', en: 'Sync', zh: '同步', testId: 'screen-sync-sender' },
  { nav: 'logs', en: 'Logs', zh: '日志', testId: 'screen-logs' },
  { nav: 'settings', en: 'Settings', zh: '设置', testId: 'screen-settings' },
];
const SYNC_TABS = [
  { tab: 'sender', en: 'Sender' },
  { tab: 'receiver', en: 'Receiver' },
  { tab: 'catalog', en: 'Catalog' },
];

test('opens the UI, shows the real node status and navigates every screen', async ({ ui: page, node }) => {
  // The token left the address bar once captured.
  await expect(page).toHaveURL(/#\/overview$/);
  await expect(page.getByTestId('overview-status')).toContainText(node.current.ready.nodeId);
  await expect(page.getByTestId('overview-status')).toContainText(node.dataDir);
  await expect(page.getByTestId('conn-state')).toHaveText(/HTTP · live/);
  // node.status arrives every 2 s over the WebSocket.
  await expect(page.getByTestId('status-last-event')).not.toHaveText('—', { timeout: 6_000 });

  for (const s of SCREENS) {
    await page.getByTestId(`nav-${s.nav}`).click();
    await expect(page.getByTestId('screen-title')).toHaveText(s.en);
    await expect(page.getByTestId(s.testId)).toBeVisible();
    await screenshot(page, `en-${s.nav}`);
  }
  for (const x of SYNC_TABS) {
    // Navigate the way a person does; a goto to a bare '#/sync' races the app's own redirect to a tab.
    await page.getByTestId('nav-sync').click();
    await page.getByTestId(`tab-${x.tab}`).click();
    await expect(page.getByTestId('screen-title')).toHaveText('Sync');
    await expect(page.getByTestId(`tab-${x.tab}`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId(`screen-sync-${x.tab}`)).toBeVisible();
    await screenshot(page, `en-sync-${x.tab}`);
  }
  // The market screens are real now (issue 3); their own tests are in market.spec.ts.
  await page.getByTestId('nav-sum').click();
  await expect(page.getByTestId('sum-chart')).toBeVisible();

  // A reload keeps the screen (hash route, token kept in storage).
  await page.getByTestId('nav-logs').click();
  await page.reload();
  await expect(page.getByTestId('screen-title')).toHaveText('Logs');
  await expect(page.getByTestId('conn-state')).toHaveText(/live/);
});

test('switches the language to 中文 and back, saved as a setting', async ({ ui: page, node }) => {
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('screen-title')).toHaveText('总览');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  for (const s of SCREENS) {
    await page.getByTestId(`nav-${s.nav}`).click();
    await expect(page.getByTestId('screen-title')).toHaveText(s.zh);
    await expect(page.getByTestId(`nav-${s.nav}`)).toContainText(s.zh);
  }
  await screenshot(page, 'zh-settings');
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('statusbar')).toContainText('运行时长');
  await screenshot(page, 'zh-overview');
  const saved = await node.current.call('settings.get', {});
  expect(saved.body.value.language).toBe('zh-CN');

  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('screen-title')).toHaveText('Overview');
  await expect(page.getByTestId('statusbar')).toContainText('Uptime');
});

test('a changed setting is saved and survives a node restart', async ({ ui: page, node }) => {
  await page.getByTestId('nav-settings').click();
  const name = page.locator('#f-nodeName');
  await expect(name).toHaveValue('Coin Sync Node');
  await name.fill('Trading Desk 7');
  await page.getByTestId('coin-DOGE').uncheck();
  await page.locator('#f-language').selectOption('en');
  await expect(page.getByTestId('settings-unsaved')).toContainText('Unsaved changes (3)');
  await screenshot(page, 'en-settings-dirty');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-notice')).toHaveText('Settings saved.');
  await expect(page.getByTestId('settings-unsaved')).toHaveCount(0);

  const restarted = await node.restart();
  const saved = (await restarted.call('settings.get', {})).body.value;
  expect(saved.nodeName).toBe('Trading Desk 7');
  expect(saved.coins).not.toContain('DOGE');
  expect(saved.coins).toHaveLength(26);
  expect(saved.language).toBe('en');

  await page.goto(node.uiUrl());
  await page.getByTestId('nav-settings').click();
  await expect(page.locator('#f-nodeName')).toHaveValue('Trading Desk 7');
  await expect(page.getByTestId('coin-DOGE')).not.toBeChecked();
  await expect(page.getByTestId('coin-BTC')).toBeChecked();
  await expect(page.locator('.topbar .node-name')).toHaveText('Trading Desk 7');

  // Reset to defaults sends the schema defaults.
  await page.getByTestId('settings-reset').click();
  await expect(page.getByTestId('settings-notice')).toHaveText('Defaults restored and saved.');
  await expect(page.locator('#f-nodeName')).toHaveValue('Coin Sync Node');
  await expect(page.getByTestId('coin-DOGE')).toBeChecked();
  await expect(page.locator('#f-language')).toHaveValue('system');
});

test('a bad value is refused with a sentence naming the field, and nothing is saved', async ({ ui: page, node }) => {
  await page.getByTestId('nav-settings').click();
  await page.locator('#f-nodeName').fill('Should not stick');
  await page.locator('#f-exchange\\.rest').fill('ftp://x');
  await page.getByTestId('settings-save').click();
  const alert = page.getByTestId('settings-error');
  await expect(alert).toContainText('Not saved.');
  await expect(alert).toHaveText('Not saved. REST URL must start with http:// or https://, such as https://www.okx.com.');
  await expect(page.getByTestId('error-exchange.rest')).toBeVisible();
  await expect(page.locator('[data-field="exchange.rest"]')).toHaveClass(/invalid/);
  await expect(page.getByTestId('settings-unsaved')).toBeVisible();
  await screenshot(page, 'en-settings-error');
  let saved = (await node.current.call('settings.get', {})).body.value;
  expect(saved.exchange.rest).toBe('https://www.okx.com');
  expect(saved.nodeName).toBe('Coin Sync Node');

  await page.locator('#f-exchange\\.rest').fill('https://www.okx.com');
  await page.locator('#f-logBufferLines').fill('5');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-error')).toContainText('Log lines kept in memory must be at least 100.');
  await expect(page.getByTestId('error-logBufferLines')).toContainText('100');
  await expect(page.getByTestId('error-exchange.rest')).toHaveCount(0);

  // An unknown coin is refused by the node's coin catalog as it is added (tests/e2e/settings-keep.spec.ts), and by the node.
  await page.locator('#f-logBufferLines').fill('5000');
  await page.getByTestId('coin-add-input').fill('nosuchcoin');
  await page.getByTestId('coin-add-input').press('Enter');
  await expect(page.getByTestId('coin-add-error')).toContainText('NOSUCHCOIN: the exchange lists no USDT perpetual swap by that name.');
  const refused = await node.current.call('settings.update', { coins: ['BTC', 'NOSUCHCOIN'] });
  expect(refused.status).toBe(400);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-notice')).toHaveText('Settings saved.');
  saved = (await node.current.call('settings.get', {})).body.value;
  expect(saved.logBufferLines).toBe(5000);
  expect(saved.coins).not.toContain('NOSUCHCOIN');
  // Once every field is valid the save goes through, the name with it.
  expect(saved.nodeName).toBe('Should not stick');
});

test('the Logs screen shows the node log, follows it live and filters it', async ({ ui: page, node }) => {
  await page.getByTestId('nav-logs').click();
  const rows = page.getByTestId('log-row');
  await expect(rows.filter({ hasText: 'control server listening' })).toHaveCount(1);

  // A refused call makes the node log a warning; it must arrive live over the event socket.
  const bad = await node.current.call('settings.update', { nodeName: '' });
  expect(bad.status).toBe(400);
  await expect(rows.filter({ hasText: 'settings.update: bad_input' }).first()).toBeVisible();

  await page.getByTestId('level-info').click();
  await page.getByTestId('level-debug').click();
  await expect(rows.first()).toBeVisible();
  for (const level of await rows.locator('.lvl').allTextContents()) expect(['Error', 'Warning']).toContain(level);
  await screenshot(page, 'en-logs-filtered');

  await page.getByTestId('level-info').click();
  await page.getByTestId('log-source').selectOption('control');
  await expect(rows.first()).toBeVisible();
  for (const src of await rows.locator('.src').allTextContents()) expect(src).toBe('control');

  await page.getByTestId('log-source').selectOption('');
  await page.getByTestId('log-search').fill('control server listening');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('control server listening on');
  await page.getByTestId('log-search').fill('no line contains this text');
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('No log lines match.')).toBeVisible();
  await expect(page.getByTestId('log-count')).toContainText('0 of');
});

test('without a token the page explains how to open the UI; a wrong token is refused', async ({ browser, node }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${node.current.ready.control}/`);
  await expect(page.getByTestId('no-token')).toContainText('Open the UI from the node');
  await expect(page.getByTestId('no-token')).toContainText('#token=');
  await screenshot(page, 'no-token');
  await page.goto(`${node.current.ready.control}/#token=wrong-token`);
  await page.reload();
  await expect(page.getByTestId('no-token')).toContainText('refused the stored admin token');
  await context.close();
});

test('the status bar shows the socket reconnecting while the node is down, then live again', async ({ ui: page, node }) => {
  await expect(page.getByTestId('conn-state')).toHaveText('HTTP · live');
  const firstStart = await page.getByTestId('overview-status').locator('dd').nth(8).textContent();
  await node.restart({
    samePort: true,
    beforeStart: async () => {
      await expect(page.getByTestId('conn-state')).toHaveText(/reconnecting/);
      await screenshot(page, 'en-reconnecting');
    },
  });
  await expect(page.getByTestId('conn-state')).toHaveText('HTTP · live', { timeout: 15_000 });
  // After a reconnect the app reloads the status: the new process has a new start time.
  await expect(page.getByTestId('overview-status').locator('dd').nth(8)).not.toHaveText(firstStart ?? '', { timeout: 5_000 });
  await expect(page.getByTestId('statusbar')).toContainText('Uptime: 00:00:0');
});
