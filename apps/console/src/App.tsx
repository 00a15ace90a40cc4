import { useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { Link, Navigate, Route, Routes } from 'react-router';
import { useI18n } from './i18n';
import { Layout } from './Layout';
import { LoginScreen } from './screens/Login';
import { NowScreen } from './screens/Now';
import { useSession } from './session';

// the alert screens load on first use: the first screen stays small
const ComposeScreen = lazy(() =>
  import('./screens/alerts/Compose').then((m) => ({ default: m.ComposeScreen })),
);
const AlertDetailScreen = lazy(() =>
  import('./screens/alerts/AlertDetail').then((m) => ({ default: m.AlertDetailScreen })),
);
const AlertListScreen = lazy(() =>
  import('./screens/alerts/AlertList').then((m) => ({ default: m.AlertListScreen })),
);

export function App() {
  const state = useSession();
  const { t } = useI18n();
  const queries = useQueryClient();
  // nothing one operator saw stays in memory for the next one
  useEffect(() => {
    if (state.status === 'signed-out') queries.clear();
  }, [state.status, queries]);

  if (state.status === 'restoring') {
    return (
      <main className="centered">
        <p role="status">{t('restoring')}</p>
      </main>
    );
  }
  if (state.status === 'signed-out') return <LoginScreen notice={state.notice} />;
  return (
    <Routes>
      <Route element={<Layout operator={state.operator} />}>
        <Route index element={<Navigate to="/now" replace />} />
        <Route path="now" element={<NowScreen municipalityId={state.operator.municipalityId} />} />
        <Route path="alerts" element={<Lazy>{<AlertListScreen operator={state.operator} />}</Lazy>} />
        <Route
          path="alerts/:alertId"
          element={<Lazy>{<AlertDetailScreen operator={state.operator} />}</Lazy>}
        />
        <Route path="compose" element={<Lazy>{<ComposeScreen operator={state.operator} />}</Lazy>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** A screen loaded on first use, with the loading state every screen shows meanwhile. */
function Lazy({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return <Suspense fallback={<p role="status">{t('loading')}</p>}>{children}</Suspense>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>
        <Link to="/now">{t('backToNow')}</Link>
      </p>
    </>
  );
}
