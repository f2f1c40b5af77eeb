/**
 * Issue 16, "one error path" for records: a peer refusing our token shows in Sync › Receiver and in
 * Settings › Sources as one sentence in the UI's language that says what to do — not the node's
 * English diagnostic. Two real nodes: the UI's, and a sender on this machine that refuses the token.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from '../helpers/headless.js';
import { removeDir, startNode, type SyncNodeProc } from '../integration/receiver-harness.js';
import { expect, test } from './fixtures.js';
import { latinWords } from './zh-text.js';

test.use({ nodeArgs: ['--sender-port', '0', '--no-collect'] });

const SCREENS_DIR = path.join(ROOT, 'test-results', 'screens');
const AUTH_ZH = '对方拒绝了令牌。请与它配对（配对）；若是旧版节点，请粘贴它“同步 › 发送端”中的令牌。';
const AUTH_EN = 'The peer refused the token. Pair with it (Pair); for an older node, paste the token from its Sync › Sender.';

let peer: SyncNodeProc;
test.beforeEach(async () => {
  peer = await startNode();
  // An older-style peer: the shared token over plain HTTP on loopback (both off by default).
  expect((await peer.call('sender.config.update', { legacyToken: true, loopbackHttp: true })).status).toBe(200);
});
test.afterEach(async () => {
  await peer.stop();
  removeDir(peer.dir);
});

/** An element's visible text, without names and codes (translate="no", .mono), as the zh-CN audit reads it. */
const textOf = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .first()
    .evaluate((el) => {
      const clone = el.cloneNode(true) as HTMLElement;
      for (const x of clone.querySelectorAll('[translate="no"], .mono')) x.remove();
      return clone.textContent ?? '';
    });

test('a peer with a wrong token: the receiver row and the sources panel say it in Chinese, then in English', async ({ ui: page, node }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const added = await node.current.call('peers.add', {
    name: 'Desk B',
    url: peer.senderUrl.replace('https:', 'http:'),
    token: 'wrong-token',
  });
  expect(added.status).toBe(200);
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.evaluate(() => (window.location.hash = '#/sync/receiver'));
  const row = page.getByTestId('peer-row');
  await row.getByTestId('peer-sync').click();
  await expect(row).toHaveAttribute('data-state', 'auth_failed', { timeout: 30_000 });
  await expect(row.getByTestId('peer-last-error')).toHaveText(AUTH_ZH);
  await page.screenshot({ path: path.join(SCREENS_DIR, 'zh-CN-error-peer-wrong-token.png'), fullPage: true });
  expect(latinWords(await textOf(page, 'peer-row')), 'Latin words in the zh-CN peer row').toEqual([]);
  // Its run history says the failed run the same way.
  await row.click();
  await expect(page.getByTestId('run-row').first()).toContainText(AUTH_ZH);
  expect(latinWords(await textOf(page, 'run-row')), 'Latin words in the zh-CN run row').toEqual([]);

  // The node keeps its English words for scripts and older UIs, with the reason beside them.
  const listed = (await node.current.call('sync.status', {})).body.value.peers[0];
  expect(listed.lastError).toMatch(/token/i);
  expect(listed.lastErrorReason).toMatchObject({ reason: 'peer.auth' });

  // Settings › Sources: the peer is down, for the same reason, in the same words.
  await page.evaluate(() => (window.location.hash = '#/settings'));
  const source = page.getByTestId('source-row').filter({ hasText: 'Desk B' });
  await expect(source).toHaveAttribute('data-state', 'down');
  await expect(source.getByTestId('source-last-error')).toContainText(AUTH_ZH);
  expect(latinWords((await source.textContent())!.replaceAll('Desk B', ' '))).toEqual([]);

  await page.getByTestId('lang-en').click();
  await expect(source.getByTestId('source-last-error')).toContainText(AUTH_EN);
  await page.evaluate(() => (window.location.hash = '#/sync/receiver'));
  await expect(row.getByTestId('peer-last-error')).toHaveText(AUTH_EN);
});
