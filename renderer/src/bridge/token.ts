/**
 * The admin token of the headless node. It arrives once in the URL (`#token=...`, printed by the
 * node), is kept in localStorage for reloads and removed from the address bar so it does not end
 * up in screenshots, history or bookmarks.
 */
const STORAGE_KEY = 'coinSync.adminToken';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be disabled (privacy settings); the token then lives only in memory.
    return null;
  }
}

let memoryToken: string | null = null;

/** Reads `#token=` from the URL (once, at start), stores it and cleans the URL. */
export function captureTokenFromUrl(): void {
  const m = /(?:^#|[#&])token=([^&]+)/.exec(window.location.hash);
  if (!m?.[1]) return;
  const token = decodeURIComponent(m[1]).trim();
  if (token) {
    memoryToken = token;
    storage()?.setItem(STORAGE_KEY, token);
  }
  const url = `${window.location.pathname}${window.location.search}#/overview`;
  window.history.replaceState(null, '', url);
}

export function getToken(): string | null {
  return memoryToken ?? storage()?.getItem(STORAGE_KEY) ?? null;
}
