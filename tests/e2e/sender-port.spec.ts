import net from 'node:net';
import { fetch } from 'undici';
import { pinnedAgent } from '../../main/node/net/pinned-tls.js';
import { expect, screenshot, test } from './fixtures.js';

// Issue 16: started the way the seed's scripts start nodes, with --sender-port 0 on every run.
test.use({ nodeArgs: ['--sender-port', '0', '--no-collect'] });

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Our sender answers on the port: HTTPS to this node's certificate, a JSON refusal without a token. */
async function answers(port: number, fingerprint: string): Promise<boolean> {
  const agent = pinnedAgent({ pin: fingerprint });
  try {
    const r = await fetch(`https://127.0.0.1:${port}/api/data-sync/sender/status`, { dispatcher: agent });
    return r.status === 401 && ((await r.json()) as { error?: { code?: string } }).error?.code === 'unauthorized';
  } catch {
    return false;
  } finally {
    await agent.close();
  }
}

test('a port set in the UI is the port that answers, after a restart and across LAN on/off; unusable ports are refused', async ({
  ui: page,
  node,
}) => {
  test.setTimeout(120_000);
  const fingerprint = node.current.ready.fingerprint;
  const open = async () => {
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('tab-sender').click();
    await expect(page.getByTestId('sender-state')).toHaveAttribute('data-state', 'running');
  };
  await open();
  const port = await freePort();
  await page.getByTestId('sender-port').fill(String(port));
  await page.getByTestId('sender-port-apply').click();
  await expect(page.getByTestId('sender-url')).toHaveText(`127.0.0.1:${port}`);
  expect(await answers(port, fingerprint)).toBe(true);

  // LAN on and off: the same port.
  await page.getByTestId('sender-lan').click();
  await expect(page.getByTestId('sender-url')).toHaveText(`0.0.0.0:${port}`);
  expect(await answers(port, fingerprint)).toBe(true);
  await page.getByTestId('sender-lan').click();
  await expect(page.getByTestId('sender-url')).toHaveText(`127.0.0.1:${port}`);

  // Restart (again with --sender-port 0): the chosen port answers.
  await node.restart({ samePort: true });
  await page.reload();
  await open();
  await expect(page.getByTestId('sender-url')).toHaveText(`127.0.0.1:${port}`);
  await expect(page.getByTestId('sender-port')).toHaveValue(String(port));
  expect(await answers(port, fingerprint)).toBe(true);

  // The control port is refused with a sentence, and nothing changes.
  const controlPort = new URL(node.current.ready.control).port;
  await page.getByTestId('sender-port').fill(controlPort);
  await page.getByTestId('sender-port-apply').click();
  await expect(page.getByTestId('sender-port-error')).toHaveText(
    `Port ${controlPort} is this node’s control port. Choose another port for the sender.`,
  );
  await screenshot(page, 'sender-port-refused');
  // A port another program holds: refused too.
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  const busy = (holder.address() as net.AddressInfo).port;
  try {
    await page.getByTestId('sender-port').fill(String(busy));
    await page.getByTestId('sender-port-apply').click();
    await expect(page.getByTestId('sender-port-error')).toHaveText(
      `Port ${busy} is already used by another program on this computer. Choose another port.`,
    );
    await page.getByTestId('lang-zh-CN').click();
    await page.getByTestId('sender-port-apply').click();
    await expect(page.getByTestId('sender-port-error')).toHaveText(`端口 ${busy} 已被本机其他程序占用。请选择其他端口。`);
    await page.getByTestId('lang-en').click();
  } finally {
    await new Promise((r) => holder.close(r));
  }
  await expect(page.getByTestId('sender-url')).toHaveText(`127.0.0.1:${port}`);
  expect(await answers(port, fingerprint)).toBe(true);
});
