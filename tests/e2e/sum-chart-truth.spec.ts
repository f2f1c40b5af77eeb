import { DAY_MS, dayOf, dayStart, dayStartOf } from '../../preload/contract/grid-time.js';
import type { HeadlessNode } from '../helpers/headless.js';
import { linePixelsInColumn } from './chart-pixels.js';
import { expect, screenshot, test } from './fixtures.js';

/**
 * The sum curve tells the truth, in both languages, against a headless node running the simulator:
 * a day missing in the middle of 7 days is a break in the line (checked on the chart's pixels) with
 * a shaded, labelled span; "Day" rolls over at 00:00 UTC+8 (the page's clock is Playwright's).
 */
test.use({ nodeArgs: ['--simulate'] });

const LANGS = [
  { lang: 'en', gapText: 'No data', dayLabel: 'Day' },
  { lang: 'zh-CN', gapText: '无数据', dayLabel: '当日' },
] as const;

type Call = HeadlessNode['call'];

/** Backfills [from, to) with the simulator and waits for the job to finish. */
async function backfill(call: Call, from: number, to: number, coins?: string[]): Promise<void> {
  const r = await call('backfill.start', { from, to, coins });
  expect((r.body as { ok: boolean }).ok, JSON.stringify(r.body)).toBe(true);
  await expect
    .poll(async () => ((await call('backfill.status')).body.value as { job: { state: string } | null }).job?.state, { timeout: 60_000 })
    .toBe('done');
}

test('a day missing in the middle of 7 days is a shaded break in the line, in both languages', async ({ ui: page, node }) => {
  test.setTimeout(150_000);
  const today = dayOf(Date.now());
  const day = (n: number) => dayStart(today) - n * DAY_MS;
  const call: Call = (name, input) => node.current.call(name, input);
  // Days −6…−4 are backfilled, −2…−1 for all coins but one (incomplete points); day −3 has no
  // data at all; today is live.
  const all = (await call('market.sumSeries', { from: day(0), to: day(-1) })).body.value as { coins: string[] };
  await backfill(call, day(6), day(3));
  await backfill(call, day(2), day(0), all.coins.slice(1));
  const series = (await call('market.sumSeries', { from: day(6), to: day(-1) })).body.value as {
    points: { sum: number | null; complete: boolean }[];
  };
  const incomplete = series.points.filter((p) => p.sum !== null && !p.complete).length;
  expect(incomplete).toBeGreaterThanOrEqual(90);

  await page.getByTestId('nav-sum').click();
  const chart = page.getByTestId('sum-chart');
  for (const { lang, gapText } of LANGS) {
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('range-7d').click();
    await expect(chart).toHaveAttribute('data-range', `${day(6)}-${day(-1)}`);
    await expect(chart).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });
    // Incomplete points are counted and marked (the legend's dot).
    await expect(chart).toHaveAttribute('data-incomplete', String(incomplete));
    await expect(page.getByTestId('sum-incomplete')).toContainText(String(incomplete));
    // Keep the crosshair and tooltip out of the picture.
    await page.mouse.move(0, 0);

    // The band over day −3: it starts after day −4's last point and ends at day −2's first.
    const noon = day(3) + DAY_MS / 2;
    const bands = chart.getByTestId('sum-gap');
    await expect(bands.first()).toBeVisible();
    const spans = await bands.evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute('data-from')), Number(e.getAttribute('data-to'))]),
    );
    const k = spans.findIndex(([f, t]) => f! <= noon && noon < t!);
    expect(k, `a gap band covers ${dayOf(day(3))}`).toBeGreaterThanOrEqual(0);
    const band = bands.nth(k);
    await expect(band).toBeVisible();
    await expect(band).toContainText(gapText);
    // The reason comes from the node's missing list (BF001).
    await expect(band).toHaveAttribute('title', lang === 'en' ? 'No data: not collected yet' : '无数据：尚未采集');

    const c = (await chart.boundingBox())!;
    const b = (await band.boundingBox())!;
    const gapX = b.x + b.width / 2 - c.x;
    const dataX = b.x - b.width * 1.5 - c.x; // the middle of day −5
    expect(await linePixelsInColumn(page, chart, dataX), 'the line is drawn over a day with data').toBeGreaterThan(0);
    expect(await linePixelsInColumn(page, chart, gapX), 'no line crosses the missing day').toBe(0);

    // The tooltip over the gap says why.
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await expect(page.getByTestId('sum-tooltip')).toContainText(gapText);
    await screenshot(page, `sum-gap-${lang}`);
    await page.mouse.move(0, 0);

    // Keys on the focused chart: + zooms in, ← pans back, − zooms out; "Fit" shows everything again.
    const view = async () => {
      const [f, t] = (await chart.getAttribute('data-view'))!.split(':').map(Number) as [number, number];
      return { from: f, to: t, width: t - f };
    };
    const fitted = await view();
    // Fitted again = the same width, give or take one live point: the live sum may step past the
    // last grid slot while the test runs, and fit() then keeps it in view (a bar plus its share of
    // the left pad).
    const isFitted = (width: number) => Math.abs(width - fitted.width) <= 2;
    await chart.focus();
    await page.keyboard.press('+');
    await expect.poll(async () => (await view()).width).toBeLessThan(fitted.width * 0.9);
    const zoomed = await view();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await view()).from).toBeLessThan(zoomed.from);
    await page.keyboard.press('-');
    await expect.poll(async () => (await view()).width).toBeGreaterThan(zoomed.width * 1.1);
    await page.getByTestId('sum-fit').click();
    await expect.poll(async () => isFitted((await view()).width)).toBe(true);
    // Shift + drag over a third of the pane zooms to that span.
    await page.keyboard.down('Shift');
    await page.mouse.move(c.x + c.width * 0.3, c.y + c.height / 2);
    await page.mouse.down();
    await page.mouse.move(c.x + c.width * 0.5, c.y + c.height / 2, { steps: 5 });
    await expect(chart.getByTestId('sum-select')).toBeVisible();
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(async () => (await view()).width).toBeLessThan(fitted.width * 0.4);
    await page.getByTestId('sum-fit').click();
    await expect.poll(async () => isFitted((await view()).width)).toBe(true);
    await expect(page.getByTestId('sum-fit')).toHaveText(lang === 'en' ? 'Fit' : '全部显示');
  }
});

for (const { lang, dayLabel } of LANGS) {
  test(`"Day" rolls over to the new UTC+8 day at 00:00 (${lang})`, async ({ ui: page }) => {
    // 23:59:30 UTC+8 of today: the page's clock runs from there, under the test's control.
    const midnight = dayStartOf(Date.now()) + DAY_MS;
    await page.clock.install({ time: midnight - 30_000 });
    await page.reload();
    await expect(page.getByTestId('screen-title')).toBeVisible();
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-sum').click();
    await expect(page.getByTestId('range-day')).toHaveText(dayLabel);
    const chart = page.getByTestId('sum-chart');
    await expect(chart).toHaveAttribute('data-range', `${midnight - DAY_MS}-${midnight}`);
    await expect(page.getByTestId('sum-range-label')).toContainText(dayOf(midnight - DAY_MS));
    await expect(chart).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });

    await page.clock.fastForward(60_000);
    await expect(chart).toHaveAttribute('data-range', `${midnight}-${midnight + DAY_MS}`);
    await expect(page.getByTestId('sum-range-label')).toContainText(dayOf(midnight));
    await expect(chart).toHaveAttribute('data-ready', 'true');
    await screenshot(page, `sum-day-rollover-${lang}`);
  });
}
