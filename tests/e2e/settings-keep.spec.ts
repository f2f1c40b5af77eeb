import { expect, screenshot, test } from './fixtures.js';

test('leaving Settings with unsaved changes asks: stay keeps the edit, discard drops it', async ({ ui: page, node }) => {
  await page.getByTestId('nav-settings').click();
  // Nothing changed: leaving asks nothing.
  await page.getByTestId('nav-logs').click();
  await expect(page.getByTestId('screen-logs')).toBeVisible();
  await page.getByTestId('nav-settings').click();

  await page.locator('#f-nodeName').fill('Unsaved Desk');
  await page.getByTestId('nav-overview').click();
  const dialog = page.getByTestId('settings-leave-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Leave Settings without saving?');
  await expect(dialog).toContainText('1 change(s) are not saved.');
  await screenshot(page, 'en-settings-leave');

  await dialog.getByTestId('settings-leave-stay').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('screen-settings')).toBeVisible();
  await expect(page.locator('#f-nodeName')).toHaveValue('Unsaved Desk');

  // Escape is "stay" too.
  await page.getByTestId('nav-history').click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('#f-nodeName')).toHaveValue('Unsaved Desk');

  await page.getByTestId('nav-overview').click();
  await dialog.getByTestId('settings-leave-discard').click();
  await expect(page.getByTestId('screen-overview')).toBeVisible();
  expect((await node.current.call('settings.get', {})).body.value.nodeName).toBe('Coin Sync Node');
  await page.getByTestId('nav-settings').click();
  await expect(page.locator('#f-nodeName')).toHaveValue('Coin Sync Node');

  // In Chinese.
  await page.getByTestId('lang-zh-CN').click();
  await page.locator('#f-nodeName').fill('未保存');
  await page.getByTestId('nav-logs').click();
  await expect(dialog).toContainText('不保存就离开设置？');
  await expect(dialog.getByTestId('settings-leave-stay')).toHaveText('留下');
  await dialog.getByTestId('settings-leave-discard').click();
  await expect(page.getByTestId('screen-logs')).toBeVisible();
  await page.getByTestId('lang-en').click();
});

test('the browser Back button asks too: stay keeps the edit and the screen, discard goes back', async ({ ui: page, node }) => {
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('screen-history')).toBeVisible();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('screen-settings')).toBeVisible();
  // Nothing changed: Back goes back without a question.
  await page.goBack();
  await expect(page.getByTestId('screen-history')).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('screen-settings')).toBeVisible();

  await page.locator('#f-nodeName').fill('Unsaved Desk');
  await page.goBack();
  const dialog = page.getByTestId('settings-leave-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('1 change(s) are not saved.');
  // The browser moved, the app did not: Settings, its address and the edit are still there.
  await expect(page.getByTestId('screen-settings')).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/settings');
  await screenshot(page, 'en-settings-leave-back');
  await dialog.getByTestId('settings-leave-stay').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('#f-nodeName')).toHaveValue('Unsaved Desk');
  expect(new URL(page.url()).hash).toBe('#/settings');

  // Back again, in Chinese, and discard: the screen the user came from, nothing saved.
  await page.getByTestId('lang-zh-CN').click();
  await page.goBack();
  await expect(dialog).toContainText('不保存就离开设置？');
  await dialog.getByTestId('settings-leave-discard').click();
  await expect(page.getByTestId('screen-history')).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/history');
  expect((await node.current.call('settings.get', {})).body.value.nodeName).toBe('Coin Sync Node');
  // Forward returns to Settings with the stored value, not the dropped edit.
  await page.goForward();
  await expect(page.getByTestId('screen-settings')).toBeVisible();
  await expect(page.locator('#f-nodeName')).toHaveValue('Coin Sync Node');
  await page.getByTestId('lang-en').click();
});

test('Settings check fields as they are typed, and coin chips against the instrument list', async ({ ui: page }) => {
  await page.getByTestId('nav-settings').click();
  // Headless, not simulated: no tray settings, the OKX hosts are there (they are used).
  await expect(page.getByTestId('settings-desktop-headless')).toBeVisible();
  await expect(page.locator('#f-closeToTray')).toHaveCount(0);
  await page.locator('#f-exchange\\.rest').fill('ftp://x');
  // No Save pressed: the sentence is there as soon as the value is wrong.
  await expect(page.getByTestId('error-exchange.rest')).toContainText('must start with http:// or https://');
  await page.locator('#f-exchange\\.rest').fill('https://www.okx.com');
  await expect(page.getByTestId('error-exchange.rest')).toHaveCount(0);
  await page.locator('#f-logBufferLines').fill('5');
  await expect(page.getByTestId('error-logBufferLines')).toContainText('100');
  await page.locator('#f-logBufferLines').fill('5000');
  await expect(page.getByTestId('error-logBufferLines')).toHaveCount(0);

  const input = page.getByTestId('coin-add-input');
  await input.fill('NOTACOIN!!');
  await input.press('Enter');
  await expect(page.getByTestId('coin-add-error')).toHaveText(
    '“NOTACOIN!!” is not a coin symbol: use 1–15 capital letters or digits, such as BTC.',
  );
  await expect(page.getByTestId('coin-NOTACOIN!!')).toHaveCount(0);
  await expect(input).toHaveValue('NOTACOIN!!');
  await input.fill('nosuchcoin');
  await expect(page.getByTestId('coin-add-error')).toHaveCount(0);
  await input.press('Enter');
  await expect(page.getByTestId('coin-add-error')).toHaveText(
    'NOSUCHCOIN: the exchange lists no USDT perpetual swap by that name. Check the spelling.',
  );
  await expect(page.getByTestId('coin-NOSUCHCOIN')).toHaveCount(0);
  await expect(page.getByTestId('settings-unsaved')).toHaveCount(0);

  await page.getByTestId('lang-zh-CN').click();
  await input.fill('NOTACOIN!!');
  await input.press('Enter');
  await expect(page.getByTestId('coin-add-error')).toHaveText('“NOTACOIN!!”不是币种代码：请使用 1–15 位大写字母或数字，例如 BTC。');
  await page.locator('#f-exchange\\.rest').fill('ftp://x');
  await expect(page.getByTestId('error-exchange.rest')).toContainText('必须以 http:// 或 https:// 开头');
  await page.locator('#f-exchange\\.rest').fill('https://www.okx.com');
  await page.getByTestId('lang-en').click();
});

test('the sender allow-list parses a CIDR as it is added: 999.1.1.1/40 is refused', async ({ ui: page }) => {
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('tab-sender').click();
  await expect(page.getByTestId('allow-entry').first()).toBeVisible(); // the default private ranges
  const before = await page.getByTestId('allow-entry').count();
  await page.getByTestId('allow-input').fill('999.1.1.1/40');
  await page.getByTestId('allow-add').click();
  await expect(page.getByTestId('allow-error')).toHaveText(
    '“999.1.1.1/40” is not an IP address or range: write one like 192.168.1.20, 192.168.1.0/24 or fc00::/7.',
  );
  await expect(page.getByTestId('allow-entry')).toHaveCount(before);
});
