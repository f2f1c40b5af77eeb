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
