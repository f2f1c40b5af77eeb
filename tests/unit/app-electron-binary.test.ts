import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectElectronBinary, projectRoot } from '../../scripts/electron-binary.mjs';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A fake project with node_modules/electron laid out as the electron package leaves it. */
function fakeProject(opts: { pathTxt?: string; binary?: string } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-electron-'));
  dirs.push(root);
  const pkg = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron","version":"45.4.1"}');
  // index.js of the real package throws when the binary is missing; detection must never load it.
  fs.writeFileSync(path.join(pkg, 'index.js'), 'throw new Error("detection loaded the electron package");');
  if (opts.pathTxt !== undefined) fs.writeFileSync(path.join(pkg, 'path.txt'), opts.pathTxt);
  if (opts.binary) {
    const bin = path.join(pkg, 'dist', opts.binary);
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.writeFileSync(bin, '#!/bin/sh\necho fake electron\n', { mode: 0o755 });
  }
  return root;
}

describe('Electron binary detection', () => {
  it('finds the binary named in path.txt under dist/', () => {
    const root = fakeProject({ pathTxt: 'electron', binary: 'electron' });
    expect(detectElectronBinary({ root, env: {} })).toEqual({
      present: true,
      path: path.join(root, 'node_modules/electron/dist/electron'),
    });
  });

  it('says why when path.txt is missing, names a missing file, or points outside dist/', () => {
    const noTxt = fakeProject();
    expect(detectElectronBinary({ root: noTxt, env: {} })).toEqual({
      present: false,
      reason: `${path.join(noTxt, 'node_modules/electron/path.txt')} is missing (the Electron binary was never downloaded)`,
    });
    const noBin = fakeProject({ pathTxt: 'electron' });
    expect(detectElectronBinary({ root: noBin, env: {} })).toMatchObject({
      present: false,
      reason: expect.stringMatching(/does not exist$/),
    });
    const escape = fakeProject({ pathTxt: '../../../../bin/sh' });
    expect(detectElectronBinary({ root: escape, env: {} })).toMatchObject({
      present: false,
      reason: expect.stringMatching(/points outside/),
    });
    const nothing = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-electron-'));
    dirs.push(nothing);
    expect(detectElectronBinary({ root: nothing, env: {} })).toMatchObject({
      present: false,
      reason: expect.stringMatching(/not installed/),
    });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    const root = fakeProject();
    const other = fakeProject({ pathTxt: 'electron', binary: 'electron' });
    const dist = path.join(other, 'node_modules/electron/dist');
    expect(detectElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, platform: 'linux' })).toEqual({
      present: true,
      path: path.join(dist, 'electron'),
    });
    expect(detectElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' }, platform: 'linux' }).present).toBe(false);
  });

  it('matches this machine: the electron package is installed without its binary', () => {
    const here = detectElectronBinary();
    const txt = path.join(projectRoot, 'node_modules/electron/path.txt');
    expect(here.present).toBe(
      fs.existsSync(txt) && fs.existsSync(path.join(projectRoot, 'node_modules/electron/dist', fs.readFileSync(txt, 'utf8').trim())),
    );
  });
});

describe('npm start without Electron', () => {
  it('says so in one sentence, runs headless with the passed args, and exits with its code on SIGTERM', async (ctx) => {
    if (detectElectronBinary().present) ctx.skip(true, 'an Electron binary is installed here, so npm start opens the desktop app');
    const headless = path.join(projectRoot, 'dist/main/headless.js');
    if (!fs.existsSync(headless)) throw new Error('dist/main/headless.js is missing: run `npm run build` first');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-start-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['scripts/start.mjs', '--data-dir', dataDir, '--port', '0'], { cwd: projectRoot });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 20_000 }).toMatch(/coin-sync-node ready \{/);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'The Electron binary is not installed on this machine, so Coin Sync Node runs headless; open the URL below in a browser.',
    );
    const ready = JSON.parse(lines.find((l) => l.startsWith('coin-sync-node ready '))!.slice('coin-sync-node ready '.length)) as {
      dataDir: string;
      control: string;
    };
    expect(ready.dataDir).toBe(dataDir);
    const health = await fetch(`${ready.control}/api/health`);
    expect(health.status).toBe(200);
    const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    child.kill('SIGTERM'); // start.mjs forwards it to the headless child and exits with its code
    expect(await code).toBe(0);
  });
});
