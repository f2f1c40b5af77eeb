import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCsp,
  DESKTOP_CSP,
  externalUrlToOpen,
  isRendererUrl,
  RENDERER_INDEX_URL,
  rendererFileFor,
  secureWebPreferences,
} from '../../main/app/security-policy.js';

describe('CSP', () => {
  it('is strict: scripts only from the app, no network, no objects, frames, forms or base', () => {
    const csp = buildCsp();
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    for (const d of ['object-src', 'frame-src', 'frame-ancestors', 'base-uri', 'form-action']) expect(directives[d]).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|\*/);
    expect(Object.keys(directives)).toEqual(Object.keys(DESKTOP_CSP));
  });

  it('refuses sources that would inject another directive or combine none', () => {
    expect(() => buildCsp({ 'script-src': ["'self'; script-src *"] })).toThrow(/not valid/);
    expect(() => buildCsp({ 'script-src': ['https://a.example,evil'] })).toThrow(/not valid/);
    expect(() => buildCsp({ 'object-src': ["'none'", "'self'"] })).toThrow(/cannot be combined/);
    expect(() => buildCsp({ 'bad name': ["'self'"] })).toThrow(/directive name/);
    expect(buildCsp({ 'img-src': ["'self'", 'data:', 'https://cdn.example'] })).toBe("img-src 'self' data: https://cdn.example");
  });
});

describe('webPreferences', () => {
  it('isolate, sandbox, no node, web security on, with our preload', () => {
    expect(secureWebPreferences('/app/dist/preload/preload.cjs')).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });
});

describe('URLs', () => {
  it('trusts only pages of app://renderer', () => {
    expect(isRendererUrl(RENDERER_INDEX_URL)).toBe(true);
    expect(isRendererUrl('app://renderer/index.html#/sync')).toBe(true);
    for (const u of [
      'app://other/index.html',
      'file:///work/dist/renderer/index.html',
      'https://renderer/',
      'app://user:pw@renderer/',
      'nonsense',
      '',
      undefined,
      null,
    ]) {
      expect(isRendererUrl(u)).toBe(false);
    }
  });

  it('opens only http(s) links in the system browser', () => {
    expect(externalUrlToOpen('https://www.okx.com/docs')).toBe('https://www.okx.com/docs');
    expect(externalUrlToOpen('http://192.168.1.5:8787/')).toBe('http://192.168.1.5:8787/');
    for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://renderer/x', 'not a url']) {
      expect(externalUrlToOpen(u)).toBeNull();
    }
  });

  it('maps app://renderer paths into dist/renderer and nowhere else', () => {
    const root = path.resolve('/opt/app/dist/renderer');
    expect(rendererFileFor('app://renderer/', root)).toBe(path.join(root, 'index.html'));
    expect(rendererFileFor('app://renderer/assets/index-abc.js?x=1', root)).toBe(path.join(root, 'assets/index-abc.js'));
    expect(rendererFileFor('app://renderer/a%20b.png', root)).toBe(path.join(root, 'a b.png'));
    // The URL parser already folds plain and %2e dot segments, so those stay inside the root.
    expect(rendererFileFor('app://renderer/../../etc/passwd', root)).toBe(path.join(root, 'etc/passwd'));
    expect(rendererFileFor('app://renderer/%2e%2e/%2e%2e/etc/passwd', root)).toBe(path.join(root, 'etc/passwd'));
    for (const u of [
      'app://renderer/..%2f..%2fsecret',
      'app://renderer/..%5c..%5csecret',
      'app://renderer/%00',
      'app://renderer/%E0%A4%A',
      'app://elsewhere/index.html',
      'file:///opt/app/dist/renderer/index.html',
    ]) {
      expect(rendererFileFor(u, root)).toBeNull();
    }
  });
});
