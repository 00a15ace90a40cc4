import { useI18n } from './i18n';

export function LanguageToggle() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'ja' ? 'en' : 'ja';
  return (
    <button type="button" className="link-button" lang={other} onClick={() => setLang(other)}>
      <span aria-hidden="true">{t('switchToOther')}</span>
      <span className="visually-hidden">{t('switchToOtherLabel')}</span>
    </button>
  );
}
