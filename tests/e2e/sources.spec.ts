import { DAY_MS, dayStartOf } from '../../preload/contract/grid-time.js';
import { expect, screenshot, test } from './fixtures.js';

/** Issue 12 on screen: Settings › Sources (hosts with their health) and the Backfill screen's per-source pages. */
test.use({ nodeArgs: ['--simulate', '--no-collect'] });

test('Settings › Sources lists the exchange host; after a backfill it is in use and the Backfill screen credits it', async ({
  ui: page,
  node,
}) => {
  test.setTimeout(90_000);
  await page.getByTestId('nav-settings').click();
  const rows = page.getByTestId('source-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('exchange host');
  await expect(rows.first()).toHaveAttribute('data-state', 'unknown');

  const to = dayStartOf(Date.now());
  const r = await node.current.call('backfill.start', { from: to - DAY_MS, to, coins: ['BTC', 'ETH'] });
  expect(r.status).toBe(200);
  await page.getByTestId('nav-backfill').click();
  await expect(page.getByTestId('bf-percent')).toHaveText('100.0 %', { timeout: 30_000 });
  await expect(page.getByTestId('bf-sources')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('bf-source-row')).toHaveCount(1);
  await expect(page.getByTestId('bf-source-row').first()).toContainText('127.0.0.1');
  await expect(page.getByTestId('bf-saved')).toContainText('0 exchange requests saved by peers; 2 made');
  await screenshot(page, 'backfill-sources-en');

  await page.getByTestId('nav-settings').click();
  await expect(rows.first()).toHaveAttribute('data-state', 'ok');
  await expect(rows.first()).toContainText('in use');
  await screenshot(page, 'settings-sources-en');
});
