import { test as base, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startHeadless, tempDataDir, ROOT, type HeadlessNode } from '../helpers/headless.js';

export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');

interface NodeHandle {
  /** The running node; replaced by restart(). */
  current: HeadlessNode;
  dataDir: string;
  /**
   * Stops the node (SIGTERM, waits for exit 0) and starts a new one on the same data folder;
   * `samePort` keeps the address so an open page can reconnect by itself.
   */
  restart(opts?: { samePort?: boolean; beforeStart?: () => Promise<void> }): Promise<HeadlessNode>;
  /** The UI address with the admin token, as headless prints it. */
  uiUrl(): string;
}

/**
 * Each test gets its own headless node on port 0 with a fresh data folder, and a page that has
 * opened the UI with the token. Browser console errors fail the test: a CSP or React error must
 * not go unnoticed.
 */
export const test = base.extend<{ nodeArgs: string[]; node: NodeHandle; ui: Page }>({
  /** Extra headless flags, e.g. `test.use({ nodeArgs: ['--simulate'] })`. */
  nodeArgs: [[], { option: true }],
  node: async ({ nodeArgs }, use) => {
    const dataDir = tempDataDir('csn-e2e-');
    const handle: NodeHandle = {
      current: await startHeadless({ dataDir, args: nodeArgs }),
      dataDir,
      async restart(opts = {}) {
        const port = new URL(handle.current.ready.control).port;
        const code = await handle.current.stop();
        expect(code, 'headless node exits 0 on SIGTERM').toBe(0);
        await opts.beforeStart?.();
        // parseArgs keeps the last --port, so this overrides the helper's --port 0.
        handle.current = await startHeadless({ dataDir, args: [...nodeArgs, ...(opts.samePort ? ['--port', port] : [])] });
        return handle.current;
      },
      uiUrl: () => `${handle.current.ready.control}/#token=${handle.current.token}`,
    };
    await use(handle);
    await handle.current.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
  ui: async ({ page, node }, use) => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(node.uiUrl());
    await expect(page.getByTestId('screen-title')).toBeVisible();
    await use(page);
    // Connection drops during a deliberate node restart are expected; anything else is a bug.
    const unexpected = consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(e));
    expect(unexpected, 'no console errors in the UI').toEqual([]);
  },
});

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

export { expect };
