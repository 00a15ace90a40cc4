import { type ReactNode, Suspense } from 'react';
import { useI18n } from '../i18n';

/** A screen whose code loads on first visit (route-level `lazy()`), with the loading state every screen shows. */
export function LazyScreen({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return <Suspense fallback={<p role="status">{t('loading')}</p>}>{children}</Suspense>;
}
