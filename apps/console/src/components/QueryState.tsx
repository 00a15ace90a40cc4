import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../../../../libs/web-client/src';
import { type MessageKey, useI18n } from '../i18n';

/** An error as the operator reads it: the role may not see this, or what failed and a way to try again. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div role="alert" className="error">
      <p>
        {forbidden
          ? t('noPermission')
          : t('loadFailed', { code: error instanceof ApiError ? error.code : 'NETWORK' })}
      </p>
      {!forbidden && retry && (
        <button type="button" onClick={retry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/**
 * Loading, error and empty states the same way on every screen. `isEmpty` decides emptiness for a value that is
 * not a list (a list is empty when it has no item).
 */
export function QueryState<T>({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: UseQueryResult<T>;
  empty: MessageKey;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (query.isPending) return <p role="status">{t('loading')}</p>;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const emptyData = isEmpty ? isEmpty(query.data) : Array.isArray(query.data) && query.data.length === 0;
  if (emptyData) return <p className="empty">{t(empty)}</p>;
  return <>{children(query.data)}</>;
}
