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
