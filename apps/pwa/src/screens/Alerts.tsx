import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { type Schemas, unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { api } from '../resident';
import { codeOf } from './Enrol';
import { AnswerButtons } from './AnswerButtons';
import { HouseholdSafety } from './Household';
import { OrdersPanel } from './Orders';
import { ScanLink } from './ScanLink';
import { NotificationsCard } from './Settings';

type ResidentAlert = Schemas['ResidentAlertDto'];

function useAlerts() {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['alerts', lang],
    queryFn: () => unwrap(api.GET('/v1/resident/alerts', { params: { query: { lang } } })),
  });
}

export function useProfile() {
  return useQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/v1/resident/me')) });
}

export function Loading({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useI18n();
  if (!error) return <p role="status">{t('loading')}</p>;
  return (
    <p role="alert" className="error">
      {t('loadFailed', { code: codeOf(error) })}{' '}
      <button type="button" onClick={retry}>
        {t('retry')}
      </button>
    </p>
  );
}

function inForce(a: ResidentAlert): boolean {
  return a.status !== 'cancelled' && a.status !== 'superseded' && a.cancelsAlertId === null;
}

export function AlertsScreen() {
  const { t, label, dateTime } = useI18n();
  const alerts = useAlerts();
  return (
    <>
      <NotificationsCard compact />
      <OrdersPanel />
      <ScanLink />
      <h1>{t('alertsTitle')}</h1>
      {alerts.data === undefined ? (
        <Loading error={alerts.error} retry={() => void alerts.refetch()} />
      ) : alerts.data.length === 0 ? (
        <p>{t('alertsEmpty')}</p>
      ) : (
        <ul className="cards">
          {alerts.data.map((a) => (
            <li key={a.id} className={`card severity-${a.severity}`}>
              <Link to={`/alerts/${a.id}`} className="card-link">
                <span className="badge">{a.isDrill ? t('drill') : label('severity', a.severity)}</span>
                {!inForce(a) && <span className="badge muted">{t('cancelled')}</span>}
                <strong className="card-title">{a.title}</strong>
                <span className="muted">
                  {t('sentAt')} <time dateTime={a.dispatchedAt}>{dateTime(a.dispatchedAt)}</time>
                </span>
              </Link>
              {a.safetyRequest && inForce(a) && <SafetyAnswer alert={a} />}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function AlertScreen() {
  const { id } = useParams();
  const { t, label, dateTime } = useI18n();
  const alerts = useAlerts();
  const alert = alerts.data?.find((a) => a.id === id);
  return (
    <>
      <p>
        <Link to="/">{t('backToAlerts')}</Link>
      </p>
      {alerts.data === undefined ? (
        <Loading error={alerts.error} retry={() => void alerts.refetch()} />
      ) : !alert ? (
        <p>{t('alertNotFound')}</p>
      ) : (
        <article className={`card severity-${alert.severity}`} lang={alert.language}>
          <span className="badge">{alert.isDrill ? t('drill') : label('severity', alert.severity)}</span>
          {!inForce(alert) && <span className="badge muted">{t('cancelled')}</span>}
          <h1>{alert.title}</h1>
          <p className="muted">
            {t('sentAt')} <time dateTime={alert.dispatchedAt}>{dateTime(alert.dispatchedAt)}</time>
          </p>
          <p className="alert-body">{alert.body}</p>
          {alert.safetyRequest && inForce(alert) && <SafetyAnswer alert={alert} />}
          {inForce(alert) && <HouseholdSafety alertId={alert.id} />}
        </article>
      )}
    </>
  );
}

const ANSWERS = ['safe', 'need_help', 'injured'] as const;

/** One tap: 無事です / 助けが必要 / 負傷, recorded for this resident (via `pwa`). */
function SafetyAnswer({ alert }: { alert: ResidentAlert }) {
  const { t, label } = useI18n();
  const queries = useQueryClient();
  const answer = useMutation({
    mutationFn: (value: (typeof ANSWERS)[number]) =>
      unwrap(
        api.POST('/v1/resident/safety/{alertId}', {
          params: { path: { alertId: alert.id } },
          body: { answer: value, via: 'pwa' },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['alerts'] }),
  });
  const current = alert.myAnswer;
  return (
    <fieldset className="safety">
      <legend>{t('safetyQuestion')}</legend>
      {current && (
        <p role="status" className="ok">
          {t('answered', { answer: label('answer', current) })}
        </p>
      )}
      <AnswerButtons
        values={ANSWERS}
        current={current}
        pending={answer.isPending}
        error={answer.error}
        onAnswer={(value) => answer.mutate(value)}
      />
    </fieldset>
  );
}
