import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Translator, translator } from '../../../libs/web-client/src';
import { en, ja, type MessageKey } from './texts';

export type { MessageKey };

export type Lang = 'ja' | 'en';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { ja, en };
const STORAGE_KEY = 'bousai.console.lang';

export interface I18n extends Translator<MessageKey, string> {
  lang: Lang;
  setLang: (lang: Lang) => void;
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
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      ...translator(dictionaries[lang], lang === 'ja' ? 'ja-JP' : 'en-GB', {
        dateStyle: 'short',
        timeStyle: 'medium',
      }),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
