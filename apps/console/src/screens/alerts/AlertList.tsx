import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { type Operator, session } from '../../session';
import { ALERT_STATUSES, AlertLink, roleAtLeast } from './alert-helpers';

/** 警報一覧: newest first, filtered by status, a page at a time. */
export function AlertListScreen({ operator }: { operator: Operator }) {
  const { t, label, dateTime } = useI18n();
  const municipalityId = operator.municipalityId;
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const query = useQuery({
    queryKey: ['alerts', municipalityId, status, cursor],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/alerts', {
          params: {
            path: { municipalityId },
            query: { limit: 50, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    refetchInterval: 15_000,
  });
  return (
    <>
      <h1>{t('alertsTitle')}</h1>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="status-filter">{t('alertsFilter')}</label>
          <select
            id="status-filter"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setCursors([]);
            }}
          >
            <option value="">{t('alertsAll')}</option>
            {ALERT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {label('status', s)}
              </option>
            ))}
          </select>
        </div>
        {roleAtLeast(operator.role, 'operator') && <Link to="/compose">{t('alertsCompose')}</Link>}
      </div>
      <QueryState query={query} empty="alertsEmpty" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <>
            <DataTable
              rows={page.items}
              rowKey={(a) => a.id}
              columns={[
                {
                  header: 'alertsAlert',
                  rowHeader: true,
                  cell: (a) => (
                    <>
                      {a.isDrill && <span className="badge">{t('drill')}</span>}
                      <AlertLink alert={a} />
                    </>
                  ),
                },
                { header: 'detailStatus', cell: (a) => label('status', a.status) },
                { header: 'severity', cell: (a) => label('severity', a.severity) },
                { header: 'createdAt', cell: (a) => dateTime(a.createdAt) },
              ]}
            />
            <div className="actions">
              {cursors.length > 0 && (
                <button type="button" onClick={() => setCursors(cursors.slice(0, -1))}>
                  {t('alertsNewer')}
                </button>
              )}
              {page.nextCursor && (
                <button type="button" onClick={() => setCursors([...cursors, page.nextCursor!])}>
                  {t('alertsOlder')}
                </button>
              )}
            </div>
          </>
        )}
      </QueryState>
    </>
  );
}
