import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { fetch, type Agent } from 'undici';
import { pinnedAgent } from '../../main/node/net/pinned-tls.js';
import { expect, screenshot, test } from './fixtures.js';

/**
 * Every data table sorts by any column (click = ascending, again = descending, `aria-sort` says
 * which) and filters by coin; History pins Time and Sum at 1440 px and exports only the coins it
 * shows. A headless node on the simulator; expected orders come from the page's own cells, and
 * the CSV's coins from the filter the test typed.
 */
test.use({ nodeArgs: ['--simulate'], viewport: { width: 1440, height: 900 } });

/** '1,234.5' / '+0.12' / '−3.40' / '—' → number, or null for no value. */
const parse = (s: string): number | null => {
  const t = s.trim().replace(/,/g, '').replace('−', '-');
  return t === '—' || t === '' ? null : Number(t);
};
/** Values present sort in order, and values missing come after them, in both directions. */
function expectSorted(values: (number | null)[], dir: 'asc' | 'desc'): void {
  const present = values.filter((v): v is number => v !== null);
  const firstMissing = values.indexOf(null);
  if (firstMissing >= 0)
    expect(
      values.slice(firstMissing).every((v) => v === null),
      'missing values last',
    ).toBe(true);
  const want = [...present].sort((a, b) => (dir === 'asc' ? a - b : b - a));
  expect(present).toEqual(want);
}
/** The texts of one column's cells, read in one pass so a live re-render cannot interleave. */
const columnTexts = (rows: Locator, index: number) =>
  rows.evaluateAll((trs, i) => trs.map((tr) => tr.children[i]?.textContent ?? ''), index);

test('Overview coin table sorts by coin, price and change, and filters by coin', async ({ ui: page }) => {
  const rows = page.getByTestId('coin-table').locator('tbody tr');
  await expect(rows).toHaveCount(27, { timeout: 15_000 });
  await expect.poll(async () => (await columnTexts(rows, 1)).filter((p) => parse(p) !== null).length, { timeout: 15_000 }).toBe(27);
  const settingsOrder = await columnTexts(rows, 0);
  const alpha = [...settingsOrder].sort();
  expect(settingsOrder).not.toEqual(alpha);

  const coinHead = page.getByTestId('coin-sort-coin');
  await coinHead.click();
  await expect(page.locator('th', { has: coinHead })).toHaveAttribute('aria-sort', 'ascending');
  expect(await columnTexts(rows, 0)).toEqual(alpha);
  await coinHead.click();
  await expect(page.locator('th', { has: coinHead })).toHaveAttribute('aria-sort', 'descending');
  expect(await columnTexts(rows, 0)).toEqual([...alpha].reverse());

  // Price: prices tick, so each read checks the order of that very snapshot.
  await page.getByTestId('coin-sort-price').click();
  await expect(page.locator('th', { has: coinHead })).not.toHaveAttribute('aria-sort', /./);
  expectSorted((await columnTexts(rows, 1)).map(parse), 'asc');
  expect(await columnTexts(rows, 0)).not.toEqual(alpha);
  await page.getByTestId('coin-sort-change').click();
  await page.getByTestId('coin-sort-change').click();
  await expect(page.locator('th', { has: page.getByTestId('coin-sort-change') })).toHaveAttribute('aria-sort', 'descending');
  expectSorted((await columnTexts(rows, 2)).map(parse), 'desc');
  await screenshot(page, 'tables-overview-sorted');

  // Filter: words match any part of a symbol, case-insensitively; the sort still holds.
  await page.getByTestId('coin-filter').fill('btc, eth');
  const want = settingsOrder.filter((c) => c.includes('BTC') || c.includes('ETH'));
  await expect(rows).toHaveCount(want.length);
  expect((await columnTexts(rows, 0)).sort()).toEqual([...want].sort());
  await page.getByTestId('coin-filter').fill('ZZZ');
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('coin-no-match')).toHaveText('No coin matches “ZZZ”.');
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('coin-no-match')).toHaveText('没有与“ZZZ”匹配的币种。');
  await expect(page.getByTestId('coin-filter')).toHaveAttribute('placeholder', '币种，例如 BTC ETH');
  await page.getByTestId('lang-en').click();
  await page.getByTestId('coin-filter').fill('');
  await expect(rows).toHaveCount(27);
});

async function openHistory(page: Page): Promise<Locator> {
  await page.getByTestId('nav-history').click();
  const rows = page.getByTestId('hist-row');
  await expect(rows).toHaveCount(48);
  // The simulator repairs today's grid at start: wait until at least one sum is on screen.
  await expect
    .poll(async () => (await rows.getByTestId('hist-sum').allTextContents()).filter((s) => parse(s) !== null).length)
    .toBeGreaterThan(0);
  return rows;
}

test('History sorts by time, a coin and the sum, pins Time and Sum at 1440 px', async ({ ui: page }) => {
  const rows = await openHistory(page);
  const times = () => columnTexts(rows, 0);
  const sums = async () => (await rows.getByTestId('hist-sum').allTextContents()).map(parse);
  const timeOrder = await times();
  const rowOf = new Map(timeOrder.map((t, i) => [t, i] as const));
  const loadedSums = await sums();
  expect(timeOrder[0]).toBe('00:00');
  expect(timeOrder.at(-1)).toBe('23:30');

  // Time: first click ascending (as loaded), second descending.
  await page.getByTestId('hist-sort-time').click();
  expect(await times()).toEqual(timeOrder);
  await page.getByTestId('hist-sort-time').click();
  await expect(page.locator('th', { has: page.getByTestId('hist-sort-time') })).toHaveAttribute('aria-sort', 'descending');
  expect(await times()).toEqual([...timeOrder].reverse());

  // Sum ascending, then descending; rows without a sum (later today) stay at the end.
  await page.getByTestId('hist-sort-sum').click();
  await expect(page.locator('th', { has: page.getByTestId('hist-sort-sum') })).toHaveAttribute('aria-sort', 'ascending');
  expectSorted(await sums(), 'asc');
  await page.getByTestId('hist-sort-sum').click();
  expectSorted(await sums(), 'desc');
  // Whole rows move: each time keeps the sum it had in time order. (The order itself may equal
  // time order on a day whose sum only fell, so that is not what is checked.)
  const [sortedTimes, sortedSums] = [await times(), await sums()];
  // A grid point that arrived since the load is the only sum allowed to be new.
  const pairs = sortedTimes.map((t, i) => [sortedSums[i], loadedSums[rowOf.get(t)!]] as const);
  const kept = pairs.filter(([now, then]) => now !== null && then !== null);
  expect(kept.length).toBeGreaterThan(0);
  for (const [now, then] of kept) expect(now).toBe(then);

  // A coin column (BTC is column 1: after Time) in price mode sorts by price.
  await page.getByTestId('hist-mode-price').click();
  await page.getByTestId('hist-sort-coin-BTC').click();
  const btc = async () => (await columnTexts(rows, 1)).map((s) => (s === '·' ? null : parse(s)));
  expectSorted(await btc(), 'asc');
  await screenshot(page, 'tables-history-sorted');

  // Pinned: the table is wider than 1440 px, yet Sum stays at the right edge and Time at the left,
  // scrolled or not.
  const wrap = page.locator('.hist-wrap');
  const wrapBox = (await wrap.boundingBox())!;
  expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  const sumHead = page.locator('th', { has: page.getByTestId('hist-sort-sum') });
  const timeHead = page.locator('th', { has: page.getByTestId('hist-sort-time') });
  for (const scroll of [0, 10_000]) {
    await wrap.evaluate((el, x) => el.scrollTo({ left: x }), scroll);
    const s = (await sumHead.boundingBox())!;
    const tm = (await timeHead.boundingBox())!;
    expect(s.x + s.width).toBeLessThanOrEqual(wrapBox.x + wrapBox.width + 1);
    expect(s.x).toBeGreaterThan(wrapBox.x + wrapBox.width / 2);
    expect(Math.abs(tm.x - wrapBox.x)).toBeLessThanOrEqual(2);
    await expect(rows.first().getByTestId('hist-sum')).toBeInViewport();
  }
});

test('History coin filter narrows the columns, and the full CSV holds only those coins', async ({ ui: page, node }) => {
  const rows = await openHistory(page);
  const head = page.getByTestId('hist-table').locator('thead th');
  await expect(head).toHaveCount(1 + 27 + 2);
  await page.getByTestId('hist-coin-filter').fill('btc eth');
  const day = (await node.current.call('market.day', { date: await page.getByTestId('hist-date').inputValue() })).body.value as {
    coins: string[];
  };
  const want = day.coins.filter((c) => c.includes('BTC') || c.includes('ETH'));
  expect(want.length).toBeGreaterThanOrEqual(2);
  await expect(head).toHaveCount(1 + want.length + 2);
  await expect(page.getByTestId('hist-coin-ETH')).toBeChecked();
  // A chip switched off narrows it further, and the export follows both.
  await page.locator('.overlay-picker summary').click();
  await page.getByTestId('hist-coin-ETH').uncheck();
  const shown = want.filter((c) => c !== 'ETH');
  await expect(head).toHaveCount(1 + shown.length + 2);
  await expect(rows.first().locator('td')).toHaveCount(shown.length + 2);

  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-full').click()]);
  const lines = fs
    .readFileSync((await dl.path())!, 'utf8')
    .slice(1)
    .split('\r\n')
    .filter((l) => l !== '');
  expect(lines[0]).toBe('date,time,timestamp,coin,baseline,price,change %');
  const coins = new Set(lines.slice(1).map((l) => l.split(',')[3]));
  expect([...coins].sort()).toEqual([...shown].sort());
  await expect(page.getByTestId('export-notice')).toContainText(`(${lines.length - 1} rows)`);

  // No filter: every coin again, in the table and in the file.
  await page.getByTestId('hist-coin-filter').fill('');
  await page.getByTestId('hist-coin-ETH').check();
  await expect(head).toHaveCount(1 + 27 + 2);
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-full').click()]);
  const all = new Set(
    fs
      .readFileSync((await dl2.path())!, 'utf8')
      .split('\r\n')
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => l.split(',')[3]),
  );
  expect(all.size).toBe(27);
  await screenshot(page, 'tables-history-filtered');
});

test('sender request log sorts its page by status, path and size, and filters', async ({ ui: page, node }) => {
  const call = (n: string, i: unknown = {}) => node.current.call(n, i);
  expect((await call('sender.config.update', { port: 0, legacyToken: true })).status).toBe(200);
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('tab-sender').click();
  await expect(page.getByTestId('screen-sync-sender')).toBeVisible();
  const view = (await call('sender.config.get')).body.value as {
    token: string;
    identity: { fingerprint: string };
    listening: { url: string };
  };
  const agent: Agent = pinnedAgent({ pin: view.identity.fingerprint });
  const get = async (path: string) => {
    const res = await fetch(`${view.listening.url}${path}`, { headers: { authorization: `Bearer ${view.token}` }, dispatcher: agent });
    await res.arrayBuffer();
    return res.status;
  };
  for (let i = 0; i < 4; i++) expect(await get('/api/data-sync/sender/catalog')).toBe(200);
  for (let i = 0; i < 3; i++) expect(await get('/api/data-sync/sender/data/PB001?since=0&limit=10')).toBe(200);
  for (let i = 0; i < 2; i++) expect(await get('/api/data-sync/sender/data/ZZ999?since=0')).toBe(404);

  const entries = page.getByTestId('log-entry');
  await expect(entries).toHaveCount(9);
  const col = async (i: number) => columnTexts(entries, i);
  const newest = await col(0);
  // Newest first from the node: the two 404s lead.
  expect((await col(4)).slice(0, 2)).toEqual(['404', '404']);

  await page.getByTestId('log-sort-status').click();
  await expect(page.locator('th', { has: page.getByTestId('log-sort-status') })).toHaveAttribute('aria-sort', 'ascending');
  expectSorted((await col(4)).map(parse), 'asc');
  expect((await col(4)).slice(-2)).toEqual(['404', '404']);
  await page.getByTestId('log-sort-status').click();
  expectSorted((await col(4)).map(parse), 'desc');

  await page.getByTestId('log-sort-path').click();
  const paths = await col(2);
  expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  expect(paths[0]).toContain('/catalog');
  await page.getByTestId('log-sort-bytes').click();
  await page.getByTestId('log-sort-bytes').click();
  await expect(page.locator('th', { has: page.getByTestId('log-sort-bytes') })).toHaveAttribute('aria-sort', 'descending');
  await screenshot(page, 'tables-sender-log-sorted');

  // The dataset filter keeps the sort; "newest first again" restores the node's order.
  await page.getByTestId('log-filter-dataset').selectOption('PB001');
  await expect(entries).toHaveCount(3);
  await page.getByTestId('log-filter-dataset').selectOption('');
  await expect(entries).toHaveCount(9);
  await page.getByTestId('log-sort-reset').click();
  await expect(page.getByTestId('log-sort-reset')).toHaveCount(0);
  expect(await col(0)).toEqual(newest);
  await agent.close();
});
