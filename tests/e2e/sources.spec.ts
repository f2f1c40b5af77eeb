import { DAY_MS, dayStartOf } from '../../preload/contract/grid-time.js';
import { expect, screenshot, test } from './fixtures.js';

/** Issue 12 on screen: Settings › Sources (hosts with their health) and the Backfill screen's per-source pages. */
test.use({ nodeArgs: ['--simulate', '--no-collect'] });

test('Settings › Sources lists the exchange host; after a backfill it is in use and the Backfill screen credits it', async ({
  ui: page,
  node,
}) => {
  test.setTimeout(90_000);
  await page.getByTestId('nav-settings').click();
  const rows = page.getByTestId('source-row');
  // REST, public and business WebSocket: one host each (the simulator has no alternates).
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('exchange host · REST');
  await expect(rows.nth(1)).toContainText('WebSocket public');
  await expect(rows.nth(2)).toContainText('WebSocket business');
  await expect(rows.first()).toHaveAttribute('data-state', 'unknown');

  const to = dayStartOf(Date.now());
  const r = await node.current.call('backfill.start', { from: to - DAY_MS, to, coins: ['BTC', 'ETH'] });
  expect(r.status).toBe(200);
  await page.getByTestId('nav-backfill').click();
  await expect(page.getByTestId('bf-percent')).toHaveText('100.0 %', { timeout: 30_000 });
  await expect(page.getByTestId('bf-sources')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('bf-source-row')).toHaveCount(1);
  await expect(page.getByTestId('bf-source-row').first()).toContainText('127.0.0.1');
  await expect(page.getByTestId('bf-saved')).toContainText('0 exchange requests saved by peers; 2 made');
  await screenshot(page, 'backfill-sources-en');

  await page.getByTestId('nav-settings').click();
  await expect(rows.first()).toHaveAttribute('data-state', 'ok');
  await expect(rows.first()).toContainText('in use');
  await screenshot(page, 'settings-sources-en');
});

test('Settings › Sources: reorder peers and switch one off; the order survives a reload and a restart; all hosts off is refused in both languages', async ({
  ui: page,
  node,
}) => {
  test.setTimeout(90_000);
  for (const [name, port] of [
    ['alpha', 9],
    ['beta', 10],
  ] as const) {
    const r = await node.current.call('peers.add', { name, url: `http://127.0.0.1:${port}`, enabled: false });
    expect(r.status).toBe(200);
  }
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('sources-panel');
  const rows = panel.getByTestId('source-row');
  const peerNames = () => panel.locator('[data-kind="peer"]').getByTestId('source-name').allInnerTexts();
  await expect(rows).toHaveCount(5);
  expect(await peerNames()).toEqual(['alpha', 'beta']);
  // The first peer can only move down; it cannot pass into the hosts.
  await expect(rows.first().getByTestId('source-up')).toBeDisabled();
  await expect(rows.nth(1).getByTestId('source-down')).toBeDisabled();

  await rows.first().getByTestId('source-down').click();
  expect(await peerNames()).toEqual(['beta', 'alpha']);
  await rows.nth(1).getByTestId('source-on').uncheck();
  await panel.getByTestId('source-save').click();
  await expect(panel.getByTestId('source-saved')).toHaveText('Source order saved.');
  const saved = (await node.current.call('settings.get', {})).body.value.sourceOrder as { kind: string; id: string; enabled: boolean }[];
  expect(saved.filter((s) => s.kind === 'peer')).toEqual([
    expect.objectContaining({ enabled: true }),
    expect.objectContaining({ enabled: false }),
  ]);
  const check = async () => {
    await page.getByTestId('nav-settings').click();
    await expect(rows).toHaveCount(5);
    expect(await peerNames()).toEqual(['beta', 'alpha']);
    await expect(rows.first()).toHaveAttribute('data-on', 'true');
    await expect(rows.nth(1)).toHaveAttribute('data-on', 'false');
    await expect(rows.nth(1)).toContainText('switched off');
  };
  await page.reload();
  await check();
  await node.restart({ samePort: true });
  await page.goto(node.uiUrl());
  await check();
  await screenshot(page, 'settings-sources-order-en');

  // Switching off the only REST host: the form says why, in the UI's language, and will not save.
  await panel.locator('[data-kind="rest"]').getByTestId('source-on').uncheck();
  await expect(panel.getByTestId('source-order-error')).toHaveText(
    'Keep at least one exchange host of each service (REST, public and business WebSocket) switched on.',
  );
  await expect(panel.getByTestId('source-save')).toBeDisabled();
  expect((await node.current.call('settings.update', { language: 'zh-CN' })).status).toBe(200);
  await expect(panel.getByTestId('source-order-error')).toHaveText('每种交易所服务（REST、公共与业务 WebSocket）至少要启用一个主机。');
  // The node refuses the same input with a sentence of its own.
  const bad = await node.current.call('settings.update', {
    sourceOrder: [{ kind: 'rest', id: saved.find((s) => s.kind === 'rest')!.id, enabled: false }],
  });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('keep at least one exchange host of each service on');
});
