import type { Page } from '@playwright/test';
import { fetch, type Agent } from 'undici';
import { pinnedAgent } from '../../main/node/net/pinned-tls.js';
import { expect, screenshot, test } from './fixtures.js';

interface ConfigView {
  config: { enabled: boolean; allowList: string[]; port: number };
  token: string;
  identity: { nodeId: string; fingerprint: string };
  state: string;
  listening: { host: string; port: number; url: string } | null;
}

type Call = (name: string, input?: unknown) => Promise<{ status: number; body: any }>;

async function configOf(call: Call): Promise<ConfigView> {
  const r = await call('sender.config.get', {});
  expect(r.status).toBe(200);
  return r.body.value as ConfigView;
}

/** TLS to the node's own certificate (its fingerprint from sender.config.get), as a script that pinned it would. */
const agents = new Map<string, Agent>();
const agentFor = (fingerprint: string) =>
  agents.get(fingerprint) ?? agents.set(fingerprint, pinnedAgent({ pin: fingerprint })).get(fingerprint)!;
let pin = '';

/** What a script does: GET the catalog from the sender port (HTTPS) with the shared bearer token. */
async function pullCatalog(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/data-sync/sender/catalog`, {
    headers: { authorization: `Bearer ${token}` },
    dispatcher: agentFor(pin),
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * The sender binds 17411 by default, which another node on this machine may hold; every test
 * moves it to a free port (0) through the control API before the screen opens.
 */
async function openSender(page: Page, call: Call): Promise<ConfigView> {
  const r = await call('sender.config.update', { port: 0 });
  expect(r.status).toBe(200);
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('tab-sender').click();
  await expect(page.getByTestId('screen-sync-sender')).toBeVisible();
  const view = await configOf(call);
  expect(view.state).toBe('running');
  pin = view.identity.fingerprint;
  return view;
}

test('sender: off and on, token rotation, allow-list validation, live request counter', async ({ ui: page, node }) => {
  const call: Call = (n, i) => node.current.call(n, i);
  let view = await openSender(page, call);
  await expect(page.getByTestId('sender-state')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('sender-url')).toHaveText(`127.0.0.1:${view.listening!.port}`);
  await expect(page.getByTestId('sender-lan-note')).toContainText('127.0.0.1 only');
  await expect(page.getByTestId('sender-addresses')).toContainText(view.listening!.url);
  await screenshot(page, 'sender-running');

  // Off: the node stops listening and the old address refuses connections.
  const before = view.listening!.url;
  await page.getByTestId('sender-enabled').uncheck();
  await expect(page.getByTestId('sender-state')).toHaveAttribute('data-state', 'stopped');
  await expect(page.getByTestId('sender-status')).toContainText('The sender is off');
  expect((await configOf(call)).config.enabled).toBe(false);
  await expect(pullCatalog(before, view.token)).rejects.toThrow();
  await screenshot(page, 'sender-off');

  // On again: listening on a (new, port 0) address shown on the screen.
  await page.getByTestId('sender-enabled').check();
  await expect(page.getByTestId('sender-state')).toHaveAttribute('data-state', 'running');
  view = await configOf(call);
  expect(view.config.enabled).toBe(true);
  await expect(page.getByTestId('sender-url')).toHaveText(`127.0.0.1:${view.listening!.port}`);
  const url = view.listening!.url;

  // The shared token is off by default (paired devices have their own); a script needs it on.
  await expect(page.getByTestId('sender-legacy-token')).not.toBeChecked();
  await expect(page.getByTestId('sender-loopback-http')).not.toBeChecked();
  // A controlled switch: it flips when the node has answered.
  await page.getByTestId('sender-legacy-token').click();
  await expect(page.getByTestId('sender-legacy-token')).toBeChecked();
  await expect.poll(async () => (await configOf(call)).config).toMatchObject({ legacyToken: true, loopbackHttp: false });

  // Token: masked until revealed, then exactly the node's token.
  const oldToken = view.token;
  await expect(page.getByTestId('sender-token')).not.toContainText(oldToken);
  await page.getByTestId('sender-token-reveal').click();
  await expect(page.getByTestId('sender-token')).toHaveText(oldToken);
  expect(await pullCatalog(url, oldToken)).toBe(200);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('sender-token-copy').click();
  await expect(page.getByTestId('sender-token-copy')).toHaveText('Copied');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(oldToken);

  // Rotate asks first; Cancel keeps the token.
  await page.getByTestId('sender-token-rotate').click();
  await expect(page.getByTestId('rotate-dialog')).toContainText('will fail (401)');
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('rotate-dialog')).toHaveCount(0);
  expect((await configOf(call)).token).toBe(oldToken);
  await page.getByTestId('sender-token-rotate').click();
  await screenshot(page, 'sender-rotate-dialog');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('sender-token')).not.toHaveText(oldToken);
  const newToken = (await configOf(call)).token;
  expect(newToken).not.toBe(oldToken);
  await expect(page.getByTestId('sender-token')).toHaveText(newToken);
  expect(await pullCatalog(url, oldToken)).toBe(401);
  expect(await pullCatalog(url, newToken)).toBe(200);

  // Allow-list: a bad CIDR is parsed where it is typed and refused with a sentence naming it; no chip, nothing saved.
  const savedList = (await configOf(call)).config.allowList;
  await page.getByTestId('allow-input').fill('10.0.0.0/33');
  await page.getByTestId('allow-add').click();
  const err = page.getByTestId('allow-error');
  await expect(err).toHaveText('“10.0.0.0/33” is not an IP address or range: write one like 192.168.1.20, 192.168.1.0/24 or fc00::/7.');
  await expect(page.getByTestId('allow-entry')).toHaveCount(savedList.length);
  await expect(page.getByTestId('allow-input')).toHaveValue('10.0.0.0/33');
  await expect(page.getByTestId('allow-save')).toBeDisabled();
  expect((await configOf(call)).config.allowList).toEqual(savedList);
  await screenshot(page, 'sender-allow-error');

  // Fix it: type a valid range and a single address instead; it saves.
  await page.getByTestId('allow-input').fill('192.168.5.0/24, 100.64.1.2');
  await expect(err).toHaveCount(0);
  await page.getByTestId('allow-input').press('Enter');
  await page.getByTestId('allow-save').click();
  await expect(page.getByTestId('allow-saved')).toBeVisible();
  expect((await configOf(call)).config.allowList).toEqual([...savedList, '192.168.5.0/24', '100.64.1.2']);
  // Loopback is still on the list, so a local peer still gets in.
  expect(await pullCatalog(url, newToken)).toBe(200);

  // Live counter: a client pulls a few times; the screen follows without a reload.
  const counter = page.getByTestId('stat-requests');
  await expect(counter).toHaveText(String((await call('sender.stats', {})).body.value.totals.requests));
  const shownBefore = Number((await counter.textContent())!.replace(/,/g, ''));
  for (let i = 0; i < 4; i++) expect(await pullCatalog(url, newToken)).toBe(200);
  const total: number = (await call('sender.stats', {})).body.value.totals.requests;
  expect(total).toBeGreaterThanOrEqual(shownBefore + 4);
  await expect(counter).toHaveText(total.toLocaleString('en-US'), { timeout: 5_000 });
  await expect(page.getByTestId('stat-failed')).toHaveText('1'); // the old token's 401
  await expect(page.getByTestId('stat-last')).toContainText('/api/data-sync/sender/catalog');

  // Request log: newest first, live; the outcome filter isolates the 401.
  const entries = page.getByTestId('log-entry');
  await expect(entries).toHaveCount(total);
  await expect(entries.first()).toContainText('GET /api/data-sync/sender/catalog');
  await page.getByTestId('log-filter-outcome').selectOption('failed');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('401');
  await page.getByTestId('log-filter-outcome').selectOption('');
  await page.getByTestId('log-filter-client').fill('10.9.9.9');
  await expect(page.getByTestId('sender-log')).toContainText('No requests match.');
  await page.getByTestId('log-filter-client').fill('127.0.0.1');
  await expect(entries).toHaveCount(total);
  await screenshot(page, 'sender-stats');
  await page.getByTestId('sender-log').scrollIntoViewIfNeeded();
  await screenshot(page, 'sender-log');
});

test('sender: validation sentences for port and limits, and the screen in Chinese', async ({ ui: page, node }) => {
  const call: Call = (n, i) => node.current.call(n, i);
  await openSender(page, call);

  // LAN on: listens on every interface, lists each address a peer could use; off again: loopback only.
  await page.getByTestId('sender-lan').check();
  await expect(page.getByTestId('sender-lan-note')).toContainText('every network interface');
  await expect(page.getByTestId('sender-url')).toContainText('0.0.0.0:');
  const lan = await configOf(call);
  expect(lan.listening!.host).toBe('0.0.0.0');
  for (const a of (await call('sender.config.get', {})).body.value.addresses as { url: string }[]) {
    await expect(page.getByTestId('sender-addresses')).toContainText(a.url);
  }
  // The stats follow the re-bind (uptime restarts from the new listener).
  await expect(page.getByTestId('stat-uptime')).toHaveText(/^\d\d:\d\d:\d\d$/);
  await screenshot(page, 'sender-lan-on');
  await page.getByTestId('sender-lan').uncheck();
  await expect(page.getByTestId('sender-lan-note')).toContainText('127.0.0.1 only');
  await expect(page.getByTestId('sender-url')).toContainText('127.0.0.1:');
  expect((await configOf(call)).listening!.host).toBe('127.0.0.1');

  await page.getByTestId('sender-port').fill('70000');
  await expect(page.getByTestId('sender-port-error')).toHaveText('Port must be at most 65535.');
  await page.getByTestId('sender-port-apply').click();
  expect((await configOf(call)).config.port).toBe(0);

  await page.getByTestId('sender-maxPageRows').fill('9000');
  await expect(page.getByTestId('sender-maxPageRows-error')).toHaveText('Max rows per page must be at most 5,000.');
  await expect(page.getByTestId('sender-limits-save')).toBeDisabled();
  await page.getByTestId('sender-maxPageRows').fill('2000');
  await page.getByTestId('sender-rateLimitPerMinute').fill('600');
  await page.getByTestId('sender-limits-save').click();
  await expect(page.getByTestId('sender-maxPageRows-error')).toHaveCount(0);
  await expect.poll(async () => (await configOf(call)).config).toMatchObject({ maxPageRows: 2000, rateLimitPerMinute: 600 });

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('tab-sender')).toHaveText('发送端');
  await expect(page.getByTestId('sender-lan-note')).toContainText('只监听 127.0.0.1');
  await expect(page.getByTestId('sender-stats')).toContainText('总请求数');
  await screenshot(page, 'sender-zh');
});

test('catalog: every dataset, search in both languages, sortable', async ({ ui: page, node }) => {
  const catalog = (await node.current.call('sender.catalog', {})).body.value.datasets as { code: string; nameZh: string }[];
  expect(catalog.length).toBeGreaterThan(2);
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('tab-catalog').click();
  const rows = page.getByTestId('catalog-row');
  await expect(rows).toHaveCount(catalog.length);
  const codes = catalog.map((d) => d.code).sort();
  await expect(rows.first()).toHaveAttribute('data-code', codes[0]!);
  await expect(page.getByTestId('catalog-table')).toContainText('/api/data-sync/sender/data/PB001');
  await screenshot(page, 'catalog-en');

  // Sorting: code descending puts the last code first.
  await page.getByTestId('catalog-sort-code').click();
  await expect(rows.first()).toHaveAttribute('data-code', codes.at(-1)!);

  // Search: English description words, the code, the Chinese name.
  const search = page.getByTestId('catalog-search');
  await search.fill('baselines');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-code', 'PB001');
  await search.fill('cs001');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-code', 'CS001');
  await search.fill('价格基准');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('catalog-count')).toHaveText(`1 of ${catalog.length} datasets`);
  await search.fill('no-such-dataset');
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('catalog-empty')).toContainText('No dataset matches');
  await search.fill('');
  await expect(rows).toHaveCount(catalog.length);

  // Chinese UI: Chinese names and descriptions; searching an English word still works.
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('catalog-table')).toContainText('价格基准数据');
  await expect(page.getByTestId('catalog-table')).toContainText('可增量同步');
  await search.fill('missing');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-code', 'BF001');
  await search.fill('');
  await screenshot(page, 'catalog-zh');
});

test('sender: request log pages back with beforeId, filters by dataset; per-dataset counters', async ({ ui: page, node }) => {
  const call: Call = (n, i) => node.current.call(n, i);
  const view = await openSender(page, call);
  const url = view.listening!.url;
  expect((await call('sender.config.update', { legacyToken: true })).status).toBe(200);
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${view.token}` }, dispatcher: agentFor(pin) });
    await res.arrayBuffer();
    return res.status;
  };
  // 55 catalog pulls, 3 pages of PB001, 2 requests for a code that does not exist (404).
  for (let i = 0; i < 55; i++) expect(await get('/api/data-sync/sender/catalog')).toBe(200);
  for (let i = 0; i < 3; i++) expect(await get('/api/data-sync/sender/data/PB001?since=0&limit=10')).toBe(200);
  for (let i = 0; i < 2; i++) expect(await get('/api/data-sync/sender/data/ZZ999?since=0')).toBe(404);
  const total = 60;
  await expect(page.getByTestId('stat-requests')).toHaveText(String(total));
  await expect(page.getByTestId('dataset-stat-PB001')).toContainText('PB001');
  await expect(page.getByTestId('dataset-stat-PB001').locator('td').nth(1)).toHaveText('3');

  // Newest 50 on the live page, the other 10 one page back (the node answers by beforeId).
  const entries = page.getByTestId('log-entry');
  await expect(entries).toHaveCount(50);
  await expect(entries.first()).toContainText('ZZ999');
  await page.getByTestId('log-older').click();
  await expect(page.getByTestId('log-page-info')).toHaveText('Page 2');
  await expect(entries).toHaveCount(total - 50);
  await expect(page.getByTestId('log-older')).toBeDisabled();
  await expect(entries.last()).toContainText('/api/data-sync/sender/catalog');
  await page.getByTestId('log-newer').click();
  await expect(page.getByTestId('log-page-info')).toHaveText('Newest, live');
  await expect(entries).toHaveCount(50);

  await page.getByTestId('log-filter-dataset').selectOption('PB001');
  await expect(entries).toHaveCount(3);
  await expect(entries.first()).toContainText('GET /api/data-sync/sender/data/PB001');
  await page.getByTestId('log-filter-dataset').selectOption('');
  await page.getByTestId('log-filter-outcome').selectOption('failed');
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('404');
  await page.getByTestId('sender-dataset-stats').scrollIntoViewIfNeeded();
  await screenshot(page, 'sender-log-filtered');
});
