import { DeliveryStatus, SafetyStatus } from '@bousai/domain/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, apiError, type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { saveBlob } from '../../components/saveBlob';
import { useI18n } from '../../i18n';
import { type LiveView, REACHED_STATUSES, useLiveCounters } from '../../live';
import { type Operator, session } from '../../session';
import { LiveIndicator } from '../Now';
import {
  type AlertView,
  CANCELLABLE,
  CORRECTABLE,
  LanguageTextFields,
  langTag,
  roleAtLeast,
  SeveritySelect,
} from './alert-helpers';

type Action = 'submit' | 'approve' | 'send' | 'cancel';
const DELIVERY_STATUSES = Object.values(DeliveryStatus);
/** Always shown, the others only when some delivery is in them. */
const MAIN_DELIVERY_STATUSES: readonly string[] = ['queued', 'sent', 'delivered', 'failed'];
const SAFETY_ANSWERS = [...Object.values(SafetyStatus), 'unanswered' as const];

/** 警報の詳細: texts, who did what, the actions the role and status allow, live counters, follow-up, report. */
export function AlertDetailScreen({ operator }: { operator: Operator }) {
  const { t } = useI18n();
  const { alertId = '' } = useParams();
  const municipalityId = operator.municipalityId;
  const path = { municipalityId, alertId };
  const alert = useQuery({
    queryKey: ['alert', alertId],
    queryFn: () =>
      unwrap(session.api.GET('/v1/municipalities/{municipalityId}/alerts/{alertId}', { params: { path } })),
    refetchInterval: 10_000,
  });
  return (
    <QueryState query={alert} empty="alertsEmpty" isEmpty={() => false}>
      {(a) => (
        <>
          <h1>
            {a.isDrill && <span className="badge">{t('drill')}</span>}
            <span lang="ja">{a.texts.ja?.title ?? a.id}</span>
          </h1>
          <AlertBody alert={a} operator={operator} />
        </>
      )}
    </QueryState>
  );
}

function AlertBody({ alert, operator }: { alert: AlertView; operator: Operator }) {
  const live = useLiveCounters(alert.status === 'draft' ? [] : [alert.id]);
  const view = live.counters[alert.id];
  const mayReadPeople = roleAtLeast(operator.role, 'operator');
  return (
    <div className="detail-grid">
      <Summary alert={alert} operator={operator} />
      <TextsPanel alert={alert} />
      <Panel id="deliveries" title="detailDeliveries">
        <LiveIndicator state={live.state} />
        <DeliveryTable view={view} />
      </Panel>
      <Panel id="safety" title="detailSafety">
        <SafetyTable view={view} />
      </Panel>
      {mayReadPeople && <ReportPanels alert={alert} />}
    </div>
  );
}

function Summary({ alert, operator }: { alert: AlertView; operator: Operator }) {
  const { t, label, dateTime } = useI18n();
  const municipality = useQuery({
    queryKey: ['municipality', operator.municipalityId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}', {
          params: { path: { municipalityId: operator.municipalityId } },
        }),
      ),
  });
  const singleStepKinds = (municipality.data?.settings.singleStepKinds as string[] | undefined) ?? [];
  const singleStep =
    (alert.isDrill && singleStepKinds.includes('drill')) ||
    (alert.templateKey !== null && singleStepKinds.includes(alert.templateKey));
  const who = (id: string | null, name: string | null) =>
    id === null ? t('bySystem') : id === operator.id ? t('byYou') : (name ?? id);
  const own = alert.createdBy === operator.id;
  const mayApprove =
    roleAtLeast(operator.role, 'approver') && (!own || (operator.role === 'admin' && singleStep));
  return (
    <Panel id="summary" title="detailSummary">
      <dl className="facts">
        <dt>{t('detailStatus')}</dt>
        <dd className="status-line" data-testid="alert-status">
          {label('status', alert.status)}
        </dd>
        <dt>{t('severity')}</dt>
        <dd>{label('severity', alert.severity)}</dd>
        <dt>{t('channel')}</dt>
        <dd>{alert.channels.map((c) => label('channel', c)).join('、')}</dd>
        <dt>{t('detailAudience')}</dt>
        <dd>{describeTargeting(alert, t, label)}</dd>
        <dt>{t('detailCreatedBy')}</dt>
        <dd>
          {who(alert.createdBy, alert.createdByName)}{' '}
          <span className="detail">{dateTime(alert.createdAt)}</span>
        </dd>
        <dt>{t('detailApprovedBy')}</dt>
        <dd>{alert.approvedBy ? who(alert.approvedBy, alert.approvedByName) : '—'}</dd>
        {alert.cancelledBy && (
          <>
            <dt>{t('detailCancelledBy')}</dt>
            <dd>{who(alert.cancelledBy, alert.cancelledByName)}</dd>
          </>
        )}
        {alert.supersedesId && (
          <>
            <dt>{t('detailCorrects')}</dt>
            <dd>
              <a href={`/console/alerts/${alert.supersedesId}`}>{alert.supersedesId}</a>
            </dd>
          </>
        )}
      </dl>
      <p className="notice">{singleStep ? t('detailRuleSingleStep') : t('detailRuleTwoPerson')}</p>
      {alert.status === 'pending_approval' &&
        own &&
        !mayApprove &&
        roleAtLeast(operator.role, 'approver') && <p className="detail">{t('detailOwnAlert')}</p>}
      <Actions alert={alert} operator={operator} mayApprove={mayApprove} />
    </Panel>
  );
}

function describeTargeting(
  alert: AlertView,
  t: ReturnType<typeof useI18n>['t'],
  label: ReturnType<typeof useI18n>['label'],
): string {
  const g = alert.targeting;
  const parts: string[] = [];
  if (g.all) parts.push(label('audience', 'all'));
  if (g.areaIds?.length) parts.push(t('detailAreas', { n: g.areaIds.length }));
  if (g.groups?.length) parts.push(g.groups.map((x) => label('group', x)).join('、'));
  if (g.householdIds?.length) parts.push(t('detailHouseholds', { n: g.householdIds.length }));
  if (g.jmaCodes?.length) parts.push(g.jmaCodes.join(', '));
  return parts.join(' / ') || '—';
}

function Actions({
  alert,
  operator,
  mayApprove,
}: {
  alert: AlertView;
  operator: Operator;
  mayApprove: boolean;
}) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const path = { municipalityId: operator.municipalityId, alertId: alert.id };
  const act = useMutation({
    mutationFn: async (action: Action) => {
      const params = { params: { path } };
      const calls = {
        submit: () => session.api.POST('/v1/municipalities/{municipalityId}/alerts/{alertId}/submit', params),
        approve: () =>
          session.api.POST('/v1/municipalities/{municipalityId}/alerts/{alertId}/approve', params),
        send: () => session.api.POST('/v1/municipalities/{municipalityId}/alerts/{alertId}/send', params),
        cancel: () => session.api.POST('/v1/municipalities/{municipalityId}/alerts/{alertId}/cancel', params),
      };
      return unwrap(calls[action]());
    },
    onSuccess: (updated) => {
      setConfirming(false);
      queries.setQueryData(['alert', alert.id], updated);
      void queries.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
  const operatorUp = roleAtLeast(operator.role, 'operator');
  const shown = {
    submit: operatorUp && alert.status === 'draft',
    approve: mayApprove && alert.status === 'pending_approval',
    send: operatorUp && alert.status === 'approved',
    cancel: operatorUp && CANCELLABLE.includes(alert.status),
    correct: operatorUp && CORRECTABLE.includes(alert.status),
  };
  if (!Object.values(shown).some(Boolean)) return null;
  return (
    <>
      <div className="actions" role="group" aria-label={t('detailActions')}>
        {shown.submit && (
          <button
            type="button"
            className="primary"
            disabled={act.isPending}
            onClick={() => act.mutate('submit')}
          >
            {t('actionSubmit')}
          </button>
        )}
        {shown.approve && (
          <button
            type="button"
            className="primary"
            disabled={act.isPending}
            onClick={() => act.mutate('approve')}
          >
            {t('actionApprove')}
          </button>
        )}
        {shown.send && (
          <button
            type="button"
            className="primary"
            disabled={act.isPending}
            onClick={() => act.mutate('send')}
          >
            {t('actionSend')}
          </button>
        )}
        {shown.correct && (
          <button type="button" onClick={() => setCorrecting(true)} disabled={correcting}>
            {t('actionCorrect')}
          </button>
        )}
        {shown.cancel && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('actionCancel')}
          </button>
        )}
      </div>
      {act.isError && (
        <p role="alert" className="error">
          {t('actionFailed', {
            code: act.error instanceof ApiError ? act.error.code : 'NETWORK',
            message: act.error.message,
          })}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="cancelConfirmTitle"
        message={CORRECTABLE.includes(alert.status) ? t('cancelConfirmSent') : t('cancelConfirmNotSent')}
        confirm="actionCancelConfirm"
        busy={act.isPending}
        onConfirm={() => act.mutate('cancel')}
        onClose={() => setConfirming(false)}
      />
      {correcting && (
        <CorrectionForm alert={alert} operator={operator} onClose={() => setCorrecting(false)} />
      )}
    </>
  );
}

function CorrectionForm({
  alert,
  operator,
  onClose,
}: {
  alert: AlertView;
  operator: Operator;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [texts, setTexts] = useState(alert.texts);
  const [severity, setSeverity] = useState<string>(alert.severity);
  const correct = useMutation({
    mutationFn: () =>
      unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/alerts/{alertId}/correct', {
          params: { path: { municipalityId: operator.municipalityId, alertId: alert.id } },
          body: { texts, severity: severity as Schemas['CorrectAlertDto']['severity'] },
        }),
      ),
    onSuccess: (created) => {
      onClose();
      void navigate(`/alerts/${created.id}`);
    },
  });
  const set = (lang: string, part: 'title' | 'body', value: string) =>
    setTexts((all) => ({ ...all, [lang]: { ...all[lang], [part]: value } }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    correct.mutate();
  };
  return (
    <form className="correction" onSubmit={submit} aria-labelledby="correction-title">
      <h3 id="correction-title">{t('correctionTitle')}</h3>
      <p className="detail">{t('correctionHint')}</p>
      {Object.keys(texts).map((lang) => (
        <LanguageTextFields
          key={lang}
          idPrefix="fix-"
          language={lang}
          text={texts[lang]}
          onChange={(part, value) => set(lang, part, value)}
        />
      ))}
      <SeveritySelect id="fix-severity" value={severity} onChange={setSeverity} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('confirmBack')}
        </button>
        <button type="submit" className="primary" disabled={correct.isPending}>
          {t('correctionCreate')}
        </button>
      </div>
      {correct.isError && (
        <p role="alert" className="error">
          {t('actionFailed', {
            code: correct.error instanceof ApiError ? correct.error.code : 'NETWORK',
            message: correct.error.message,
          })}
        </p>
      )}
    </form>
  );
}

function TextsPanel({ alert }: { alert: AlertView }) {
  const { label } = useI18n();
  return (
    <Panel id="texts" title="detailTexts">
      <dl className="texts">
        {Object.entries(alert.texts).map(([lang, text]) => (
          <div key={lang}>
            <dt>{label('lang', lang)}</dt>
            <dd lang={langTag(lang)}>
              <strong>{text.title}</strong>
              <p className="message-body">{text.body}</p>
            </dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}

function DeliveryTable({ view }: { view: LiveView | undefined }) {
  const { t, label } = useI18n();
  if (!view) return <p className="empty">{t('liveWaiting')}</p>;
  const channels = Object.entries(view.byChannel);
  if (channels.length === 0) return <p className="empty">{t('detailNoDeliveries')}</p>;
  const rows = channels.map(([channel, statuses]) => ({
    channel,
    statuses,
    planned: Object.values(statuses).reduce((sum, n) => sum + n, 0),
    reached: REACHED_STATUSES.reduce((sum, k) => sum + (statuses[k] ?? 0), 0),
  }));
  return (
    <DataTable
      rows={rows}
      rowKey={(r) => r.channel}
      caption={t('detailReachedRate', { pct: Math.round(view.rates.reached * 100) })}
      columns={[
        { header: 'channel', rowHeader: true, cell: (r) => label('channel', r.channel) },
        { header: 'planned', numeric: true, cell: (r) => r.planned },
        {
          header: 'reached',
          cell: (r) => (
            <>
              <progress
                max={r.planned || 1}
                value={r.reached}
                aria-label={t('progressOf', { channel: label('channel', r.channel) })}
              />{' '}
              {r.reached}
            </>
          ),
        },
        ...DELIVERY_STATUSES.filter(
          (s) => MAIN_DELIVERY_STATUSES.includes(s) || rows.some((r) => (r.statuses[s] ?? 0) > 0),
        ).map((s) => ({
          header: `delivery.${s}` as const,
          numeric: true,
          cell: (r: { statuses: Record<string, number> }) => r.statuses[s] ?? 0,
        })),
      ]}
    />
  );
}

function SafetyTable({ view }: { view: LiveView | undefined }) {
  const { t, label } = useI18n();
  if (!view) return <p className="empty">{t('liveWaiting')}</p>;
  const rows = Object.entries(view.safety).filter(([, g]) => g.asked > 0);
  if (rows.length === 0) return <p className="empty">{t('detailNoSafety')}</p>;
  return (
    <DataTable
      rows={rows}
      rowKey={([group]) => group}
      columns={[
        { header: 'detailGroup', rowHeader: true, cell: ([group]) => label('group', group) },
        { header: 'detailAsked', numeric: true, cell: ([, g]) => g.asked },
        ...SAFETY_ANSWERS.map((a) => ({
          header: `answer.${a}` as const,
          numeric: true,
          cell: ([, g]: [string, Schemas['SafetyGroupLiveDto']]) =>
            a === 'unanswered' ? g.asked - g.answered : (g.byAnswer[a] ?? 0),
        })),
        { header: 'detailRate', numeric: true, cell: ([, g]) => `${Math.round(g.rate * 100)}%` },
      ]}
    />
  );
}

/** Per-district rates, the follow-up list and the CSV: they name residents, so operators and above. */
function ReportPanels({ alert }: { alert: AlertView }) {
  const { t, label, dateTime } = useI18n();
  const path = { municipalityId: alert.municipalityId, alertId: alert.id };
  const report = useQuery({
    queryKey: ['alert-report', alert.id],
    queryFn: async () => {
      const r = await unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/alerts/{alertId}/report', { params: { path } }),
      );
      if (typeof r === 'string') throw new Error('the report came as CSV');
      return r;
    },
    refetchInterval: 15_000,
    enabled: alert.status !== 'draft',
  });
  const followUp = useQuery({
    queryKey: ['alert-follow-up', alert.id],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/alerts/{alertId}/follow-up', {
          params: { path },
        }),
      ),
    refetchInterval: 15_000,
    enabled: alert.safetyRequest,
  });
  const [downloading, setDownloading] = useState<'idle' | 'busy' | 'failed'>('idle');
  const download = async () => {
    setDownloading('busy');
    const { data, error, response } = await session.api.GET(
      '/v1/municipalities/{municipalityId}/alerts/{alertId}/report',
      { params: { path, query: { format: 'csv' } }, parseAs: 'blob' },
    );
    if (!data) {
      console.warn(apiError(response, error).code);
      setDownloading('failed');
      return;
    }
    saveBlob(data, `alert-${alert.id}.csv`);
    setDownloading('idle');
  };
  return (
    <>
      <Panel id="districts" title="detailDistricts">
        <QueryState query={report} empty="detailNoDistricts" isEmpty={(r) => r.districts.length === 0}>
          {(r) => (
            <DataTable
              rows={r.districts}
              rowKey={(d) => d.areaId ?? 'none'}
              columns={[
                {
                  header: 'detailDistrict',
                  rowHeader: true,
                  cell: (d) => d.areaName ?? t('detailNoDistrict'),
                },
                { header: 'detailAsked', numeric: true, cell: (d) => d.asked },
                { header: 'detailAnswered', numeric: true, cell: (d) => d.answered },
                {
                  header: 'detailRate',
                  numeric: true,
                  cell: (d) => (d.rate === null ? '—' : `${Math.round(d.rate * 100)}%`),
                },
              ]}
            />
          )}
        </QueryState>
        <div className="actions">
          <button type="button" onClick={() => void download()} disabled={downloading === 'busy'}>
            {t('detailCsv')}
          </button>
        </div>
        {downloading === 'failed' && (
          <p role="alert" className="error">
            {t('detailCsvFailed')}
          </p>
        )}
      </Panel>
      {alert.safetyRequest && (
        <Panel id="follow-up" title="detailFollowUp">
          <QueryState query={followUp} empty="detailFollowUpEmpty">
            {(rows) => (
              <DataTable
                rows={rows}
                rowKey={(r) => r.taskId}
                columns={[
                  { header: 'detailName', rowHeader: true, cell: (r) => r.name },
                  { header: 'detailPhone', cell: (r) => r.phone ?? r.householdPhone ?? '—' },
                  { header: 'detailAddress', cell: (r) => r.address ?? '—' },
                  {
                    header: 'detailSupporters',
                    cell: (r) =>
                      r.supporterOutcomes.length === 0
                        ? '—'
                        : r.supporterOutcomes
                            .map(
                              (s) =>
                                `${s.priority ?? '?'}: ${label('escalation', s.state)}${s.outcome ? ` (${label('answer', s.outcome)})` : ''}`,
                            )
                            .join(' / '),
                  },
                  { header: 'detailDue', cell: (r) => dateTime(r.dueAt) },
                ]}
              />
            )}
          </QueryState>
        </Panel>
      )}
    </>
  );
}
