import {
  AlertStatus,
  Channel,
  type Role as DomainRole,
  roleSatisfies,
  Severity,
} from '@bousai/domain/browser';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Schemas } from '../../../../../libs/web-client/src';
import { useI18n } from '../../i18n';
import type { Operator } from '../../session';

export type AlertView = Schemas['AlertView'];
export type Role = Operator['role'];

/** Whether `role` may do what `needed` may (the domain's role ladder: viewer < operator < approver < admin). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return roleSatisfies(role as DomainRole, needed as DomainRole);
}

/** Every status an alert may be in, in lifecycle order (the filter of the list). */
export const ALERT_STATUSES = Object.values(AlertStatus);

/** Statuses from which an operator may still cancel; corrections only of an alert that went out. */
export const CANCELLABLE = ['draft', 'pending_approval', 'approved', 'dispatching', 'sent'];
export const CORRECTABLE = ['dispatching', 'sent'];

/** The channels in the order compose offers them: the household receivers first. */
export const CHANNELS: readonly Channel[] = [
  Channel.Receiver,
  Channel.Fcm,
  Channel.WebPush,
  Channel.Email,
  Channel.Line,
];
export const SEVERITIES = Object.values(Severity);

/** The alert's title in the console's language, or in Japanese, as a link to its detail screen. */
export function AlertLink({ alert }: { alert: AlertView }) {
  const { lang } = useI18n();
  const own = alert.texts[lang];
  const text = own ?? alert.texts.ja ?? Object.values(alert.texts)[0];
  return (
    <Link to={`/alerts/${alert.id}`} lang={own ? lang : 'ja'}>
      {text?.title ?? alert.id}
    </Link>
  );
}

/** BCP 47 tag of a text language for the `lang` attribute (`ja-easy` is Japanese). */
export function langTag(language: string): string {
  return language === 'ja-easy' ? 'ja' : language;
}

/** One language's title and body, as a labelled group (compose and the correction form). */
export function LanguageTextFields({
  idPrefix,
  language,
  text,
  onChange,
  children,
}: {
  idPrefix: string;
  language: string;
  text: { title: string; body: string } | undefined;
  onChange: (part: 'title' | 'body', value: string) => void;
  children?: ReactNode;
}) {
  const { t, label } = useI18n();
  return (
    <fieldset className="language-text">
      <legend>{label('lang', language)}</legend>
      <div className="field">
        <label htmlFor={`${idPrefix}title-${language}`}>{t('composeTitleField')}</label>
        <input
          id={`${idPrefix}title-${language}`}
          lang={langTag(language)}
          value={text?.title ?? ''}
          onChange={(e) => onChange('title', e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}body-${language}`}>{t('composeBodyField')}</label>
        <textarea
          id={`${idPrefix}body-${language}`}
          lang={langTag(language)}
          rows={3}
          value={text?.body ?? ''}
          onChange={(e) => onChange('body', e.target.value)}
        />
      </div>
      {children}
    </fieldset>
  );
}

/** The severity of an alert, chosen from the api's list. */
export function SeveritySelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t, label } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>{t('severity')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {label('severity', s)}
          </option>
        ))}
      </select>
    </div>
  );
}
