import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n';
import { LanguageToggle } from '../LanguageToggle';
import { session, type SessionState } from '../session';

type Notice = Extract<SessionState, { status: 'signed-out' }>['notice'];

export function LoginScreen({ notice }: { notice: Notice }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    void session
      .login(email, password)
      .then((result) => {
        if (result.ok) return;
        setPassword('');
        setProblem(
          result.code === 'INVALID_CREDENTIALS'
            ? t('loginFailed')
            : result.code === 'TOO_MANY_ATTEMPTS'
              ? t('loginThrottled')
              : t('loginError', { code: result.code }),
        );
      })
      .finally(() => setBusy(false));
  };

  return (
    <>
      <header className="banner">
        <p className="app-name">{t('appName')}</p>
        <div className="account">
          <LanguageToggle />
        </div>
      </header>
      <main id="main" className="login">
        <h1>{t('loginTitle')}</h1>
        {notice === 'ended' && <p className="notice">{t('sessionEnded')}</p>}
        {typeof notice === 'object' && (
          <p className="notice">{t('loggedOutEverywhere', { count: notice.everywhere })}</p>
        )}
        <p>{t('loginIntro')}</p>
        <form onSubmit={submit} noValidate={false}>
          <div className="field">
            <label htmlFor="email">{t('email')}</label>
            <input
              id="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="password">{t('password')}</label>
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
          </button>
        </form>
      </main>
    </>
  );
}
