import { useQueryClient } from '@tanstack/react-query';
import { lazy, useEffect } from 'react';
import { Link, Navigate, Route, Routes } from 'react-router';
import { useI18n } from './i18n';
import { Layout } from './Layout';
import { LoginScreen } from './screens/Login';
import { NowScreen } from './screens/Now';
import { useSession } from './session';

const OrdersScreen = lazy(() => import('./screens/orders/Orders').then((m) => ({ default: m.OrdersScreen })));

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
        <Route
          path="orders/*"
          element={<OrdersScreen municipalityId={state.operator.municipalityId} role={state.operator.role} />}
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
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
