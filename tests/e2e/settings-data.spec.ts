import { expect, screenshot, test } from './fixtures.js';

test.use({ nodeArgs: ['--no-collect'] });

test('Settings › Data: candle timeframes and retention are saved, a bad value is refused with its sentence, sizes show, in both languages', async ({
  ui: page,
  node,
}) => {
  test.setTimeout(60_000);
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('data-section');
  await expect(panel).toContainText('Candle timeframes');
  // Defaults: every timeframe on (30m always), 1m kept 30 days, 5m 180, 1H forever.
  for (const b of ['1m', '5m', '15m', '30m', '1H', '4H', '1D']) await expect(page.getByTestId(`data-bar-${b}`)).toBeChecked();
  await expect(page.getByTestId('data-bar-30m')).toBeDisabled();
  await expect(page.getByTestId('data-keep-KL001')).toHaveValue('30');
  await expect(page.getByTestId('data-keep-KL005')).toHaveValue('180');
  await expect(page.getByTestId('data-keep-KL060')).toHaveValue('');

  await page.getByTestId('data-bar-4H').uncheck();
  await page.getByTestId('data-keep-KL001').fill('7');
  await page.getByTestId('data-keep-KL060').fill('365');
  await page.getByTestId('data-save').click();
  await expect(page.getByTestId('data-saved')).toBeVisible();
  const s = (await node.current.call('settings.get', {})).body.value;
  expect(s.streams.candles).toEqual(['1m', '5m', '15m', '30m', '1H', '1D']);
  expect(s.retention).toMatchObject({ KL001: 7, KL005: 180, KL060: 365, MP001: 30 });

  // A window of 0 days is refused by the node, naming the dataset and the rule.
  await page.getByTestId('data-keep-KL005').fill('0');
  await page.getByTestId('data-save').click();
  await expect(page.getByTestId('data-error')).toContainText('Days kept for KL005 (5-minute candles) must be at least 1');
  expect((await node.current.call('settings.get', {})).body.value.retention.KL005).toBe(180);

  // Size on disk per dataset (measured shortly after start).
  await expect(page.getByTestId('data-storage').locator('tr[data-code="KL001"]')).toContainText('7 days', { timeout: 15_000 });
  await screenshot(page, 'settings-data-en');

  await page.getByTestId('lang-zh-CN').click();
  await expect(panel).toContainText('K线周期');
  await expect(page.getByTestId('data-storage').locator('tr[data-code="KL001"]')).toContainText('7 天');
  await expect(page.getByTestId('data-storage').locator('tr[data-code="PT002"]')).toContainText('永久');
  await screenshot(page, 'settings-data-zh');
});
