import path from 'node:path';
import type { WebPreferences } from 'electron';

/**
 * The shell's security rules as pure functions (no electron import at runtime): the CSP, the
 * webPreferences, which URLs count as our renderer, which links may open in the system browser,
 * and how app:// URLs map to files. security.ts wires them into Electron.
 */

/** The renderer is served from a privileged custom scheme rather than file://, so 'self' means
 * exactly dist/renderer and nothing else on disk (Electron security checklist, "avoid file://"). */
export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'renderer';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_INDEX_URL = `${RENDERER_ORIGIN}/index.html`;

export type CspDirectives = Record<string, readonly string[]>;

/**
 * The desktop CSP. The renderer talks to the node only over IPC, so it needs no network at all
 * (connect-src 'self' only). Inline styles stay allowed because React and lightweight-charts set
 * style attributes; scripts never inline, never eval.
 */
export const DESKTOP_CSP: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

const SOURCE =
  /^(?:'(?:self|none|unsafe-inline|unsafe-eval|strict-dynamic|wasm-unsafe-eval)'|'(?:nonce|sha256|sha384|sha512)-[A-Za-z0-9+/=_-]+'|[a-z][a-z0-9+.-]*:(?:\/\/[^\s;,']+)?|\*)$/i;

/** Directives -> header string; refuses sources that could smuggle another directive in. */
export function buildCsp(directives: CspDirectives = DESKTOP_CSP): string {
  return Object.entries(directives)
    .map(([name, sources]) => {
      if (!/^[a-z-]+$/.test(name)) throw new Error(`CSP directive name "${name}" is not valid`);
      for (const s of sources) if (!SOURCE.test(s)) throw new Error(`CSP source "${s}" in ${name} is not valid`);
      if (sources.includes("'none'") && sources.length > 1) throw new Error(`CSP ${name}: 'none' cannot be combined`);
      return [name, ...sources].join(' ');
    })
    .join('; ');
}

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** True only for pages of our renderer (what IPC senders and navigations are checked against). */
export function isRendererUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${RENDERER_SCHEME}:` && u.host === RENDERER_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** An http(s) link to open in the system browser, or null for anything else (file:, javascript:, ...). */
export function externalUrlToOpen(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** app://renderer/<path> -> a file under rendererDir, or null (other host, traversal, bad URL). */
export function rendererFileFor(url: string, rendererDir: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${RENDERER_SCHEME}:` || u.host !== RENDERER_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  // NUL and backslashes (a path separator on Windows) never occur in our built asset names.
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${rel}`);
  return file === root || !file.startsWith(root + path.sep) ? null : file;
}
