import type { Page } from '@playwright/test';
import { CANDLE_BARS } from '../../preload/contract/candle-bars.js';
import { expect, screenshot, test } from './fixtures.js';

/**
 * The Coin screen against a headless node on the simulator (real collector, real sockets): a click
 * on a coin opens it, every timeframe draws the node's candles on the canvas, the live candle moves,
 * and funding, open interest and the top-5 book are the node's own figures. Overview gains the
 * funding and OI columns, sortable; Settings › Data saves and refuses bad input in words.
 */
test.use({ nodeArgs: ['--simulate'], viewport: { width: 1440, height: 900 } });

/** Pixels of the chart's canvases in either candle colour: candles are painted, not just loaded. */
async function candlePixels(page: Page): Promise<number> {
  return page.getByTestId('coin-chart').evaluate((host) => {
    const hex = (v: string) => {
      const s = getComputedStyle(document.documentElement).getPropertyValue(v).trim().replace('#', '');
      return [0, 2, 4].map((i) => parseInt(s.slice(i, i + 2), 16));
    };
    const colours = [hex('--up'), hex('--down')];
    let n = 0;
    for (const c of host.querySelectorAll('canvas')) {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4)
        if (colours.some(([r, g, b]) => Math.abs(d[i]! - r!) < 8 && Math.abs(d[i + 1]! - g!) < 8 && Math.abs(d[i + 2]! - b!) < 8)) n++;
    }
    return n;
  });
}

const parse = (s: string): number | null => {
  const t = s.trim().replace(/,/g, '').replace('−', '-').replace('%', '');
  return t === '—' || t === '' ? null : Number(t);
};

test('a click on a coin opens its screen: candles in every timeframe, the live candle, funding, OI and the book', async ({
  ui: page,
  node,
}) => {
  test.setTimeout(120_000);
  const link = page.getByTestId('coin-link-BTC');
  await expect(link).toBeVisible({ timeout: 15_000 });
  await link.click();
  await expect(page).toHaveURL(/#\/coin\/BTC$/);
  await expect(page.getByTestId('screen-coin')).toBeVisible();
  const chart = page.getByTestId('coin-chart');

  for (const bar of CANDLE_BARS) {
    await page.getByTestId(`tf-${bar}`).click();
    await expect(chart).toHaveAttribute('data-key', `BTC/${bar}`);
    // A timeframe with nothing stored yet gets its first candle from the live push; reopen it until it has one.
    await expect
      .poll(
        async () => {
          if ((await chart.getAttribute('data-ready')) !== 'true') return 0;
          const n = Number(await chart.getAttribute('data-candles'));
          if (n === 0) {
            await page.getByTestId(`tf-${bar === '1m' ? '5m' : '1m'}`).click();
            await page.getByTestId(`tf-${bar}`).click();
          }
          return n;
        },
        { timeout: 30_000, message: `${bar} candles drawn` },
      )
      .toBeGreaterThan(0);
    // What the chart holds is what the node serves for that window (live pushes may have added one more).
    const shown = Number(await chart.getAttribute('data-candles'));
    const now = Date.now();
    const served = await node.current.call('market.candles', { coin: 'BTC', bar, from: now - 2 * 86_400_000, to: now + 120_000 });
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    if (bar === '1m') expect(shown).toBeGreaterThanOrEqual(served.body.value.rows.length);
    await expect.poll(() => candlePixels(page), { message: `${bar} candles painted` }).toBeGreaterThan(50);
    await expect(page.getByTestId('coin-chart-error')).toHaveCount(0);
  }

  // The open candle moves with 'market.candle' pushes.
  await page.getByTestId('tf-1m').click();
  await expect(page.getByTestId('coin-live')).toBeVisible({ timeout: 20_000 });

  // Funding with its countdown, OI with its 24 h line, and five levels each side: the node's own figures.
  const funding = page.getByTestId('coin-funding');
  await expect(funding).toHaveText(/^[+−]?\d+\.\d{4}%$/, { timeout: 20_000 });
  await expect(page.getByTestId('coin-funding-countdown')).toHaveText(/\d{2}:\d{2}:\d{2}/);
  const snap = (await node.current.call('market.coin', { coin: 'BTC' })).body.value;
  expect(Number(await funding.getAttribute('data-value'))).toBeCloseTo(snap.fundingRate.value, 8);
  await expect(page.getByTestId('coin-oi')).toHaveText(/\d/);
  expect(parse((await page.getByTestId('coin-oi').textContent())!.split(' ')[0]!)).toBeGreaterThan(0);
  await expect(page.getByTestId('coin-oi-change')).not.toBeEmpty();
  await expect(page.getByTestId('coin-book')).toHaveAttribute('data-levels', '10', { timeout: 20_000 });
  await expect(page.getByTestId('book-bid')).toHaveCount(5);
  await expect(page.getByTestId('book-ask')).toHaveCount(5);
  await expect(page.getByTestId('coin-spread')).toHaveText(/\d/);
  const bids = (await page.getByTestId('book-bid').locator('td:first-child').allTextContents()).map(parse);
  expect([...bids].sort((a, b) => b! - a!)).toEqual(bids);
  await expect(page.getByTestId('coin-liq')).toBeVisible();
  await screenshot(page, 'coin-btc');

  // Another coin from the picker, and from the navigation.
  await page.getByTestId('coin-pick').selectOption('ETH');
  await expect(page).toHaveURL(/#\/coin\/ETH$/);
  await expect(chart).toHaveAttribute('data-key', 'ETH/1m');
  await expect(chart).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('nav-coin').click();
  await expect(page.getByTestId('screen-coin')).toBeVisible();
  await expect(chart).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });
});

test('History opens a coin from its column; Overview shows funding and OI columns, sortable', async ({ ui: page }) => {
  // Funding and OI arrive with the derivatives streams' first messages; a loaded machine needs the margin.
  test.setTimeout(120_000);
  const rows = page.getByTestId('coin-table').locator('tbody tr');
  await expect(rows).toHaveCount(27, { timeout: 15_000 });
  await expect(page.getByTestId('coin-sort-funding')).toBeVisible();
  await expect(page.getByTestId('coin-sort-oi')).toBeVisible();
  await expect(page.getByTestId('coin-funding-BTC')).toHaveText(/^[+−]?\d+\.\d{4}%$/, { timeout: 25_000 });
  await expect(page.getByTestId('coin-oi-BTC')).toHaveText(/^\d[\d,]*(\.\d+)?$/);
  const oiIndex = await page
    .locator('thead th')
    .evaluateAll((ths) => ths.findIndex((th) => th.querySelector('[data-testid="coin-sort-oi"]')));
  await page.getByTestId('coin-sort-oi').click();
  await expect(page.locator('th', { has: page.getByTestId('coin-sort-oi') })).toHaveAttribute('aria-sort', 'ascending');
  const values = (await rows.evaluateAll((trs, i) => trs.map((tr) => tr.children[i]?.textContent ?? ''), oiIndex)).map(parse);
  const present = values.filter((v): v is number => v !== null);
  expect(present).toEqual([...present].sort((a, b) => a - b));
  await page.getByTestId('coin-sort-funding').click();
  await expect(page.locator('th', { has: page.getByTestId('coin-sort-funding') })).toHaveAttribute('aria-sort', 'ascending');
  await screenshot(page, 'overview-funding-oi');

  await page.getByTestId('nav-history').click();
  await page.getByTestId('hist-open-SOL').click();
  await expect(page).toHaveURL(/#\/coin\/SOL$/);
  await expect(page.getByTestId('coin-chart')).toHaveAttribute('data-key', 'SOL/1m');
});

test('Settings › Data: a bad retention is refused in words, a good one is saved and kept', async ({ ui: page, node }) => {
  test.setTimeout(120_000);
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('data-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('data-retention.KL001')).toHaveValue('30');
  await panel.getByTestId('data-retention.KL001').fill('0');
  await expect(panel.getByTestId('data-error-retention.KL001')).toHaveText('Days kept must be at least 1.');
  await expect(panel.getByTestId('data-save')).toBeDisabled();
  await panel.getByTestId('data-retention.KL001').fill('45');
  await panel.getByTestId('data-retention.KL060').fill('');
  await panel.getByTestId('data-candle-15m').uncheck();
  await panel.getByTestId('data-stream-books5').uncheck();
  await panel.getByTestId('data-initialWindows.1H').fill('14');
  await panel.getByTestId('data-save').click();
  await expect(panel.getByTestId('data-saved')).toBeVisible();
  const saved = (await node.current.call('settings.get', {})).body.value;
  expect(saved.retention.KL001).toBe(45);
  expect(saved.streams.candles).not.toContain('15m');
  expect(saved.streams.books5).toBe(false);
  expect(saved.initialWindows['1H']).toBe(14);
  await page.reload();
  await expect(page.getByTestId('data-panel').getByTestId('data-retention.KL001')).toHaveValue('45');
  await expect(page.getByTestId('data-panel').getByTestId('data-candle-15m')).not.toBeChecked();

  await page.getByTestId('lang-zh-CN').click();
  await page.getByTestId('data-panel').getByTestId('data-retention.KL005').fill('0');
  await expect(page.getByTestId('data-panel').getByTestId('data-error-retention.KL005')).toHaveText('“保留天数”不能小于 1。');
  await screenshot(page, 'settings-data-zh');
});

test.describe('a node that does not collect', () => {
  test.use({ nodeArgs: ['--simulate', '--no-collect'] });

  test('the Coin screen says why there are no candles and where to act', async ({ ui: page, node }) => {
    await page.evaluate(() => (window.location.hash = '#/coin/BTC'));
    const empty = page.getByTestId('coin-chart-empty');
    await expect(empty).toContainText('No 1 min candles of BTC are stored, and collection is off on this node', { timeout: 15_000 });
    await expect(page.getByTestId('coin-chart')).toHaveAttribute('data-candles', '0');
    await expect(page.getByTestId('coin-book-empty')).toBeVisible();
    await expect(page.getByTestId('coin-mark')).toHaveText('—');

    // A timeframe switched off in Settings › Data points there, in both languages.
    const r = await node.current.call('settings.update', { streams: { candles: ['1m', '5m'] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await page.getByTestId('tf-4H').click();
    await expect(empty).toContainText('The 4 hours timeframe is off in Settings › Data');
    await expect(empty.getByRole('link')).toHaveAttribute('href', '#/settings');
    await page.getByTestId('lang-zh-CN').click();
    await expect(empty).toContainText('4小时周期已在“设置 › 数据”中关闭');
    await screenshot(page, 'coin-empty-zh');
  });
});
