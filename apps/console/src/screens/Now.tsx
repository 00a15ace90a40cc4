import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError, unwrap } from '../../../../libs/web-client/src';
import { type MessageKey, useI18n } from '../i18n';
import { type LiveView, REACHED_STATUSES, useLiveCounters } from '../live';
import { session } from '../session';

/**
 * An alert as the list endpoint returns it. That endpoint documents no response schema in openapi.json yet; the
 * fields read here are the stable ones of the alert record.
 */
interface AlertSummary {
  id: string;
  status: string;
  severity: string;
  isDrill: boolean;
  texts: Record<string, { title: string; body: string }>;
  channels: string[];
  createdAt: string;
}

const LIST_REFRESH_MS = 15_000;

function useAlerts(municipalityId: string, status: string) {
  return useQuery({
    queryKey: ['alerts', municipalityId, status],
    queryFn: async () => {
      const page = await unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/alerts', {
          params: { path: { municipalityId }, query: { status, limit: 20 } },
        }),
      );
      return (page as { items: AlertSummary[] }).items;
    },
    refetchInterval: LIST_REFRESH_MS,
  });
}

/** The first parts of the "Now" screen: what waits for a decision, what is going out, what the feeds brought. */
export function NowScreen({ municipalityId }: { municipalityId: string }) {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('nowTitle')}</h1>
      <div className="now-grid">
        <PendingAlerts municipalityId={municipalityId} />
        <InFlightAlerts municipalityId={municipalityId} />
        <FeedDocuments />
        <FeedFailures />
      </div>
    </>
  );
}

function Panel({ id, title, children }: { id: string; title: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{t(title)}</h2>
      {children}
    </section>
  );
}

/** Loading, error and empty states the same way on every panel. */
function QueryState<T>({
  query,
  empty,
  children,
}: {
  query: UseQueryResult<T[]>;
  empty: MessageKey;
  children: (items: T[]) => ReactNode;
}) {
  const { t } = useI18n();
  if (query.isPending) return <p role="status">{t('loading')}</p>;
  if (query.isError) {
    const error = query.error;
    const forbidden = error instanceof ApiError && error.status === 403;
    return (
      <div role="alert" className="error">
        <p>
          {forbidden
            ? t('noPermission')
            : t('loadFailed', { code: error instanceof ApiError ? error.code : 'NETWORK' })}
        </p>
        {!forbidden && (
          <button type="button" onClick={() => void query.refetch()}>
            {t('retry')}
          </button>
        )}
      </div>
    );
  }
  if (query.data.length === 0) return <p className="empty">{t(empty)}</p>;
  return <>{children(query.data)}</>;
}

function AlertTitle({ alert }: { alert: AlertSummary }) {
  const { lang, t } = useI18n();
  const text = alert.texts[lang] ?? alert.texts.ja ?? Object.values(alert.texts)[0];
  return (
    <h3>
      {alert.isDrill && <span className="badge">{t('drill')}</span>}
      <span lang={alert.texts[lang] ? lang : 'ja'}>{text?.title ?? alert.id}</span>
    </h3>
  );
}

function PendingAlerts({ municipalityId }: { municipalityId: string }) {
  const { t, dateTime, label } = useI18n();
  const query = useAlerts(municipalityId, 'pending_approval');
  return (
    <Panel id="pending" title="pendingTitle">
      <QueryState query={query} empty="pendingEmpty">
        {(alerts) => (
          <ul className="cards">
            {alerts.map((alert) => (
              <li key={alert.id} className="card">
                <AlertTitle alert={alert} />
                <dl>
                  <dt>{t('severity')}</dt>
                  <dd>{alert.severity}</dd>
                  <dt>{t('createdAt')}</dt>
                  <dd>{dateTime(alert.createdAt)}</dd>
                  <dt>{t('channel')}</dt>
                  <dd>{alert.channels.join(', ')}</dd>
                </dl>
                <p className="status-line">{label('status', alert.status)}</p>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Panel>
  );
}

function InFlightAlerts({ municipalityId }: { municipalityId: string }) {
  const approved = useAlerts(municipalityId, 'approved');
  const dispatching = useAlerts(municipalityId, 'dispatching');
  const sent = useAlerts(municipalityId, 'sent');
  const parts = [approved, dispatching, sent];
  // one list out of three queries: pending or failed while any part is
  const merged = {
    ...dispatching,
    isPending: parts.some((q) => q.isPending),
    isError: parts.some((q) => q.isError),
    error: parts.find((q) => q.isError)?.error ?? null,
    data: parts.flatMap((q) => q.data ?? []),
    refetch: () => Promise.all(parts.map((q) => q.refetch())),
  } as unknown as UseQueryResult<AlertSummary[]>;
  const ids = merged.isPending || merged.isError ? [] : merged.data.map((a) => a.id);
  const live = useLiveCounters(ids);
  return (
    <Panel id="in-flight" title="inFlightTitle">
      <QueryState query={merged} empty="inFlightEmpty">
        {(alerts) => (
          <>
            <LiveIndicator state={live.state} />
            <ul className="cards">
              {alerts.map((alert) => (
                <li key={alert.id} className="card">
                  <AlertTitle alert={alert} />
                  <ChannelProgress view={live.counters[alert.id]} />
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryState>
    </Panel>
  );
}

function LiveIndicator({ state }: { state: 'connecting' | 'connected' | 'offline' }) {
  const { t } = useI18n();
  const text = { connecting: t('liveConnecting'), connected: t('liveConnected'), offline: t('liveOffline') }[
    state
  ];
  return (
    <p className={`live live-${state}`} role="status">
      {text}
    </p>
  );
}

function ChannelProgress({ view }: { view: LiveView | undefined }) {
  const { t, label } = useI18n();
  if (!view) return <p className="empty">{t('liveWaiting')}</p>;
  const channels = Object.entries(view.byChannel);
  if (channels.length === 0) return <p className="status-line">{label('status', view.status)}</p>;
  return (
    <table>
      <caption className="status-line">{label('status', view.status)}</caption>
      <thead>
        <tr>
          <th scope="col">{t('channel')}</th>
          <th scope="col">{t('planned')}</th>
          <th scope="col">{t('reached')}</th>
          <th scope="col">{t('failed')}</th>
        </tr>
      </thead>
      <tbody>
        {channels.map(([channel, statuses]) => {
          const planned = Object.values(statuses).reduce((s, n) => s + n, 0);
          const reached = REACHED_STATUSES.reduce((s, k) => s + (statuses[k] ?? 0), 0);
          return (
            <tr key={channel}>
              <th scope="row">{channel}</th>
              <td>{planned}</td>
              <td>
                <progress max={planned || 1} value={reached} aria-label={t('progressOf', { channel })} />{' '}
                {reached}
              </td>
              <td>{statuses.failed ?? 0}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function FeedDocuments() {
  const { t, dateTime, label } = useI18n();
  const query = useQuery({
    queryKey: ['feed-documents'],
    queryFn: () => unwrap(session.api.GET('/v1/feed-documents', { params: { query: { limit: 10 } } })),
    refetchInterval: LIST_REFRESH_MS,
  });
  return (
    <Panel id="documents" title="documentsTitle">
      <QueryState query={query} empty="documentsEmpty">
        {(docs) => (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('receivedAt')}</th>
                <th scope="col">{t('source')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('parseStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {docs.map((doc) => (
                <tr key={doc.id}>
                  <td>{dateTime(doc.receivedAt)}</td>
                  <td>{doc.feedName ?? doc.source}</td>
                  <td>{doc.kind ?? '—'}</td>
                  <td>{label('parse', doc.parseStatus)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </Panel>
  );
}

function FeedFailures() {
  const { t, dateTime } = useI18n();
  const query = useQuery({
    queryKey: ['feed-failures'],
    queryFn: () =>
      unwrap(session.api.GET('/v1/feed-documents/failures', { params: { query: { limit: 10 } } })),
    refetchInterval: LIST_REFRESH_MS,
  });
  return (
    <Panel id="failures" title="failuresTitle">
      <QueryState query={query} empty="failuresEmpty">
        {(docs) => (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('receivedAt')}</th>
                <th scope="col">{t('source')}</th>
                <th scope="col">{t('errorCode')}</th>
              </tr>
            </thead>
            <tbody>
              {docs.map((doc) => (
                <tr key={doc.id}>
                  <td>{dateTime(doc.receivedAt)}</td>
                  <td>{doc.feedName ?? doc.source}</td>
                  <td>
                    <code>{doc.parseErrorCode ?? '—'}</code>
                    {doc.parseError && <span className="detail"> {doc.parseError}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </Panel>
  );
}
