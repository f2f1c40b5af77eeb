// `npm run simulator` entry: prints its ready line with the URLs, serves, and stops cleanly on signals.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(args: string[]) {
  // Run the TypeScript entry through tsx so the test does not depend on a fresh build.
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/simulator-cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe('simulator CLI', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints okx-simulator ready with the three URLs, serves them, and exits 0 on ${signal}`, async () => {
      const p = run(['--port', '0', '--seed', 'cli']);
      try {
        const end = Date.now() + 20_000;
        while (!p.out().includes('\n') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        const m = /^okx-simulator ready (\{.*\})$/m.exec(p.out());
        expect(m, p.err()).not.toBeNull();
        const urls = JSON.parse(m![1]!) as { rest: string; wsPublic: string; wsBusiness: string };
        expect(urls.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(urls.wsPublic).toBe(`${urls.rest.replace('http', 'ws')}/ws/v5/public`);
        expect(urls.wsBusiness).toBe(`${urls.rest.replace('http', 'ws')}/ws/v5/business`);
        const time = (await (await fetch(`${urls.rest}/api/v5/public/time`)).json()) as { code: string; data: { ts: string }[] };
        expect(time.code).toBe('0');
        expect(Math.abs(Number(time.data[0]!.ts) - Date.now())).toBeLessThan(5_000);
        const ws = new WebSocket(urls.wsBusiness);
        await new Promise((r, j) => {
          ws.once('open', r);
          ws.once('error', j);
        });
        p.child.kill(signal);
        expect(await p.exited).toBe(0);
        ws.terminate();
      } finally {
        p.child.kill('SIGKILL');
      }
    });
  }

  it('refuses a bad port with a sentence and exit code 2', async () => {
    const p = run(['--port', 'abc']);
    expect(await p.exited).toBe(2);
    expect(p.err()).toContain('--port must be a whole number from 0 to 65535, not "abc".');
  });
});
