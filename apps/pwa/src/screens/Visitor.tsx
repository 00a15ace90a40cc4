import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState, useSyncExternalStore } from 'react';
import { Link, useLocation } from 'react-router';
import { unwrap } from '../../../../libs/web-client/src';
import { type Lang, LANG_NAMES, LANGS, useI18n } from '../i18n';
import { api } from '../resident';
import {
  changeVisitor,
  removeVisitor,
  subscribeVisitor,
  visitor,
  type VisitorHolding,
  visitorStatus,
} from '../visitor';
import { codeOf } from './Enrol';
import type { ScannedState } from './ScanLink';

export function useVisitor(): VisitorHolding | undefined {
  return useSyncExternalStore(visitor.subscribe, visitor.holding);
}

/** The municipality of a poster's QR link (`/app/?m=322067#/visitor`) or of its scan in the app, if any. */
function codeFromLink(scanned: ScannedState | null): string {
  const m = scanned?.municipality ?? new URLSearchParams(window.location.search).get('m') ?? '';
  return /^\d{6}$/.test(m) ? m : '';
}

/**
 * Visitors and family elsewhere (旅行者・家族の方): public alerts of chosen districts without enrolment. Before
 * subscribing: municipality, districts, language, then the browser's permission; afterwards the same form changes
 * or removes the subscription (its secret stays in this browser).
 */
export function VisitorScreen() {
  const { t, lang } = useI18n();
  const holding = useVisitor();
  const scanned = useLocation().state as ScannedState | null;
  const [code, setCode] = useState(() => holding?.code ?? codeFromLink(scanned));
  const [chosen, setChosen] = useState<string[]>(holding?.districts ?? []);
  const [language, setLanguage] = useState<Lang>(holding?.language ?? lang);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const validCode = /^\d{6}$/.test(code);
  const districts = useQuery({
    queryKey: ['districts', code],
    enabled: validCode,
    queryFn: () =>
      unwrap(api.GET('/v1/public/municipalities/{code}/districts', { params: { path: { code } } })),
  });
  const status = useQuery({
    queryKey: ['visitor', holding?.id],
    enabled: holding !== undefined,
    queryFn: () => visitorStatus(holding!),
  });

  const run = async (action: () => Promise<void>, done: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await action();
      setMessage({ ok: true, text: done });
    } catch (e) {
      setMessage({ ok: false, text: t('visitorFailed', { code: codeOf(e) }) });
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0) {
      setMessage({ ok: false, text: t('visitorNoDistrict') });
      return;
    }
    void run(
      () => (holding ? changeVisitor(holding, chosen, language) : subscribeVisitor(code, chosen, language)),
      holding ? t('visitorSaved') : t('visitorSubscribed'),
    );
  };
  const toggle = (id: string, on: boolean) =>
    setChosen((now) => (on ? [...now, id] : now.filter((d) => d !== id)));

  return (
    <>
      <h1>{t('visitorTitle')}</h1>
      <p>{t('visitorIntro')}</p>
      {holding && status.data?.status === 'dead' && (
        <p className="error" role="alert">
          {t('visitorDead')}
        </p>
      )}
      {holding && status.data?.status === 'active' && (
        <p className="ok" role="status">
          {t('visitorSubscribed')}
        </p>
      )}
      <form onSubmit={submit} className="stack">
        <label htmlFor="municipality">{t('visitorMunicipality')}</label>
        <input
          id="municipality"
          name="municipality"
          inputMode="numeric"
          pattern="\d{6}"
          required
          readOnly={holding !== undefined}
          value={code}
          onChange={(e) => setCode(e.target.value.trim())}
        />
        {validCode && (
          <fieldset className="stack">
            <legend>{t('visitorDistricts')}</legend>
            {districts.isError && (
              <p className="error">{t('loadFailed', { code: codeOf(districts.error) })}</p>
            )}
            {districts.data?.map((d) => (
              <label key={d.id} className="choice">
                <input
                  type="checkbox"
                  name="district"
                  value={d.id}
                  checked={chosen.includes(d.id)}
                  onChange={(e) => toggle(d.id, e.target.checked)}
                />
                {d.name}
              </label>
            ))}
          </fieldset>
        )}
        <fieldset className="stack">
          <legend>{t('visitorLanguage')}</legend>
          {LANGS.map((l) => (
            <label key={l} className="choice" lang={l === 'en' ? 'en' : 'ja'}>
              <input
                type="radio"
                name="visitor-lang"
                value={l}
                checked={language === l}
                onChange={() => setLanguage(l)}
              />
              {LANG_NAMES[l]}
            </label>
          ))}
        </fieldset>
        {message && (
          <p className={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !validCode}>
          {holding ? t('visitorSave') : t('visitorSubscribe')}
        </button>
      </form>
      {holding ? (
        <p>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => removeVisitor(holding), t('visitorRemoved'))}
          >
            {t('visitorRemove')}
          </button>
        </p>
      ) : (
        <p>
          <Link to="/">{t('visitorHaveCode')}</Link>
        </p>
      )}
    </>
  );
}
