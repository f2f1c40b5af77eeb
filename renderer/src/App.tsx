import { useEffect } from 'react';
import { LanguageSwitch } from './components/LanguageSwitch';
import { NoTokenScreen } from './components/NoTokenScreen';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { useLocale, useT } from './i18n';
import { hrefOf, useRoute } from './router';
import { DEFAULT_SCREEN, findScreen } from './screens/registry';
import { useNodeStore } from './state/node-store';
import { effectiveUpDown, useSettingsStore } from './state/settings-store';

export function App() {
  const t = useT();
  const locale = useLocale();
  const route = useRoute();
  const connection = useNodeStore((s) => s.connection);
  const nodeName = useNodeStore((s) => s.status?.nodeName);
  const upDown = useSettingsStore((s) => effectiveUpDown(s.upDown, locale));

  const screen = findScreen(route.screen);
  const tab = screen?.tabs ? (screen.tabs.find((x) => x.id === route.tab) ?? screen.tabs[0]) : undefined;

  // Unknown or empty routes land on the overview (replace, so Back does not loop).
  useEffect(() => {
    if (!screen) window.location.replace(hrefOf(DEFAULT_SCREEN));
  }, [screen]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dataset.updown = upDown;
    document.title = `${screen ? t(screen.titleKey) : ''} · ${t('app.title')}`;
  }, [locale, screen, t, upDown]);

  if (connection === 'unauthorized') return <NoTokenScreen rejected />;
  if (!screen) return null;
  const Body = tab?.component ?? screen.component;

  return (
    <div className="frame">
      <Sidebar active={screen.id} />
      <div className="main">
        <header className="topbar">
          <h1 data-testid="screen-title">{t(screen.titleKey)}</h1>
          {nodeName && (
            <span className="node-name" translate="no">
              {nodeName}
            </span>
          )}
          <span className="spacer" />
          <LanguageSwitch />
        </header>
        {screen.tabs && (
          <div className="tabs" role="tablist">
            {screen.tabs.map((x) => (
              <a
                key={x.id}
                role="tab"
                href={hrefOf(screen.id, x.id)}
                aria-selected={x.id === tab?.id}
                className={x.id === tab?.id ? 'tab active' : 'tab'}
                data-testid={`tab-${x.id}`}
              >
                {t(x.titleKey)}
              </a>
            ))}
          </div>
        )}
        <main className="content" data-testid={`screen-${screen.id}${tab ? `-${tab.id}` : ''}`}>
          {Body && <Body key={`${screen.id}/${tab?.id ?? ''}`} />}
        </main>
      </div>
      <StatusBar />
    </div>
  );
}
