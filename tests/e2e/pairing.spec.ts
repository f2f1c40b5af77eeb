import { tempDataDir } from '../helpers/headless.js';
import { removeDir, seedGrid, startNode, type SyncNodeProc } from '../integration/receiver-harness.js';
import { expect, screenshot, test } from './fixtures.js';

// Node A is the UI's node (the sender); node B is a second headless node with its own UI page.
test.use({ nodeArgs: ['--sender-port', '0', '--no-collect'] });

const DAY_START = Date.UTC(2025, 2, 10) - 8 * 3_600_000;
let b: SyncNodeProc;
test.beforeEach(async () => {
  b = await startNode(tempDataDir('csn-e2e-b-'));
});
test.afterEach(async () => {
  await b.stop();
  removeDir(b.dir);
});

test('pair two nodes through both UIs: the code read off A’s screen, typed on B’s; both show the other’s node ID; B syncs', async ({
  ui: pageA,
  node,
  context,
}) => {
  test.setTimeout(120_000);
  // A has rows to serve.
  const rows = Array.from({ length: 48 }, (_, i) => ['BTC', DAY_START + i * 1_800_000, 80_000 + i, 80_000, i / 800, 'backfill']);
  await node.restart({ beforeStart: async () => void seedGrid(node.dataDir, rows, DAY_START + 86_400_000) });
  await pageA.goto(node.uiUrl());
  const a = node.current;

  // A: Sync › Sender › Pair a device.
  await pageA.getByTestId('nav-sync').click();
  await pageA.getByTestId('tab-sender').click();
  const aNodeId = (await pageA.getByTestId('sender-identity-nodeid').textContent())!;
  expect(aNodeId).toBe(a.ready.nodeId);
  await pageA.getByTestId('pairing-start').click();
  const code = (await pageA.getByTestId('pairing-code').textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);
  await expect(pageA.getByTestId('pairing-countdown')).toContainText(/Valid for [45]:\d\d/);
  await expect(pageA.getByTestId('pairing-tries')).toHaveText('3 of 3 tries left');
  await expect(pageA.getByTestId('pairing-link')).toContainText(`id=${aNodeId}`);
  const aAddress = (await pageA.getByTestId('sender-addresses').locator('li').first().locator('.mono').textContent())!;
  expect(aAddress).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  await screenshot(pageA, 'pairing-sender-code');

  // B: its own UI, Sync › Receiver › Pair with a sender; a wrong code first, then the one on A's screen.
  const pageB = await context.newPage();
  await pageB.goto(`${b.ready.control}/#token=${b.token}`);
  await pageB.getByTestId('nav-sync').click();
  await pageB.getByTestId('tab-receiver').click();
  await pageB.getByTestId('peer-pair').click();
  const dialog = pageB.getByTestId('pair-dialog');
  await dialog.getByTestId('pair-mode-code').click();
  await dialog.getByTestId('pair-url').fill(aAddress);
  await dialog.getByTestId('pair-code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
  await dialog.getByTestId('pair-submit').click();
  await expect(dialog.getByTestId('pair-error')).toContainText('The code did not match');
  await expect(dialog.getByTestId('pair-error')).toContainText('2 tries left');
  await expect(pageA.getByTestId('pairing-tries')).toHaveText('2 of 3 tries left');
  await expect(pageA.getByTestId('pairing-result')).toHaveAttribute('data-outcome', 'wrong_code');

  await dialog.getByTestId('pair-code').fill(code);
  await dialog.getByTestId('pair-name').fill('Desk A');
  await dialog.getByTestId('pair-submit').click();
  // B shows A's node ID to compare with A's screen.
  await expect(dialog.getByTestId('pair-remote-nodeid')).toHaveText(aNodeId);
  await screenshot(pageB, 'pairing-receiver-done');
  await dialog.getByTestId('pair-done').click();

  // A shows B's node ID, as B's own Overview does.
  await expect(pageA.getByTestId('pairing-result')).toHaveAttribute('data-outcome', 'paired');
  await expect(pageA.getByTestId('pairing-result')).toContainText(b.ready.nodeId);
  await expect(pageA.getByTestId('device-row')).toHaveCount(1);
  await expect(pageA.getByTestId('device-nodeid')).toHaveText(b.ready.nodeId);
  await screenshot(pageA, 'pairing-sender-paired');

  // B syncs A's rows over TLS.
  const row = pageB.getByTestId('peer-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('peer-transport')).toHaveAttribute('data-transport', 'tls');
  await row.getByTestId('peer-sync').click();
  await expect(row.getByTestId('peer-state')).toHaveText('idle');
  await row.click();
  await expect(pageB.getByTestId('ds-PT002')).toContainText('48');
  await expect(pageA.getByTestId('device-requests')).not.toHaveText('0');

  // B's Overview shows its own node ID and fingerprint, the one A listed.
  await pageB.getByTestId('nav-overview').click();
  await expect(pageB.getByTestId('overview-status')).toContainText(b.ready.nodeId);

  // Chinese: the pairing panel and the devices table in full Chinese.
  await pageA.getByTestId('lang-zh-CN').click();
  await expect(pageA.getByTestId('devices-panel')).toContainText('已配对设备');
  await expect(pageA.getByTestId('pairing-result')).toContainText('已与');
  await expect(pageA.getByTestId('pairing-result')).toContainText(b.ready.nodeId);
  await screenshot(pageA, 'pairing-sender-zh');

  // Revoke from A's UI: B is refused at once.
  await pageA.getByTestId('device-revoke').click();
  await pageA.getByTestId('confirm-ok').click();
  await expect(pageA.getByTestId('device-row')).toHaveAttribute('data-revoked', 'true');
  await pageB.getByTestId('nav-sync').click();
  await pageB.getByTestId('tab-receiver').click();
  await pageB.getByTestId('peer-row').getByTestId('peer-sync').click();
  await expect(pageB.getByTestId('peer-row').getByTestId('peer-state')).toHaveText('auth failed');
  await pageA.getByTestId('lang-en').click();
  await pageB.close();
});
