/**
 * OKX's alternative REST hosts (/work/shared/reference/okx-v5.md §1): `openapi.okx.com` is the one
 * the current docs list; `www.okx.com` is what the node and most clients call; `aws.okx.com` is
 * used by many community clients but is absent from the current docs (unconfirmed), so it is last.
 * The regional hosts (us., eea.) serve other account regions and are not alternates.
 */
export const OKX_REST_HOSTS = ['https://www.okx.com', 'https://openapi.okx.com', 'https://aws.okx.com'] as const;

/** The configured host first, then the alternates that differ from it. */
export function restHostOrder(primary: string, alternates: readonly string[]): string[] {
  const norm = (u: string) => u.replace(/\/+$/, '');
  return [...new Set([norm(primary), ...alternates.map(norm)])];
}

/** Alternates by default: OKX's own when the primary is an OKX host, none otherwise (a simulator, a proxy). */
export function defaultAlternates(primary: string): string[] {
  const isOkx = (OKX_REST_HOSTS as readonly string[]).includes(primary.replace(/\/+$/, ''));
  return isOkx ? [...OKX_REST_HOSTS] : [];
}

/**
 * OKX's WebSocket hosts (/work/shared/reference/okx-v5.md §1): `ws.okx.com` is the documented one;
 * `wsaws.okx.com` is the AWS alternate many clients use (listed for /public; the same path for
 * /business is assumed, unconfirmed), so it comes second. Regional hosts (wseea, wsus) and the demo
 * host serve other accounts and are not alternates.
 */
export const OKX_WS_HOSTS = {
  public: ['wss://ws.okx.com:8443/ws/v5/public', 'wss://wsaws.okx.com:8443/ws/v5/public'],
  business: ['wss://ws.okx.com:8443/ws/v5/business', 'wss://wsaws.okx.com:8443/ws/v5/business'],
} as const;

/** WS alternates by default: OKX's own when the primary is one of them, none otherwise (a simulator, a proxy). */
export function defaultWsAlternates(primary: string, kind: 'public' | 'business'): string[] {
  const known: readonly string[] = OKX_WS_HOSTS[kind];
  return known.includes(primary.replace(/\/+$/, '')) ? [...known] : [];
}
