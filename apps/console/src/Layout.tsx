import { Suspense, useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useI18n } from './i18n';
import { LanguageToggle } from './LanguageToggle';
import { type Operator, session } from './session';

/** The frame of every signed-in screen: skip link, banner, navigation, main landmark. */
export function Layout({ operator }: { operator: Operator }) {
  const { t, label } = useI18n();
  const main = useRef<HTMLElement>(null);
  const location = useLocation();
  const first = useRef(true);
  const [leaving, setLeaving] = useState(false);

  // after a client-side navigation, move focus to the new screen as a page load would
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  const logout = (everywhere: boolean) => {
    setLeaving(true);
    void session.logout(everywhere).finally(() => setLeaving(false));
  };

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="banner">
        <p className="app-name">{t('appName')}</p>
        <nav aria-label={t('mainNav')}>
          <ul>
            <li>
              <NavLink to="/now">{t('navNow')}</NavLink>
            </li>
            <li>
              <NavLink to="/orders">{t('navOrders')}</NavLink>
            </li>
          </ul>
        </nav>
        <div className="account">
          <span>{t('signedInAs', { role: label('role', operator.role) })}</span>
          <LanguageToggle />
          <button type="button" disabled={leaving} onClick={() => logout(false)}>
            {t('logout')}
          </button>
          <button type="button" disabled={leaving} onClick={() => logout(true)}>
            {t('logoutEverywhere')}
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<p role="status">{t('loading')}</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
