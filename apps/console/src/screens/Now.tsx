import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type Schemas, unwrap } from '../../../../libs/web-client/src';
import { DataTable } from '../components/DataTable';
import { DraftOrdersPanel } from '../components/DraftOrdersPanel';
import { OpenSheltersPanel } from '../components/OpenSheltersPanel';
import { OrdersInForcePanel } from '../components/OrdersInForcePanel';
import { Panel } from '../components/Panel';
import { QueryState } from '../components/QueryState';
import { useI18n } from '../i18n';
import { type LiveView, REACHED_STATUSES, useLiveCounters } from '../live';
import { session } from '../session';

type AlertSummary = Schemas['AlertView'];

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
      return page.items;
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
        <DraftOrdersPanel municipalityId={municipalityId} />
        <OrdersInForcePanel municipalityId={municipalityId} />
        <OpenSheltersPanel municipalityId={municipalityId} />
        <FeedDocuments />
        <FeedFailures />
      </div>
    </>
  );
}

function AlertTitle({ alert }: { alert: AlertSummary }) {
  const { lang, t } = useI18n();
  const text = alert.texts[lang] ?? alert.texts.ja ?? Object.values(alert.texts)[0];
  return (
    <h3>
      {alert.isDrill && <span className="badge">{t('drill')}</span>}
      <Link to={`/alerts/${alert.id}`} lang={alert.texts[lang] ? lang : 'ja'}>
        {text?.title ?? alert.id}
      </Link>
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

export function LiveIndicator({ state }: { state: 'connecting' | 'connected' | 'offline' }) {
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
  const rows = channels.map(([channel, statuses]) => ({
    channel,
    planned: Object.values(statuses).reduce((sum, n) => sum + n, 0),
    reached: REACHED_STATUSES.reduce((sum, k) => sum + (statuses[k] ?? 0), 0),
    failed: statuses.failed ?? 0,
  }));
  return (
    <DataTable
      rows={rows}
      rowKey={(row) => row.channel}
      caption={label('status', view.status)}
      columns={[
        { header: 'channel', rowHeader: true, cell: (row) => row.channel },
        { header: 'planned', numeric: true, cell: (row) => row.planned },
        {
          header: 'reached',
          cell: (row) => (
            <>
              <progress
                max={row.planned || 1}
                value={row.reached}
                aria-label={t('progressOf', { channel: row.channel })}
              />{' '}
              {row.reached}
            </>
          ),
        },
        { header: 'failed', numeric: true, cell: (row) => row.failed },
      ]}
    />
  );
}

function FeedDocuments() {
  const { dateTime, label } = useI18n();
  const query = useQuery({
    queryKey: ['feed-documents'],
    queryFn: () => unwrap(session.api.GET('/v1/feed-documents', { params: { query: { limit: 10 } } })),
    refetchInterval: LIST_REFRESH_MS,
  });
  return (
    <Panel id="documents" title="documentsTitle">
      <QueryState query={query} empty="documentsEmpty">
        {(docs) => (
          <DataTable
            rows={docs}
            rowKey={(doc) => doc.id}
            columns={[
              { header: 'receivedAt', cell: (doc) => dateTime(doc.receivedAt) },
              { header: 'source', cell: (doc) => doc.feedName ?? doc.source },
              { header: 'kind', cell: (doc) => doc.kind ?? '—' },
              { header: 'parseStatus', cell: (doc) => label('parse', doc.parseStatus) },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}

function FeedFailures() {
  const { dateTime } = useI18n();
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
          <DataTable
            rows={docs}
            rowKey={(doc) => doc.id}
            columns={[
              { header: 'receivedAt', cell: (doc) => dateTime(doc.receivedAt) },
              { header: 'source', cell: (doc) => doc.feedName ?? doc.source },
              {
                header: 'errorCode',
                cell: (doc) => (
                  <>
                    <code>{doc.parseErrorCode ?? '—'}</code>
                    {doc.parseError && <span className="detail"> {doc.parseError}</span>}
                  </>
                ),
              },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}
