import { useT } from '../i18n';
import { hrefOf } from '../router';
import { screens } from '../screens/registry';

export function Sidebar({ active }: { active: string }) {
  const t = useT();
  return (
    <nav className="sidebar" aria-label="main">
      <div className="brand">
        <span className="brand-mark">◆</span>
        <span>{t('app.title')}</span>
      </div>
      <ul>
        {screens.map((s) => (
          <li key={s.id}>
            <a
              href={hrefOf(s.id, s.tabs?.[0]?.id)}
              className={s.id === active ? 'active' : undefined}
              aria-current={s.id === active ? 'page' : undefined}
              data-testid={`nav-${s.id}`}
            >
              <span className="glyph" aria-hidden="true">
                {s.glyph}
              </span>
              {t(s.titleKey)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
