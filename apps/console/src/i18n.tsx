import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en, ja, type MessageKey } from './texts';

export type { MessageKey };

export type Lang = 'ja' | 'en';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { ja, en };
const STORAGE_KEY = 'bousai.console.lang';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** A key built from data (a status, a role): its text, or the raw value when the dictionary has none. */
  label: (prefix: string, value: string) => string;
  dateTime: (value: string | Date) => string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function initialLang(): Lang {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ja';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = dictionaries[lang].appName;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = dictionaries[lang];
    const format = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
      dateStyle: 'short',
      timeStyle: 'medium',
      timeZone: 'Asia/Tokyo',
    });
    const t: I18n['t'] = (key, vars) =>
      dict[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
    return {
      lang,
      setLang,
      t,
      label: (prefix, value) => {
        const key = `${prefix}.${value}`;
        return key in dict ? dict[key as MessageKey] : value;
      },
      dateTime: (value) => format.format(new Date(value)),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
