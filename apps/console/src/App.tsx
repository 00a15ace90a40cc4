import { useQueryClient } from '@tanstack/react-query';
import { lazy, useEffect } from 'react';
import { Link, Navigate, Route, Routes } from 'react-router';
import { useI18n } from './i18n';
import { Layout } from './Layout';
import { LoginScreen } from './screens/Login';
import { NowScreen } from './screens/Now';
import { useSession } from './session';

// each screen but Now loads on first use (Layout shows the loading state meanwhile): the first screen stays small
const RosterScreen = lazy(() => import('./screens/roster/Roster').then((m) => ({ default: m.RosterScreen })));
const EnrolmentPrintScreen = lazy(() =>
  import('./screens/roster/EnrolmentPrint').then((m) => ({ default: m.EnrolmentPrintScreen })),
);
const AdminScreen = lazy(() => import('./screens/admin/Admin').then((m) => ({ default: m.AdminScreen })));
const SheltersScreen = lazy(() =>
  import('./screens/operations/Shelters').then((m) => ({ default: m.SheltersScreen })),
);
const DrillsScreen = lazy(() =>
  import('./screens/operations/Drills').then((m) => ({ default: m.DrillsScreen })),
);
const CoverageScreen = lazy(() =>
  import('./screens/operations/Coverage').then((m) => ({ default: m.CoverageScreen })),
);
const FeedsScreen = lazy(() =>
  import('./screens/operations/Feeds').then((m) => ({ default: m.FeedsScreen })),
);
const ComposeScreen = lazy(() =>
  import('./screens/alerts/Compose').then((m) => ({ default: m.ComposeScreen })),
);
const AlertDetailScreen = lazy(() =>
  import('./screens/alerts/AlertDetail').then((m) => ({ default: m.AlertDetailScreen })),
);
const AlertListScreen = lazy(() =>
  import('./screens/alerts/AlertList').then((m) => ({ default: m.AlertListScreen })),
);
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
  const { municipalityId: mid, role } = state.operator;
  return (
    <Routes>
      <Route element={<Layout operator={state.operator} />}>
        <Route index element={<Navigate to="/now" replace />} />
        <Route path="now" element={<NowScreen municipalityId={state.operator.municipalityId} />} />
        <Route path="roster" element={<RosterScreen operator={state.operator} />} />
        <Route path="roster/print" element={<EnrolmentPrintScreen />} />
        <Route path="admin" element={<AdminScreen operator={state.operator} />} />
        <Route path="shelters" element={<SheltersScreen municipalityId={mid} role={role} />} />
        <Route path="drills" element={<DrillsScreen municipalityId={mid} role={role} />} />
        <Route path="coverage" element={<CoverageScreen municipalityId={mid} />} />
        <Route path="feeds" element={<FeedsScreen municipalityId={mid} role={role} />} />
        <Route path="alerts" element={<AlertListScreen operator={state.operator} />} />
        <Route path="alerts/:alertId" element={<AlertDetailScreen operator={state.operator} />} />
        <Route path="compose" element={<ComposeScreen operator={state.operator} />} />
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
