import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// ajv (draft-07) and js-yaml are installed with electron-builder itself; using them validates
// electron-builder.yml exactly as electron-builder would, without running it (no downloads).
const require = createRequire(import.meta.url);
const Ajv = require('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } };
const yaml = require('js-yaml') as { load(s: string): unknown };

const root = path.resolve(import.meta.dirname, '../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own JSON schema", () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is real: an unknown key or a wrong type is refused', () => {
    expect(validate({ ...config, appIdd: 'x' })).toBe(false);
    expect(validate({ ...config, asarUnpack: 42 })).toBe(false);
    expect(validate({ ...config, linux: { ...config.linux, target: [{ target: 'AppImage', arch: 'pdp11' }] } })).toBe(false);
  });

  it('names the app, its targets, icons and the better-sqlite3 unpack rule', () => {
    expect(config.appId).toBe('com.coinsyncnode.app');
    expect(config.productName).toBe('Coin Sync Node');
    expect(config.directories).toEqual({ output: 'release', buildResources: 'resources' });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect(config.extraMetadata.main).toBe('dist/main/app.js');
  });

  it('points only at files that exist (icons) or that the build makes (bundles)', () => {
    for (const icon of [config.icon, config.win.icon, config.mac.icon]) expect(fs.existsSync(path.join(root, icon))).toBe(true);
    const iconSet = fs.readdirSync(path.join(root, config.linux.icon));
    expect(iconSet).toEqual(expect.arrayContaining(['16x16.png', '256x256.png', '512x512.png']));
    // a 512x512 PNG: electron-builder derives .ico/.icns from it
    const png = fs.readFileSync(path.join(root, config.icon));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    for (const state of ['ok', 'syncing', 'error', 'paused']) {
      expect(fs.existsSync(path.join(root, 'resources/tray', `${state}.png`))).toBe(true);
      expect(fs.existsSync(path.join(root, 'resources/tray', `${state}@2x.png`))).toBe(true);
    }
    const build = fs.readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    expect(build).toContain("outfile: 'dist/main/app.js'");
    expect(build).toContain("outfile: 'dist/preload/preload.cjs'");
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/electron-builder --config electron-builder\.yml$/);
  });
});
