import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { REACHED_STATUSES, useLiveCounters } from '../../live';
import { session } from '../../session';
import { ActionMessage, mayOperate } from './ActionMessage';
import { DrillReport } from './DrillReport';

type Drill = Schemas['DrillDto'];
type Group = 'everyone' | 'needs_assistance' | 'staff';
const GROUPS: readonly Group[] = ['everyone', 'needs_assistance', 'staff'];
/** Drill statuses whose deliveries are still moving or done: the live counters are worth watching. */
const DELIVERING = ['dispatching', 'sent'];

/** 訓練: launch now or later, follow the answers as they come, read the report. */
export function DrillsScreen({ municipalityId, role }: { municipalityId: string; role: string }) {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const reportId = search.get('report');
  const operate = mayOperate(role);
  return (
    <>
      <h1>{t('drillsTitle')}</h1>
      {operate && <LaunchDrill municipalityId={municipalityId} />}
      <DrillList
        municipalityId={municipalityId}
        operate={operate}
        onReport={(id) => setSearch({ report: id })}
      />
      {reportId && <DrillReport municipalityId={municipalityId} alertId={reportId} />}
    </>
  );
}

function LaunchDrill({ municipalityId }: { municipalityId: string }) {
  const { t, label } = useI18n();
  const queries = useQueryClient();
  const [title, setTitle] = useState(() => t('drillTitleDefault'));
  const [body, setBody] = useState('');
  const [group, setGroup] = useState<Group>('everyone');
  const [later, setLater] = useState(false);
  const [at, setAt] = useState('');
  const launch = useMutation({
    mutationFn: () =>
      unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/drills', {
          params: { path: { municipalityId } },
          body: {
            title,
            channels: ['receiver', 'fcm'],
            ...(body ? { body } : {}),
            targeting: { all: true, ...(group === 'everyone' ? {} : { groups: [group] }) },
            ...(later && at ? { scheduledAt: new Date(at).toISOString() } : {}),
          },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['drills', municipalityId] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    launch.mutate();
  };
  return (
    <Panel id="launch-drill" title="launchTitle">
      <form onSubmit={submit} className="drill-form">
        <div className="field">
          <label htmlFor="drill-title">{t('drillTitle')}</label>
          <input
            id="drill-title"
            required
            maxLength={100}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="drill-body">{t('drillBody')}</label>
          <textarea
            id="drill-body"
            maxLength={1000}
            rows={2}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
        <fieldset>
          <legend>{t('drillGroups')}</legend>
          {GROUPS.map((g) => (
            <label key={g} className="choice">
              <input
                type="radio"
                name="drill-group"
                value={g}
                checked={group === g}
                onChange={() => setGroup(g)}
              />
              {label('drillGroup.option', g)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('drillWhen')}</legend>
          <label className="choice">
            <input type="radio" name="drill-when" checked={!later} onChange={() => setLater(false)} />
            {t('drillNow')}
          </label>
          <label className="choice">
            <input type="radio" name="drill-when" checked={later} onChange={() => setLater(true)} />
            {t('drillLater')}
          </label>
          {later && (
            <div className="field">
              <label htmlFor="drill-at">{t('drillAt')}</label>
              <input
                id="drill-at"
                type="datetime-local"
                required
                value={at}
                onChange={(e) => setAt(e.target.value)}
              />
            </div>
          )}
        </fieldset>
        <button type="submit" className="primary" disabled={launch.isPending}>
          {later ? t('schedule') : t('launch')}
        </button>
      </form>
      <ActionMessage
        error={launch.error}
        success={
          launch.isSuccess &&
          (launch.data.alertStatus === 'pending_approval'
            ? 'drillAwaitsApproval'
            : launch.data.scheduleState === 'scheduled'
              ? 'scheduled'
              : 'launched')
        }
      />
    </Panel>
  );
}

function DrillList({
  municipalityId,
  operate,
  onReport,
}: {
  municipalityId: string;
  operate: boolean;
  onReport: (alertId: string) => void;
}) {
  const { t, label, dateTime } = useI18n();
  const queries = useQueryClient();
  const query = useQuery({
    queryKey: ['drills', municipalityId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/drills', {
          params: { path: { municipalityId } },
        }),
      ),
    // the answers come in over minutes: keep the progress moving while the screen is open
    refetchInterval: 5_000,
  });
  const watched = (query.data ?? []).filter((d) => DELIVERING.includes(d.alertStatus)).map((d) => d.alertId);
  const live = useLiveCounters(watched);
  const cancel = useMutation({
    mutationFn: (alertId: string) =>
      unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/drills/{alertId}/cancel', {
          params: { path: { municipalityId, alertId } },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['drills', municipalityId] }),
  });
  const title = (d: Drill) => d.title ?? d.alertId;
  const reached = (d: Drill) => {
    const totals = live.counters[d.alertId]?.totals;
    return totals ? REACHED_STATUSES.reduce((sum, k) => sum + (totals[k] ?? 0), 0) : undefined;
  };
  return (
    <Panel id="drill-list" title="drillsListTitle">
      <QueryState query={query} empty="drillsEmpty">
        {(drills) => (
          <DataTable
            rows={drills}
            rowKey={(d) => d.alertId}
            columns={[
              { header: 'drillTitle', rowHeader: true, cell: title },
              {
                header: 'drillState',
                cell: (d) =>
                  label('scheduleState', d.scheduleState ?? '') + ` (${label('status', d.alertStatus)})`,
              },
              {
                header: 'drillWhenColumn',
                cell: (d) => {
                  const when = d.launchedAt ?? d.scheduledAt;
                  return when ? dateTime(when) : '—';
                },
              },
              { header: 'reached', numeric: true, cell: (d) => reached(d) ?? '—' },
              { header: 'asked', numeric: true, cell: (d) => d.asked },
              {
                header: 'progress',
                cell: (d) => (
                  <>
                    <progress
                      max={d.asked || 1}
                      value={d.answered}
                      aria-label={t('progressFor', { title: title(d) })}
                    />{' '}
                    <span className="num">{d.answered}</span>
                  </>
                ),
              },
              {
                header: 'actions',
                cell: (d) => (
                  <div className="row-actions">
                    {d.launchedAt && (
                      <button
                        type="button"
                        aria-label={t('reportFor', { title: title(d) })}
                        onClick={() => onReport(d.alertId)}
                      >
                        {t('showReport')}
                      </button>
                    )}
                    {operate && d.scheduleState === 'scheduled' && (
                      <button
                        type="button"
                        disabled={cancel.isPending}
                        onClick={() => cancel.mutate(d.alertId)}
                      >
                        {t('cancelDrill')}
                      </button>
                    )}
                  </div>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      <ActionMessage error={cancel.error} />
    </Panel>
  );
}
