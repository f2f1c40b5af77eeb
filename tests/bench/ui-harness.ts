/**
 * What the Chromium benches share: a built headless node whose exchange is a closed local port (it
 * collects nothing, so nothing moves under the clock while timing), Chromium launched the one way,
 * a page logged in to the node's UI, and the in-page script that times a click until the page says
 * it is ready.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { startHeadless, type HeadlessNode } from '../helpers/headless.js';
import { closedPort } from './market-ui-procs.js';

/** Exchange flags that point every host at a closed local port: connections are refused at once. */
export async function noExchangeArgs(): Promise<string[]> {
  const port = await closedPort();
  return [
    '--okx-rest',
    `http://127.0.0.1:${port}`,
    '--okx-ws-public',
    `ws://127.0.0.1:${port}/a`,
    '--okx-ws-business',
    `ws://127.0.0.1:${port}/b`,
  ];
}

/** The system Chromium (CHROMIUM_PATH to override), headless, without a sandbox or a GPU. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

export interface UiSession {
  node: HeadlessNode;
  browser: Browser;
  page: Page;
  /** The UI with the admin token, to open further pages on. */
  url: string;
  /** Closes the browser, then stops the node (the data folder stays the caller's). */
  close(): Promise<void>;
}

/** A node on `dataDir` with no exchange, Chromium, and one page of `viewport` showing its UI. */
export async function openUi(o: { dataDir: string; viewport: { width: number; height: number }; entry?: string }): Promise<UiSession> {
  const node = await startHeadless({ entry: o.entry, dataDir: o.dataDir, args: await noExchangeArgs() });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const url = `${node.ready.control}/#token=${node.token}`;
    const page = await browser.newPage({ viewport: o.viewport });
    await page.goto(url);
    const b = browser;
    return {
      node,
      browser: b,
      page,
      url,
      async close() {
        await b.close();
        await node.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    await node.stop();
    throw e;
  }
}

/**
 * In-page script (a string: the benches compile without DOM types). Clicks `click` and resolves
 * with the ms until the expression `ready` is true, checked on each mutation of `observe`: the
 * whole body (`'body'`: nodes and attributes below it) or the attributes of the one element that
 * `observe` selects. After 30 s it rejects with `what`, the expression `detail`, and the page's text.
 */
export function timeClickScript(o: { click: string; ready: string; observe: string; what: string; detail?: string }): string {
  const target = o.observe === 'body' ? 'document.body' : `document.querySelector(${JSON.stringify(o.observe)})`;
  const options = o.observe === 'body' ? '{ attributes: true, childList: true, subtree: true }' : '{ attributes: true }';
  return `(async () => {
    const el = document.querySelector(${JSON.stringify(o.click)});
    if (!el) throw new Error('nothing to click: ' + ${JSON.stringify(o.click)});
    const done = () => ${o.ready};
    const target = ${target};
    const t = performance.now();
    await new Promise((resolve, reject) => {
      const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
      obs.observe(target, ${options});
      setTimeout(() => { obs.disconnect(); reject(new Error(${JSON.stringify(`${o.what} in 30 s: `)} + ${o.detail ?? "''"} + 'page: ' + document.querySelector('.content').innerText.slice(0, 300))); }, 30000);
      el.click();
    });
    return performance.now() - t;
  })()`;
}
