import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../../../libs/web-client/src';
import { LANG_NAMES, LANGS, useI18n } from '../i18n';
import { enablePush, pushState } from '../push';
import { api, forgetHolder, resident } from '../resident';
import { AlertSettings } from './AlertSettings';
import { useProfile } from './Alerts';
import { codeOf } from './Enrol';

/** Whether this browser gets alerts, and the button that turns them on. `compact`: only shown while off. */
export function NotificationsCard({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const state = useQuery({ queryKey: ['push-state'], queryFn: pushState });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (state.data === undefined || (compact && state.data !== 'off')) return null;

  const enable = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await enablePush();
    } catch (e) {
      setError(codeOf(e));
    } finally {
      setBusy(false);
      await queries.invalidateQueries({ queryKey: ['push-state'] });
    }
  };

  return (
    <section aria-labelledby="notifications-title" className="notice-card">
      <h2 id="notifications-title">{t('notifications')}</h2>
      {state.data === 'unsupported' && <p>{t('notificationsUnsupported')}</p>}
      {state.data === 'blocked' && <p>{t('notificationsBlocked')}</p>}
      {state.data === 'on' && <p role="status">{t('notificationsOn')}</p>}
      {state.data === 'off' && (
        <>
          <p>{t('notificationsOff')}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void enable()}>
            {t('enableNotifications')}
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {t('pushUnavailable', { code: error })}
        </p>
      )}
    </section>
  );
}

export function SettingsScreen() {
  const { t, lang, setLang } = useI18n();
  const profile = useProfile();
  const [leaving, setLeaving] = useState(false);

  const leave = async () => {
    setLeaving(true);
    await unwrap(api.POST('/v1/resident/logout')).catch(() => undefined);
    const registration = await navigator.serviceWorker?.getRegistration('/app/');
    await (await registration?.pushManager.getSubscription())?.unsubscribe().catch(() => undefined);
    await forgetHolder().catch(() => undefined);
    resident.set(undefined);
  };

  return (
    <>
      <h1>{t('settingsTitle')}</h1>
      <fieldset className="stack">
        <legend>{t('language')}</legend>
        {LANGS.map((l) => (
          <label key={l} className="choice" lang={l === 'en' ? 'en' : 'ja'}>
            <input type="radio" name="lang" value={l} checked={lang === l} onChange={() => setLang(l)} />
            {LANG_NAMES[l]}
          </label>
        ))}
      </fieldset>
      <AlertSettings />
      <NotificationsCard />
      <section aria-labelledby="account-title">
        <h2 id="account-title">{t('account')}</h2>
        {profile.data && (
          <dl>
            <dt>{t('municipality')}</dt>
            <dd>{profile.data.municipalityName}</dd>
            <dt>{t('district')}</dt>
            <dd>{profile.data.areaName ?? '—'}</dd>
          </dl>
        )}
        <button type="button" disabled={leaving} onClick={() => void leave()}>
          {t('logout')}
        </button>
      </section>
    </>
  );
}
