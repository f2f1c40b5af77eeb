import { app, net, protocol, shell, type Session } from 'electron';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../node/log/logger.js';
import { buildCsp, externalUrlToOpen, isRendererUrl, rendererFileFor, RENDERER_SCHEME } from './security-policy.js';

/** Must run before `app` is ready: app:// behaves like https (standard, secure origin, fetch). */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Wires the rules of security-policy.ts into Electron: serves dist/renderer on app://renderer with
 * the CSP header, denies every permission, navigation, new window and webview, and sends http(s)
 * links to the system browser.
 */
export function installSecurity(opts: { session: Session; rendererDir: string; log: Logger }): void {
  const { session, rendererDir, log } = opts;
  const csp = buildCsp();

  session.protocol.handle(RENDERER_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });

  session.setPermissionRequestHandler((_wc, permission, callback) => {
    log.warn(`denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);

  const openOutside = (url: string) => {
    const external = externalUrlToOpen(url);
    if (external) void shell.openExternal(external).catch((e: unknown) => log.warn(`could not open ${external}:`, e));
    else log.warn(`blocked navigation to ${url}`);
  };

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (isRendererUrl(url)) return;
      event.preventDefault();
      openOutside(url);
    });
    contents.on('will-redirect', (event, url) => {
      if (!isRendererUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
  });
}
