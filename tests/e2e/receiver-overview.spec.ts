import { startHeadless, tempDataDir } from '../helpers/headless.js';
import { addPeer, removeDir, waitFor, type SyncNodeProc } from '../integration/receiver-harness.js';
import { expect, screenshot, test } from './fixtures.js';

// The UI's node collects nothing; its peer collects from the simulator and serves what it holds.
test.use({ nodeArgs: ['--sender-port', '0', '--no-collect'] });

let peer: SyncNodeProc;
test.beforeEach(async () => {
  const dir = tempDataDir('csn-e2e-collecting-peer-');
  const n = await startHeadless({ dataDir: dir, args: ['--simulate', '--sender-port', '0'] });
  const view = await n.call('sender.config.get', {});
  const url: string = view.body.value.listening.url;
  peer = { ...n, dir, senderUrl: url, senderToken: view.body.value.token, senderPort: Number(new URL(url).port) };
});
test.afterEach(async () => {
  await peer.stop();
  removeDir(peer.dir);
});

test('a receiver-only node shows the prices and baselines it synced, with their age and source peer', async ({ node, ui: page }) => {
  // Before any sync: the note says why there are no live ticks, instead of waiting for them.
  await expect(page.getByTestId('no-collector-note')).toHaveText(
    'No collector on this node: it shows the latest prices and baselines synced from its peers.',
  );
  await expect(page.getByText('No live ticks yet.')).toHaveCount(0);

  // The peer has collected a baseline-carrying tick for BTC before we pair with it.
  await waitFor('the peer to hold a BTC tick with a baseline', async () => {
    const r = await peer.call('market.stored', {});
    return r.body.value.rows.find((x: { coin: string; baseline: number | null }) => x.coin === 'BTC' && x.baseline !== null);
  });
  await addPeer(node.current, peer);
  const peerName = `peer-${peer.senderPort}`;

  const synced = await waitFor('BTC synced with its baseline', async () => {
    const r = await node.current.call('market.stored', {});
    return r.body.value.rows.find((x: { coin: string; baseline: number | null }) => x.coin === 'BTC' && x.baseline !== null);
  });
  expect(synced.local).toBe(false);
  expect(synced.peer.name).toBe(peerName);

  const row = page.getByTestId('coin-row-BTC');
  await expect(row).toHaveAttribute('data-origin', 'stored');
  await expect(page.getByTestId('coin-source-BTC')).toHaveText(`peer ${peerName}`);
  const cells = row.locator('td');
  await expect(cells.nth(1)).toHaveText(/^\d[\d,]*(\.\d+)?$/); // price
  await expect(cells.nth(2)).toHaveText(/^([+−]\d+\.\d{2}|0\.00)$/); // change %
  await expect(cells.nth(3)).toHaveText(/^\d+(\.\d)? s$|^\d+ m \d{2} s$/); // age of the tick
  await expect(cells.nth(6)).toHaveText(/^\d[\d,]*(\.\d+)?$/); // baseline
  await expect(page.getByTestId('stored-sum')).toHaveText(/^([+−]\d+\.\d{2}|0\.00)%$/);
  await expect(page.getByTestId('no-collector-note')).toBeVisible();
  await expect(page.getByText('No live ticks yet.')).toHaveCount(0);
  await screenshot(page, 'receiver-overview');

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('no-collector-note')).toHaveText('本节点未运行采集：显示的是从对端同步来的最新价格和基准价。');
  await expect(page.getByTestId('coin-source-BTC')).toHaveText(`对端 ${peerName}`);
  await expect(page.getByText('尚未收到实时行情。')).toHaveCount(0);
  await page.getByTestId('lang-en').click();
});
