import fs from 'node:fs';
import { DAY_MS, dayOf } from '../../preload/contract/grid-time.js';
import { expect, screenshot, test } from './fixtures.js';

/**
 * The Backfill screen against a headless node running the built-in simulator (OKX's limits
 * enforced): start a 60-day job (the older half needs history-candles at 20/2 s, so it runs long
 * enough to stop), stop it, resume it, watch the bar reach 100 %, the heat-map fill, and download
 * the missing list.
 */
test.use({ nodeArgs: ['--simulate'] });

test('start, stop, resume to 100 %, heat-map filled, missing list downloaded', async ({ ui: page, node }) => {
  test.setTimeout(120_000);
  await page.getByTestId('nav-backfill').click();
  await expect(page.getByTestId('screen-title')).toHaveText('Backfill');
  await expect(page.getByTestId('bf-progress')).toContainText('No backfill has run');
  // The bar <select> takes the contract's bar sizes (parsed, not cast); the job below uses 30m.
  await page.getByTestId('bf-barsize').selectOption('1H');
  await expect(page.getByTestId('bf-barsize')).toHaveValue('1H');
  await page.getByTestId('bf-barsize').selectOption('30m');
  await expect(page.getByTestId('bf-barsize')).toHaveValue('30m');

  // Bad input first: the node's sentence is shown.
  await page.getByTestId('bf-from').fill(dayOf(Date.now() + 5 * DAY_MS));
  await page.getByTestId('bf-to').fill(dayOf(Date.now() + 6 * DAY_MS));
  await page.getByTestId('bf-start').click();
  await expect(page.getByTestId('bf-error')).toContainText('The range starts in the future (');
  await expect(page.getByTestId('bf-error')).toContainText('pick a start day that has begun.');

  await page.getByTestId('bf-from').fill(dayOf(Date.now() - 59 * DAY_MS));
  await page.getByTestId('bf-to').fill(dayOf(Date.now()));
  await page.getByTestId('bf-start').click();
  await expect(page.getByTestId('bf-state')).toHaveText('running');
  await expect(page.getByTestId('bf-rate')).toContainText('req/s of');
  await expect
    .poll(async () => Number((await page.getByTestId('bf-bar').getAttribute('aria-valuenow')) ?? 0), { timeout: 20_000 })
    .toBeGreaterThan(5);
  await expect(page.getByTestId('bf-current')).toContainText('→');
  await screenshot(page, 'backfill-running-en');

  await page.getByTestId('bf-stop').click();
  await expect(page.getByTestId('bf-state')).toHaveText('stopped', { timeout: 10_000 });
  const stoppedAt = Number(await page.getByTestId('bf-bar').getAttribute('aria-valuenow'));
  expect(stoppedAt).toBeLessThan(100);
  const st = await node.current.call('backfill.status');
  expect(st.body.value.job.state).toBe('stopped');

  await page.getByTestId('bf-resume').click();
  await expect(page.getByTestId('bf-state')).toHaveText('running');
  await expect(page.getByTestId('bf-percent')).toHaveText('100.0 %', { timeout: 60_000 });
  await expect(page.getByTestId('bf-state')).toHaveText('done');
  await expect(page.getByTestId('bf-log')).toContainText('finished');
  await expect(page.getByTestId('bf-queue')).toContainText('No failed pages');

  // Heat-map: 60 days × 27 coins, every past cell complete (today's future points are not expected).
  const cells = page.getByTestId('bf-cov-cell');
  await expect(cells).toHaveCount(60 * 27);
  await expect
    .poll(async () => page.locator('[data-testid="bf-cov-cell"][data-state="cov-full"]').count(), { timeout: 10_000 })
    .toBe(60 * 27);
  await cells.first().click();
  await expect(page.getByTestId('bf-cov-detail')).toContainText('48 / 48');
  await expect(page.getByTestId('bf-cov-totals')).toContainText('(100.0 %)');
  await screenshot(page, 'backfill-done-en');

  // Missing list: nothing is missing, so the file is the BOM and the header.
  const download = page.waitForEvent('download');
  await page.getByTestId('bf-export-missing').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^missing-data_\d{8}-\d{8}\.csv$/);
  const text = fs.readFileSync((await file.path())!, 'utf8');
  expect(text.startsWith('\uFEFFdate,time,coin,reason\r\n')).toBe(true);
  await expect(page.getByTestId('bf-export-notice')).toContainText('(0 rows)');

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('bf-state')).toHaveText('已完成');
  const zh = page.waitForEvent('download');
  await page.getByTestId('bf-export-missing').click();
  const zhText = fs.readFileSync((await (await zh).path())!, 'utf8');
  expect(zhText.startsWith('\uFEFF日期,时间,币种,原因\r\n')).toBe(true);
  await screenshot(page, 'backfill-done-zh');
  await page.getByTestId('lang-en').click();
});
