import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import { useAccounts } from './queries';

const PAGE = 50;

interface Filters {
  actorId?: string;
  action?: string;
  since?: string;
  until?: string;
}

/** `datetime-local` is the operator's local time (Asia/Tokyo in the office): sent as an instant. */
function instant(local: string): string | undefined {
  return local ? new Date(local).toISOString() : undefined;
}

export function AuditLogPanel({ municipalityId }: { municipalityId: string }) {
  const { t, dateTime } = useI18n();
  const accounts = useAccounts(municipalityId);
  const [draft, setDraft] = useState({ actorId: '', action: '', since: '', until: '' });
  const [filters, setFilters] = useState<Filters>({});
  const [before, setBefore] = useState<string[]>([]);
  const log = useQuery({
    queryKey: ['audit', municipalityId, filters, before.at(-1)],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/audit-log', {
          params: { path: { municipalityId }, query: { limit: PAGE, before: before.at(-1), ...filters } },
        }),
      ),
  });
  const emailOf = new Map((accounts.data ?? []).map((a) => [a.id, a.email]));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setBefore([]);
    setFilters({
      actorId: draft.actorId || undefined,
      action: draft.action.trim() || undefined,
      since: instant(draft.since),
      until: instant(draft.until),
    });
  };
  return (
    <Panel id="admin-audit" title="adminAuditTitle">
      <form className="inline-form" onSubmit={apply}>
        <label className="field">
          {t('adminActor')}
          <select value={draft.actorId} onChange={(e) => setDraft({ ...draft, actorId: e.target.value })}>
            <option value="">{t('adminAnyone')}</option>
            {(accounts.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('adminAction')}
          <input
            value={draft.action}
            pattern="[A-Za-z][A-Za-z0-9_.]*"
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
        </label>
        <label className="field">
          {t('adminSince')}
          <input
            type="datetime-local"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </label>
        <label className="field">
          {t('adminUntil')}
          <input
            type="datetime-local"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </label>
        <button type="submit">{t('adminFilter')}</button>
      </form>
      <QueryState query={log} empty="adminAuditEmpty">
        {(entries) => (
          <>
            <DataTable
              className="audit-log"
              rows={entries}
              rowKey={(e) => e.id}
              columns={[
                { header: 'adminTime', cell: (e) => dateTime(e.createdAt), rowHeader: true },
                {
                  header: 'adminActor',
                  cell: (e) =>
                    e.actorId
                      ? (e.actorName ?? emailOf.get(e.actorId) ?? `${e.actorType} ${e.actorId.slice(0, 8)}`)
                      : t('adminSystem'),
                },
                { header: 'adminActionHeader', cell: (e) => <code>{e.action}</code> },
                {
                  header: 'adminTarget',
                  cell: (e) =>
                    e.targetType
                      ? `${e.targetType}${e.targetIds.length ? ` ×${e.targetIds.length}` : ''}`
                      : '',
                },
                {
                  header: 'adminDetails',
                  cell: (e) =>
                    Object.keys(e.details).length ? (
                      <code className="detail">{JSON.stringify(e.details)}</code>
                    ) : (
                      ''
                    ),
                },
              ]}
            />
            <div className="pager">
              <button type="button" disabled={before.length === 0} onClick={() => setBefore([])}>
                {t('adminNewest')}
              </button>
              <button
                type="button"
                disabled={entries.length < PAGE}
                onClick={() => setBefore((b) => [...b, entries[entries.length - 1].id])}
              >
                {t('adminOlder')}
              </button>
            </div>
          </>
        )}
      </QueryState>
    </Panel>
  );
}
