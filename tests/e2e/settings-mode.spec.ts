import { expect, screenshot, test } from './fixtures.js';

test.use({ nodeArgs: ['--simulate'] });

test('a headless simulated node hides the tray and OKX host settings, and says why', async ({ ui: page }) => {
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-desktop-headless')).toHaveText(
    'This node runs headless: the tray, start-at-login and notification settings belong to the desktop app and do nothing here.',
  );
  await expect(page.locator('#f-closeToTray')).toHaveCount(0);
  await expect(page.getByTestId('settings-exchange-simulated')).toContainText('built-in market simulator');
  await expect(page.locator('#f-exchange\\.rest')).toHaveCount(0);
  await expect(page.getByText('okx.com')).toHaveCount(0);
  await screenshot(page, 'en-settings-simulated');
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('settings-desktop-headless')).toContainText('本节点以无界面模式运行');
  await expect(page.getByTestId('settings-exchange-simulated')).toContainText('内置行情模拟器');
  await page.getByTestId('lang-en').click();
});
