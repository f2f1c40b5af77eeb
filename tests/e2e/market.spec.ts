import fs from 'node:fs';
import { expect, screenshot, test } from './fixtures.js';

/**
 * The market screens against a headless node running the built-in OKX simulator: live ticks over
 * WebSocket, today's grid repaired from REST at start. Expected numbers come from the node's own
 * API (market.day / market.sumSeries) at test time, never from constants.
 */
test.use({ nodeArgs: ['--simulate'] });

const BOM = '\uFEFF';

/** Today in UTC+8, as the node's grid counts days. */
const todayUtc8 = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

test('Overview shows the live sum moving with full coverage, streams and 27 coins', async ({ ui: page }) => {
  const sum = page.getByTestId('live-sum');
  await expect(sum).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('live-coverage')).toHaveText('Coverage 27/27', { timeout: 15_000 });
  // Read the tick count before the text, so a tick landing between the two reads cannot make the
  // text change look like it came without a tick.
  const firstTicks = Number(await sum.getAttribute('data-ticks'));
  const first = await sum.textContent();
  // The simulator moves prices every few hundred ms: within seconds the sum must change.
  await expect.poll(async () => sum.textContent(), { timeout: 10_000 }).not.toBe(first);
  await expect.poll(async () => Number(await sum.getAttribute('data-ticks')), { timeout: 10_000 }).toBeGreaterThan(firstTicks);
  await expect(sum).toHaveText(/^[+−]?\d+\.\d{2}%$/);

  await expect(page.getByTestId('coin-table').locator('tbody tr')).toHaveCount(27);
  await expect(page.getByTestId('coin-row-BTC').locator('td').nth(1)).toHaveText(/\d/);
  await expect(page.getByTestId('stream-tickers')).toContainText('WebSocket');
  await expect(page.getByTestId('stream-candles')).toContainText('WebSocket');
  await expect(page.getByTestId('clock-skew')).toContainText(/skew -?[\d,]+ ms/);
  // The node facts stay on the overview.
  await expect(page.getByTestId('overview-status')).toContainText('Simulated market');
  await screenshot(page, 'market-overview-en');

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('live-coverage')).toHaveText('覆盖 27/27');
  await expect(page.getByTestId('collector-panel')).toContainText('实时行情');
  await screenshot(page, 'market-overview-zh');
  await page.getByTestId('lang-en').click();
});

test('Sum curve draws today’s grid points, a live tail and a tooltip in UTC+8', async ({ ui: page, node }) => {
  await page.getByTestId('nav-sum').click();
  const chart = page.getByTestId('sum-chart');
  await expect(chart).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });
  await expect(chart.locator('canvas').first()).toBeVisible();

  const [from, to] = (await chart.getAttribute('data-range'))!.split('-').map(Number) as [number, number];
  const series = (await node.current.call('market.sumSeries', { from, to })).body.value as { points: { sum: number | null }[] };
  const drawn = series.points.filter((p) => p.sum !== null).length;
  expect(drawn).toBeGreaterThan(0);
  // A grid point may land between the two reads; the chart refetches on market.grid.
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(drawn);
  await expect(page.getByTestId('sum-live')).toContainText(/Live: [+−]?\d+\.\d{2}% Coverage 27\/27/, { timeout: 10_000 });

  // The tooltip follows the crosshair: UTC+8 date-time, signed value, coverage.
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  const tip = page.getByTestId('sum-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(new RegExp(`${todayUtc8()} \\d{2}:\\d{2}`));
  await expect(tip).toContainText(/Coverage \d+\/27/);
  await screenshot(page, 'market-sum-day');

  // 7 days: the range grows and the chart redraws (only today has data in a fresh simulated node).
  await page.getByTestId('range-7d').click();
  await expect(chart).not.toHaveAttribute('data-range', `${from}-${to}`);
  await expect(chart).toHaveAttribute('data-ready', 'true');
  const [from7, to7] = (await chart.getAttribute('data-range'))!.split('-').map(Number) as [number, number];
  expect(to7 - from7).toBe(7 * 86_400_000);

  // A per-coin overlay adds a series on the left scale.
  await page.getByTestId('overlay-picker').locator('summary').click();
  await page.getByTestId('overlay-BTC').check();
  await page.getByTestId('overlay-ETH').check();
  await page.getByTestId('range-day').click();
  await expect(chart).toHaveAttribute('data-ready', 'true');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await screenshot(page, 'market-sum-overlay');

  // A custom range that runs backwards is refused with a sentence; a valid one loads.
  await page.getByTestId('range-custom').click();
  await page.getByTestId('range-from').fill('2026-02-10');
  await page.getByTestId('range-to').fill('2026-02-01');
  await expect(page.getByTestId('range-apply')).toBeDisabled();
  await expect(page.getByText('Pick a start day on or before the end day')).toBeVisible();
});

test('History shows 48 rows and downloads CSVs with the BOM and the node’s numbers', async ({ ui: page, node }) => {
  await page.getByTestId('nav-history').click();
  const date = todayUtc8();
  await expect(page.getByTestId('hist-date')).toHaveValue(date);
  await expect(page.getByTestId('hist-row')).toHaveCount(48);
  await expect(page.getByTestId('hist-table').locator('thead th')).toHaveCount(1 + 27 + 2);
  await expect(page.getByTestId('hist-row').first().locator('th')).toHaveText('00:00');
  await screenshot(page, 'market-history-today');

  // Full CSV of the day: BOM, seed 003's header, and every row equal to market.day's cells.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-full').click()]);
  const text = fs.readFileSync((await dl.path())!, 'utf8');
  expect(text.startsWith(BOM)).toBe(true);
  const lines = text
    .slice(1)
    .split('\r\n')
    .filter((l) => l !== '');
  expect(lines[0]).toBe('date,time,timestamp,coin,baseline,price,change %');
  const day = (await node.current.call('market.day', { date })).body.value as {
    coins: string[];
    rows: { ts: number; time: string; prices: (number | null)[]; changes: (number | null)[]; sum: number | null }[];
  };
  const byKey = new Map<string, { price: number; change: number | null }>();
  for (const r of day.rows)
    day.coins.forEach((c, i) => r.prices[i] !== null && byKey.set(`${r.ts}|${c}`, { price: r.prices[i]!, change: r.changes[i] ?? null }));
  const body = lines.slice(1);
  expect(body.length).toBeGreaterThan(0);
  // Rows written after the market.day read (a new grid point) are allowed to be extra.
  let matched = 0;
  for (const l of body) {
    const [d, time, ts, coin, , price, change] = l.split(',');
    expect(d).toBe(date);
    const cell = byKey.get(`${ts}|${coin}`);
    if (!cell) continue;
    matched += 1;
    expect(Number(price)).toBe(cell.price);
    expect(change).toBe(cell.change === null ? '' : cell.change.toFixed(6).replace(/^-(0\.0+)$/, '$1'));
    expect(time).toBe(day.rows.find((r) => String(r.ts) === ts)!.time);
  }
  expect(matched).toBe(byKey.size);
  expect(dl.suggestedFilename()).toBe(`coin-prices-full_${date.replaceAll('-', '')}-${date.replaceAll('-', '')}.csv`);
  await expect(page.getByTestId('export-notice')).toContainText('Saved coin-prices-full_');

  // Sum CSV in Chinese: zh-CN headers, one row per grid point so far, sums equal to market.day's.
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('export-sum')).toHaveText('导出总和 CSV');
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sum').click()]);
  const sumText = fs.readFileSync((await dl2.path())!, 'utf8');
  expect(sumText.startsWith(BOM)).toBe(true);
  const sumLines = sumText
    .slice(1)
    .split('\r\n')
    .filter((l) => l !== '');
  expect(sumLines[0]).toBe('日期,时间,时间戳,涨跌幅总和,覆盖币种数,币种总数');
  for (const l of sumLines.slice(1)) {
    const [, , ts, sum, covered, total] = l.split(',');
    const row = day.rows.find((r) => String(r.ts) === ts);
    if (!row || row.sum === null) continue;
    expect(Number(sum)).toBeCloseTo(row.sum, 6);
    expect(Number(total)).toBe(27);
    expect(Number(covered)).toBeGreaterThan(0);
  }
  await screenshot(page, 'market-history-zh');

  // The previous day was never collected: 48 rows, every cell marked with its reason.
  await page.getByTestId('lang-en').click();
  await page.getByTestId('hist-prev').click();
  await expect(page.getByTestId('hist-date')).not.toHaveValue(date);
  await expect(page.getByTestId('hist-row')).toHaveCount(48);
  const missing = page.locator('td.missing').first();
  await expect(missing).toHaveAttribute('title', 'Missing: not collected yet');
  await expect(page.getByTestId('hist-summary')).toContainText('0 of 48 points complete, 1296 cells missing');

  // Prices instead of change %.
  await page.getByTestId('hist-next').click();
  await page.getByTestId('hist-mode-price').click();
  await expect(page.getByTestId('hist-row').first().locator('td').first()).toHaveText(/^\d[\d,]*(\.\d+)?$/);
  await screenshot(page, 'market-history-prices');
});
