import { useSyncExternalStore } from 'react';

/** Hash routes `#/<screen>` or `#/<screen>/<tab>`, so a reload keeps the screen. */
export interface Route {
  screen: string;
  tab: string | undefined;
}

function parse(hash: string): Route {
  const [screen = '', tab] = hash.replace(/^#\/?/, '').split('/');
  return { screen, tab: tab || undefined };
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parse(hash);
}

export const hrefOf = (screen: string, tab?: string) => (tab ? `#/${screen}/${tab}` : `#/${screen}`);
