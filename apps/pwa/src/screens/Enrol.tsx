import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError, unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { api, resident, shareWithWorker } from '../resident';
import { ScanLink, type ScannedState } from './ScanLink';

/**
 * The code of the office's letter or poster: typed, in the QR code's link (`/app/?code=…`) the camera app opened,
 * or from that link read by the app's scanner.
 */
function codeFromLink(scanned: ScannedState | null): string {
  return scanned?.code ?? new URLSearchParams(window.location.search).get('code') ?? '';
}

export function EnrolScreen() {
  const { t } = useI18n();
  const scanned = useLocation().state as ScannedState | null;
  const [code, setCode] = useState(() => codeFromLink(scanned));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { credential } = await unwrap(
        api.POST('/v1/resident/enrol', { body: { code: code.trim(), deviceLabel: 'PWA' } }),
      );
      await shareWithWorker({ credential }).catch(() => undefined);
      // the code is spent: keep it out of the address bar and the history
      if (window.location.search || scanned?.code)
        history.replaceState(null, '', `/app/${window.location.hash}`);
      resident.set(credential);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status < 500 ? t('enrolFailed') : t('loadFailed', { code: codeOf(e) }),
      );
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('enrolTitle')}</h1>
      <p>{t('enrolIntro')}</p>
      <ScanLink />
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label htmlFor="code">{t('enrolCode')}</label>
        <input
          id="code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          required
          minLength={8}
          maxLength={40}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby={error ? 'enrol-error' : undefined}
        />
        {error && (
          <p id="enrol-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('enrolling') : t('enrolSubmit')}
        </button>
      </form>
      <p className="visitor-link">
        <Link to="/visitor">{t('visitorLink')}</Link>
      </p>
    </>
  );
}

export function codeOf(error: unknown): string {
  return error instanceof ApiError ? error.code : error instanceof Error ? error.message : 'ERROR';
}
