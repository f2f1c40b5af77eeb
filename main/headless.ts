/**
 * Headless mode: the same node as the desktop app, without Electron. It serves the UI to a browser
 * and the control API on 127.0.0.1, and prints one `coin-sync-node ready {json}` line when ready.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEADLESS_USAGE, parseHeadlessArgs, UsageError } from './node/cli-args.js';
import { loadOrCreateAdminToken } from './node/security/admin-token.js';
import { startControlServer } from './node/control/control-server.js';
import { createNode } from './node/create-node.js';
import { createSimulator, type Simulator } from './node/simulator/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function appVersion(): string {
  for (const p of [path.join(here, '../../package.json'), path.join(here, '../package.json')]) {
    try {
      return (JSON.parse(fs.readFileSync(p, 'utf8')) as { version: string }).version;
    } catch {
      // try the next layout (bundled dist/ or sources)
    }
  }
  return '0.0.0';
}

async function main(): Promise<void> {
  const args = parseHeadlessArgs(process.argv.slice(2));
  if (args.help) {
    console.log(HEADLESS_USAGE);
    return;
  }
  const dataDir = path.resolve(args.dataDir);
  // --simulate runs the built-in OKX simulator in this process; --okx-* point at any other host.
  let simulator: Simulator | undefined;
  let exchange: { rest?: string; wsPublic?: string; wsBusiness?: string } = {
    ...(args.okxRest && { rest: args.okxRest }),
    ...(args.okxWsPublic && { wsPublic: args.okxWsPublic }),
    ...(args.okxWsBusiness && { wsBusiness: args.okxWsBusiness }),
  };
  if (args.simulate) {
    simulator = createSimulator();
    exchange = { ...(await simulator.start(0)), ...exchange };
  }
  const node = createNode({
    dataDir,
    mode: 'headless',
    version: appVersion(),
    simulate: args.simulate,
    exchange,
    logToConsole: false,
    senderPort: args.senderPort,
    collect: args.collect,
    dnsServers: args.dnsServers,
    warehouseUrl: args.warehouseUrl,
  });
  const adminToken = loadOrCreateAdminToken(dataDir);
  const rendererDir = [path.join(here, '../renderer'), path.join(here, '../dist/renderer')].find((d) =>
    fs.existsSync(path.join(d, 'index.html')),
  );
  await node.start();
  const control = await startControlServer({ node, adminToken, port: args.port, rendererDir });
  node.reservePort(Number(new URL(control.url).port), 'control port (the UI and the control API)');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.log.scope('node').info(`${signal} received, stopping`);
    const force = setTimeout(() => {
      console.error('coin-sync-node: stopping took over 4 s; closing the database and exiting.');
      node.store.close();
      process.exit(0);
    }, 4_000);
    force.unref();
    await control.close();
    await node.stop();
    await simulator?.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const ready = {
    control: control.url,
    ui: rendererDir ? `${control.url}/` : null,
    dataDir,
    nodeId: node.identity.nodeId,
    fingerprint: node.identity.fingerprint,
    originId: node.store.nodeId,
    adminTokenFile: path.join(dataDir, 'admin-token'),
    exchange: simulator ? { simulator: true, ...exchange } : exchange,
    sender: await senderUrlOf(node),
    pid: process.pid,
  };
  console.log(`coin-sync-node ready ${JSON.stringify(ready)}`);
  if (rendererDir) console.log(`Open the UI in a browser: ${control.url}/#token=${adminToken}`);
  else console.log('The UI is not built (run `npm run build`); the control API is up.');
}

/** The sender's actual URL (its port may come from --sender-port 0), or null when it is off. */
async function senderUrlOf(node: ReturnType<typeof createNode>): Promise<string | null> {
  const r = await node.call('sender.config.get', {});
  return r.ok ? (r.value.listening?.url ?? null) : null;
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`coin-sync-node: ${e.message}\n${HEADLESS_USAGE}`);
    process.exit(2);
  }
  console.error(`coin-sync-node: ${(e as Error)?.message ?? String(e)}`);
  process.exit(1);
});
