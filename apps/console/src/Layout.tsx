import { Suspense, useRef, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useFocusOnNavigation } from '../../../libs/web-client/src';
import { useI18n } from './i18n';
import { LanguageToggle } from './LanguageToggle';
import { type Operator, session } from './session';

/** The frame of every signed-in screen: skip link, banner, navigation, main landmark. */
export function Layout({ operator }: { operator: Operator }) {
  const { t, label } = useI18n();
  const main = useRef<HTMLElement>(null);
  const [leaving, setLeaving] = useState(false);
  useFocusOnNavigation(main);

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
            <li>
              <NavLink to="/alerts">{t('navAlerts')}</NavLink>
            </li>
            <li>
              <NavLink to="/compose">{t('navCompose')}</NavLink>
            </li>
            <li>
              <NavLink to="/shelters">{t('navShelters')}</NavLink>
            </li>
            <li>
              <NavLink to="/drills">{t('navDrills')}</NavLink>
            </li>
            <li>
              <NavLink to="/coverage">{t('navCoverage')}</NavLink>
            </li>
            <li>
              <NavLink to="/feeds">{t('navFeeds')}</NavLink>
            </li>
            <li>
              <NavLink to="/roster">{t('navRoster')}</NavLink>
            </li>
            {operator.role === 'admin' && (
              <li>
                <NavLink to="/admin">{t('navAdmin')}</NavLink>
              </li>
            )}
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
