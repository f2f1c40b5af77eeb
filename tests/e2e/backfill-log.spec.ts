import { DAY_MS, dayOf } from '../../preload/contract/grid-time.js';
import { expect, test } from './fixtures.js';

test.use({ nodeArgs: ['--simulate'] });

test('the backfill log shows a count only beside lines, and says how many lines a filter hides', async ({ ui: page }) => {
  await page.getByTestId('nav-backfill').click();
  await expect(page.getByTestId('bf-log')).toContainText('No backfill log lines yet.');
  await expect(page.getByTestId('bf-log-count')).toHaveCount(0);

  // A two-day job writes a few lines.
  await page.getByTestId('bf-from').fill(dayOf(Date.now() - DAY_MS));
  await page.getByTestId('bf-to').fill(dayOf(Date.now()));
  await page.getByTestId('bf-start').click();
  await expect(page.getByTestId('bf-state')).toHaveText('done', { timeout: 30_000 });
  await expect(page.getByTestId('bf-log-count')).toHaveText(/^\d+ of \d+ lines$/);

  for (const level of ['error', 'warn', 'info']) await page.getByTestId(`bf-level-${level}`).click();
  await expect(page.getByTestId('bf-log')).toContainText(/No lines at the chosen levels \(\d+ hidden\)\./);
  await expect(page.getByTestId('bf-log')).not.toContainText('No backfill log lines yet.');
  await expect(page.getByTestId('bf-log-count')).toHaveCount(0);

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('bf-log')).toContainText(/所选级别下没有日志（已隐藏 \d+ 行）。/);
  await page.getByTestId('lang-en').click();
});
