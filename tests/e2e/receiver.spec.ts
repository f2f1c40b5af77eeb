import { tempDataDir } from '../helpers/headless.js';
import { removeDir, seedGrid, startNode, type SyncNodeProc } from '../integration/receiver-harness.js';
import { expect, screenshot, test } from './fixtures.js';

// The UI's node and a second node (the peer) both run without live collection, so the only
// market rows the UI node can show are the ones it syncs.
test.use({ nodeArgs: ['--sender-port', '0', '--no-collect'] });

const DATE = '2025-03-10';
/** 00:00 of DATE in UTC+8, the grid's day. */
const DAY_START = Date.UTC(2025, 2, 10) - 8 * 3_600_000;

let peer: SyncNodeProc;
test.beforeEach(async () => {
  const dir = tempDataDir('csn-e2e-peer-');
  const rows = [];
  for (let i = 0; i < 48; i++) {
    rows.push(['BTC', DAY_START + i * 1_800_000, 80_000 + i, 80_000, (i / 80_000) * 100, 'backfill']);
    rows.push(['ETH', DAY_START + i * 1_800_000, 2_000 + i, 2_000, (i / 2_000) * 100, 'backfill']);
  }
  seedGrid(dir, rows, DAY_START + 86_400_000);
  peer = await startNode(dir);
});
test.afterEach(async () => {
  await peer.stop();
  removeDir(peer.dir);
});

test('an older-style peer by URL + token on this machine: test the connection, sync, and see its rows in History', async ({ ui: page }) => {
  // Scripts and pre-pairing peers: the shared token and plain HTTP on loopback, both off by default.
  expect((await peer.call('sender.config.update', { legacyToken: true, loopbackHttp: true })).status).toBe(200);
  const plainUrl = peer.senderUrl.replace('https:', 'http:');
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('tab-receiver').click();
  await expect(page.getByTestId('peers')).toContainText('No peers yet');

  // Auto-sync off so the rows arrive only when we press "Sync now".
  await page.getByTestId('auto-sync').click(); // a controlled box: it flips when the node answers
  await expect(page.getByTestId('auto-sync')).not.toBeChecked();

  await page.getByTestId('peer-add').click();
  const dialog = page.getByTestId('peer-dialog');
  await dialog.getByTestId('peer-url').fill('not a url');
  await expect(dialog.getByText('Enter the sender’s address with http:// or https://, such as http://192.168.1.20:17411.')).toBeVisible();
  await expect(dialog.getByTestId('peer-save')).toBeDisabled();

  await dialog.getByTestId('peer-name').fill('Desk B');
  // Over https without pairing, nothing is sent: the test says it must pair.
  await dialog.getByTestId('peer-url').fill(peer.senderUrl);
  await dialog.getByTestId('peer-token').fill(peer.senderToken);
  await dialog.getByTestId('peer-test').click();
  await expect(dialog.getByTestId('peer-test-result')).toHaveAttribute('data-outcome', 'needs_pairing');
  await dialog.getByTestId('peer-url').fill(plainUrl);
  await dialog.getByTestId('peer-token').fill('wrong-token');
  await dialog.getByTestId('peer-test').click();
  await expect(dialog.getByTestId('peer-test-result')).toHaveAttribute('data-outcome', 'wrong_token');
  await expect(dialog.getByTestId('peer-test-result')).toHaveText(
    'The peer refused the token. Pair with it (Pair); for an older node, paste the token from its Sync › Sender.',
  );

  await dialog.getByTestId('peer-token').fill(peer.senderToken);
  await dialog.getByTestId('peer-test').click();
  await expect(dialog.getByTestId('peer-test-result')).toHaveAttribute('data-outcome', 'ok');
  await expect(dialog.getByTestId('peer-test-result')).toContainText(/Connected in [\d.]+ ms/);
  await dialog.getByTestId('peer-save').click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('peer-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Desk B');
  await row.getByTestId('peer-sync').click();
  await expect(row.getByTestId('peer-state')).toHaveText('idle');
  await row.click();
  await expect(page.getByTestId('ds-PT002')).toContainText('96');
  await expect(page.getByTestId('ds-PT002').getByTestId('ds-lag')).toHaveText('0');
  await expect(page.getByTestId('run-row').first()).toContainText('manual');
  await screenshot(page, 'receiver-synced');

  // The synced grid rows show in History for that date.
  await page.getByTestId('nav-history').click();
  await page.getByTestId('hist-date').fill(DATE);
  await expect(page.getByTestId('hist-row')).toHaveCount(48);
  await page.getByTestId('hist-mode-price').click();
  const first = page.getByTestId('hist-row').first();
  await expect(first.locator('td[title^="BTC 00:00"]')).toContainText('80');
  await expect(first.locator('td[title^="ETH 00:00"]')).toContainText('2');
  await expect(page.getByTestId('hist-row').last().locator('td[title^="BTC 23:30"]')).toBeVisible();

  // Chinese labels on the receiver screen.
  await page.getByTestId('lang-zh-CN').click();
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('tab-receiver').click();
  await expect(page.getByTestId('peer-row').getByTestId('peer-state')).toHaveText('空闲');
  await page.getByTestId('lang-en').click();
});
