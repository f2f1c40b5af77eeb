import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const HEADLESS_ENTRY = path.join(ROOT, 'dist/main/headless.js');

export interface ReadyInfo {
  control: string;
  ui: string | null;
  dataDir: string;
  /** The certificate node ID. */
  nodeId: string;
  fingerprint: string;
  /** The store's origin id, stamped on the rows this node writes. */
  originId: string;
  adminTokenFile: string;
  pid: number;
}

export interface HeadlessNode {
  proc: ChildProcess;
  ready: ReadyInfo;
  token: string;
  output: string[];
  /** POST /api/control/<name> with the admin token; returns status and parsed body. */
  call(name: string, input?: unknown): Promise<{ status: number; body: any }>;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

export function tempDataDir(prefix = 'csn-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the built headless entry directly (not through npm, which does not forward SIGTERM) and
 * waits for its `coin-sync-node ready {json}` line.
 */
export async function startHeadless(
  opts: {
    dataDir?: string;
    args?: string[];
    timeoutMs?: number;
    /** Another build's headless.js (a bench's before/after). */ entry?: string;
  } = {},
): Promise<HeadlessNode> {
  const entry = opts.entry ?? HEADLESS_ENTRY;
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const dataDir = opts.dataDir ?? tempDataDir();
  const proc = spawn(process.execPath, [entry, '--data-dir', dataDir, '--port', '0', ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  readline.createInterface({ input: proc.stderr! }).on('line', (l) => output.push(l));
  const ready = await new Promise<ReadyInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headless node not ready in time:\n${output.join('\n')}`)), opts.timeoutMs ?? 20_000);
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /^coin-sync-node ready (\{.*\})$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]!) as ReadyInfo);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`headless node exited with ${code} before ready:\n${output.join('\n')}`));
    });
  });
  const token = fs.readFileSync(ready.adminTokenFile, 'utf8').trim();
  return {
    proc,
    ready,
    token,
    output,
    async call(name, input) {
      const res = await fetch(`${ready.control}/api/control/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      return { status: res.status, body: await res.json() };
    },
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (proc.exitCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}
