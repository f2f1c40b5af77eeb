import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { expect, screenshot, test } from './fixtures.js';

test.use({ nodeArgs: ['--no-collect'] });

let pgs: TestPostgres;
test.beforeAll(async () => {
  pgs = await startPostgres();
});
test.afterAll(() => pgs?.remove());

test('Settings › Warehouse: a wrong password is refused with its sentence, then it connects and shows lag, in both languages', async ({
  ui: page,
  node,
}) => {
  test.setTimeout(90_000);
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('warehouse-panel');
  await expect(panel).toContainText('Warehouse (PostgreSQL)');
  await expect(page.getByTestId('wh-state')).toHaveAttribute('data-state', 'off');

  await page.getByTestId('wh-url').fill(pgs.url('csn', { password: 'not-the-password' }));
  await page.getByTestId('wh-test').click();
  await expect(page.getByTestId('wh-error')).toContainText(`PostgreSQL at 127.0.0.1:${pgs.port} refused the password for user csn`);
  await expect(page.getByTestId('wh-error')).not.toContainText('not-the-password');

  await page.getByTestId('wh-url').fill(pgs.url('csn'));
  await page.getByTestId('wh-test').click();
  await expect(page.getByTestId('wh-test-result')).toContainText('Connected: PostgreSQL 1');
  await page.getByTestId('wh-enabled').check();
  await page.getByTestId('wh-save').click();
  await expect(page.getByTestId('wh-state')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('wh-lag-PT002')).toHaveText('0');
  // The saved URL is shown without its password.
  await expect(page.getByTestId('wh-url')).toHaveValue(`postgres://csn@127.0.0.1:${pgs.port}/csn`);
  const got = await node.current.call('warehouse.get', {});
  expect(JSON.stringify(got.body)).not.toContain(pgs.password);
  await screenshot(page, 'warehouse-en');

  await page.getByTestId('lang-zh-CN').click();
  await expect(panel).toContainText('数据仓库（PostgreSQL）');
  await expect(page.getByTestId('wh-state')).toHaveText('正在镜像');
  await page.getByTestId('wh-url').fill(pgs.url('csn', { password: 'wrong' }));
  await page.getByTestId('wh-save').click();
  await expect(page.getByTestId('wh-error')).toContainText(`127.0.0.1:${pgs.port} 上的 PostgreSQL 拒绝了用户 csn 的密码`);
  await screenshot(page, 'warehouse-zh');
  // The refused URL changed nothing: still mirroring with the last good settings.
  const still = await node.current.call('warehouse.get', {});
  expect(still.body.value.url).toBe(`postgres://csn@127.0.0.1:${pgs.port}/csn`);
  await expect(page.getByTestId('wh-state')).toHaveAttribute('data-state', 'ok');
  await page.getByTestId('lang-en').click();
});
