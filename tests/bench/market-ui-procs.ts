/** Process helpers for the market-ui bench: the standalone simulator, /proc sampling, a closed port. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from '../helpers/headless.js';

export interface SimulatorProc {
  proc: ChildProcess;
  rest: string;
  wsPublic: string;
  wsBusiness: string;
  stop(): Promise<void>;
}

/** The built standalone simulator (dist/main/simulator.js) on port 0, in its own process; `args` are its CLI flags. */
export async function startSimulatorProc(args: string[] = []): Promise<SimulatorProc> {
  const entry = path.join(ROOT, 'dist/main/simulator.js');
  if (!fs.existsSync(entry)) throw new Error('dist/main/simulator.js is missing: run `npm run build` first');
  const proc = spawn(process.execPath, [entry, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const urls = await new Promise<{ rest: string; wsPublic: string; wsBusiness: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('simulator not ready in 10 s')), 10_000);
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /^okx-simulator ready (\{.*\})$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]!) as { rest: string; wsPublic: string; wsBusiness: string });
      }
    });
    void exited.then(() => reject(new Error('simulator exited before ready')));
  });
  return {
    proc,
    ...urls,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** A local port with nothing listening: connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat counts CPU time in these ticks.

/** utime + stime (ms) and VmRSS (MB) of a process, from /proc. */
export function procSample(pid: number): { cpuMs: number; rssMb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return { cpuMs: (ticks * 1000) / CLK_TCK, rssMb: kb / 1024 };
}

/** Samples a process every second for `ms`: CPU % of one core over the span, mean and peak RSS. */
export async function watchProc(pid: number, ms: number): Promise<{ cpuPct: number; rssMeanMb: number; rssMaxMb: number }> {
  const t0 = performance.now();
  const first = procSample(pid);
  const rss: number[] = [first.rssMb];
  let last = first;
  while (performance.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 1_000));
    last = procSample(pid);
    rss.push(last.rssMb);
  }
  const wall = performance.now() - t0;
  return {
    cpuPct: ((last.cpuMs - first.cpuMs) / wall) * 100,
    rssMeanMb: rss.reduce((a, b) => a + b, 0) / rss.length,
    rssMaxMb: Math.max(...rss),
  };
}
