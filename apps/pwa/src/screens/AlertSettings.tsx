import { type Language, LANGUAGES } from '@bousai/domain/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Schemas, unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { api } from '../resident';
import { useProfile } from './Alerts';
import { codeOf } from './Enrol';

type AlertLanguage = NonNullable<Schemas['UpdateResidentSettingsDto']['language']>;

/** Each of the domain's text languages named in itself. */
const AUTONYMS: Readonly<Record<Language, string>> = {
  ja: '日本語',
  'ja-easy': 'やさしい にほんご',
  en: 'English',
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  ko: '한국어',
  vi: 'Tiếng Việt',
  pt: 'Português',
  ne: 'नेपाली',
  tl: 'Tagalog',
  id: 'Bahasa Indonesia',
  es: 'Español',
  th: 'ไทย',
};

/**
 * What the office keeps for this resident (`PATCH /v1/resident/me`): the language their alerts are sent in and
 * districts besides their home one (a workplace, a school) whose alerts reach them too.
 */
export function AlertSettings() {
  const profile = useProfile();
  if (!profile.data) return null;
  // the form starts from what the office keeps; saving keeps what it shows
  return (
    <AlertSettingsForm
      language={profile.data.language}
      extraAreaIds={profile.data.extraAreaIds}
      homeName={profile.data.areaName}
    />
  );
}

function AlertSettingsForm(props: { language: string; extraAreaIds: string[]; homeName: string | null }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const areas = useQuery({ queryKey: ['areas'], queryFn: () => unwrap(api.GET('/v1/resident/areas')) });
  const [language, setLanguage] = useState(props.language as AlertLanguage);
  const [extra, setExtra] = useState(new Set(props.extraAreaIds));
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/v1/resident/me', { body: { language, extraAreaIds: [...extra] } })),
    onSuccess: (saved) => {
      queries.setQueryData(['me'], saved);
      return queries.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
  const toggle = (id: string) =>
    setExtra((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="alert-settings-title">
      <h2 id="alert-settings-title">{t('alertLanguage')}</h2>
      <label htmlFor="alert-language">{t('alertLanguageHint')}</label>
      <select
        id="alert-language"
        value={language}
        onChange={(e) => setLanguage(e.target.value as AlertLanguage)}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {AUTONYMS[code]}
          </option>
        ))}
      </select>
      <fieldset className="stack">
        <legend>{t('extraDistricts')}</legend>
        <p className="muted">{t('extraDistrictsHint')}</p>
        {areas.data
          ?.filter((a) => a.name !== props.homeName)
          .map((a) => (
            <label key={a.id} className="choice">
              <input type="checkbox" checked={extra.has(a.id)} onChange={() => toggle(a.id)} />
              {a.name}
            </label>
          ))}
      </fieldset>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('saveSettings')}
      </button>
      {save.isSuccess && !save.isPending && (
        <p role="status" className="ok">
          {t('settingsSaved')}
        </p>
      )}
      {save.error && (
        <p role="alert" className="error">
          {t('saveFailed', { code: codeOf(save.error) })}
        </p>
      )}
    </form>
  );
}
