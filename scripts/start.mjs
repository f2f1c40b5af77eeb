// `npm start`: the desktop app where the Electron binary exists, headless mode where it does not.
// Arguments after `npm start --` go to either (e.g. --data-dir DIR, --port N).
// Signals are forwarded to the child and we exit with its code, so a service manager or a test
// sees the node's own exit status.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectElectronBinary, projectRoot } from './electron-binary.mjs';

const args = process.argv.slice(2);
const electron = detectElectronBinary();

let command;
let commandArgs;
let env = process.env;
if (electron.present) {
  // Started on the built entry file; the app sets its own name and data folder (main/app/main.ts).
  command = electron.path;
  commandArgs = [path.join(projectRoot, 'dist/main/app.js'), ...args];
  env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
} else {
  console.log('The Electron binary is not installed on this machine, so Coin Sync Node runs headless; open the URL below in a browser.');
  command = process.execPath;
  commandArgs = [path.join(projectRoot, 'dist/main/headless.js'), ...args];
}
const entry = commandArgs[0];
if (!fs.existsSync(entry)) {
  console.error(`coin-sync-node: ${path.relative(projectRoot, entry)} is missing; run \`npm run build\` first.`);
  process.exit(1);
}

const child = spawn(command, commandArgs, { stdio: 'inherit', env });
child.on('error', (e) => {
  console.error(`coin-sync-node: could not start ${command}: ${e.message}`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
});
