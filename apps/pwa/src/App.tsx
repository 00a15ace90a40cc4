import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore } from 'react';
import { Link, NavLink, Outlet, Route, Routes } from 'react-router';
import { useFocusOnNavigation } from '../../../libs/web-client/src';
import { useI18n } from './i18n';
import { resident } from './resident';
import { AlertScreen, AlertsScreen } from './screens/Alerts';
import { CheckInScreen } from './screens/CheckIn';
import { EnrolScreen } from './screens/Enrol';
import { OfflineBanner } from './screens/OfflineBanner';
import { SettingsScreen } from './screens/Settings';
import { SheltersScreen } from './screens/Shelters';
import { useVisitor, VisitorScreen } from './screens/Visitor';

// the scanner and its QR decoder load when it is opened: the app's first load stays as it was
const ScanScreen = lazy(() => import('./screens/Scan'));

function useCredential(): string | undefined {
  return useSyncExternalStore(resident.subscribe, resident.credential);
}

export function App() {
  const credential = useCredential();
  const visiting = useVisitor() !== undefined;
  const queries = useQueryClient();
  // nothing of one holder (resident or visitor) stays in memory once the device or subscription is removed; only
  // then: clearing at start would orphan the first screen's queries
  const holder = credential ?? (visiting ? 'visitor' : undefined);
  const previous = useRef(holder);
  useEffect(() => {
    if (previous.current !== undefined && holder !== previous.current) queries.clear();
    previous.current = holder;
  }, [holder, queries]);

  return (
    <Routes>
      <Route element={<Layout enrolled={credential !== undefined} />}>
        {credential ? (
          <>
            <Route index element={<AlertsScreen />} />
            <Route path="alerts/:id" element={<AlertScreen />} />
            <Route path="shelters" element={<SheltersScreen />} />
            <Route path="settings" element={<SettingsScreen />} />
            <Route path="shelter-check-in/:token" element={<CheckInScreen />} />
            <Route path="scan" element={<Scanner enrolled />} />
            <Route path="*" element={<AlertsScreen />} />
          </>
        ) : (
          <>
            <Route path="visitor" element={<VisitorScreen />} />
            <Route path="scan" element={<Scanner enrolled={false} />} />
            {/* a visitor's subscription: its screen is the app's home */}
            <Route path="*" element={visiting ? <VisitorScreen /> : <EnrolScreen />} />
          </>
        )}
      </Route>
    </Routes>
  );
}

function Scanner({ enrolled }: { enrolled: boolean }) {
  const { t } = useI18n();
  return (
    <Suspense fallback={<p role="status">{t('loading')}</p>}>
      <ScanScreen enrolled={enrolled} />
    </Suspense>
  );
}

/** The frame of every screen: skip link, banner, offline notice, main landmark, bottom navigation. */
function Layout({ enrolled }: { enrolled: boolean }) {
  const { t } = useI18n();
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);

  return (
    <>
      {/* a button, not a #main link: the hash is the router's */}
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        {t('skipToContent')}
      </button>
      <header className="banner">
        <p className="app-name">
          <Link to="/">{t('appName')}</Link>
        </p>
      </header>
      <OfflineBanner />
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      {enrolled && (
        <nav className="tabs" aria-label={t('mainNav')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('navAlerts')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/shelters">{t('navShelters')}</NavLink>
            </li>
            <li>
              <NavLink to="/settings">{t('navSettings')}</NavLink>
            </li>
          </ul>
        </nav>
      )}
    </>
  );
}
