import { DAY_MS, dayOf, dayStart } from '../../preload/contract/grid-time.js';
import { writeGridThroughToday } from '../helpers/grid-fill.js';
import { expect, screenshot, test } from './fixtures.js';
import { linePixelsInColumn } from './chart-pixels.js';

/**
 * A long range comes thinned to about one point per pixel column (main/node/market/sum-downsample.ts):
 * the curve must still break over a missing day, on the chart's pixels, and count every real point.
 */
// No collector writing live prices over the filled ones: the exchange hosts point at a closed port.
test.use({
  nodeArgs: ['--okx-rest', 'http://127.0.0.1:1', '--okx-ws-public', 'ws://127.0.0.1:1/a', '--okx-ws-business', 'ws://127.0.0.1:1/b'],
});

const DAYS = 120;

test('a thinned 120-day range still breaks over the missing day and counts every point', async ({ ui: page, node }) => {
  test.setTimeout(120_000);
  let grid: ReturnType<typeof writeGridThroughToday> | undefined;
  await node.restart({ beforeStart: async () => void (grid = writeGridThroughToday(node.dataDir, DAYS)) });
  await page.goto(node.uiUrl());
  await page.getByTestId('nav-sum').click();
  await page.getByTestId('range-custom').click();
  await page.getByTestId('range-from').fill(dayOf(grid!.from));
  await page.getByTestId('range-to').fill(dayOf(Date.now()));
  await page.getByTestId('range-apply').click();
  const chart = page.getByTestId('sum-chart');
  const to = dayStart(dayOf(Date.now())) + DAY_MS;
  await expect(chart).toHaveAttribute('data-range', `${grid!.from}-${to}`);
  await expect(chart).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });

  // Every real point is counted, though far fewer were sent and drawn.
  const full = (await node.current.call('market.sumSeries', { from: grid!.from, to })).body.value as { points: { sum: number | null }[] };
  const withSum = full.points.filter((p) => p.sum !== null).length;
  expect(full.points.length).toBeGreaterThan(DAYS * 40);
  await expect(chart).toHaveAttribute('data-points', String(withSum));
  const thin = (await node.current.call('market.sumSeries', { from: grid!.from, to, maxPoints: 1_200 })).body.value as {
    points: unknown[];
    sampled: { slots: number; withSum: number; thinned: boolean };
  };
  expect(thin.points.length).toBeLessThanOrEqual(1_200);
  expect(thin.sampled).toMatchObject({ slots: full.points.length, withSum, thinned: true });

  await page.mouse.move(0, 0);
  const missing = dayStart(grid!.missingDay);
  const bands = chart.getByTestId('sum-gap');
  const spans = await bands.evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-from')), Number(e.getAttribute('data-to'))]));
  const k = spans.findIndex(([f, t]) => f === missing && t === missing + DAY_MS);
  expect(k, `a gap band spans exactly ${grid!.missingDay}`).toBeGreaterThanOrEqual(0);
  const band = bands.nth(k);
  await expect(band).toBeVisible();
  const c = (await chart.boundingBox())!;
  const b = (await band.boundingBox())!;
  expect(b.width).toBeGreaterThan(3);
  expect(await linePixelsInColumn(page, chart, b.x + b.width / 2 - c.x), 'no line crosses the missing day').toBe(0);
  expect(await linePixelsInColumn(page, chart, b.x - 40 - c.x), 'the line is drawn over the days before it').toBeGreaterThan(0);
  await screenshot(page, 'sum-long-thinned-en');
});
