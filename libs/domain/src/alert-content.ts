import { Channel, type Language, LANGUAGES, Severity } from './enums';
import { ValidationError } from './errors';

export interface AlertText {
  title: string;
  body: string;
}
export type AlertTexts = Partial<Record<Language, AlertText>>;

const DRILL_MARK: Partial<Record<Language, string>> = { ja: '【訓練】', 'ja-easy': '【くんれん】' };
const DRILL_MARK_OTHER = '[DRILL] ';

/** A drill never goes out unmarked: every title and body starts with the drill marker of its language. */
export function markDrill(texts: AlertTexts): AlertTexts {
  const out: AlertTexts = {};
  for (const [lang, text] of Object.entries(texts) as [Language, AlertText][]) {
    const mark = DRILL_MARK[lang] ?? DRILL_MARK_OTHER;
    const prefix = (s: string) => (s.startsWith(mark.trim()) ? s : `${mark}${s}`);
    out[lang] = { title: prefix(text.title), body: prefix(text.body) };
  }
  return out;
}

export function validateTexts(texts: AlertTexts): void {
  if (!texts.ja)
    throw new ValidationError('A Japanese text (ja) is required: it is the fallback for every resident');
  for (const lang of Object.keys(texts)) {
    if (!(LANGUAGES as readonly string[]).includes(lang))
      throw new ValidationError(`Unknown language ${lang}`);
  }
}

export interface AlertTemplate {
  key: string;
  severity: Severity;
  channels: Channel[];
  safetyRequest: boolean;
  texts: AlertTexts;
}

/** Built-in templates; `{area}` and similar placeholders are filled by the caller. */
export const ALERT_TEMPLATES: readonly AlertTemplate[] = [
  {
    key: 'evacuation_order',
    severity: Severity.Extreme,
    channels: [Channel.Receiver, Channel.Fcm, Channel.WebPush, Channel.Email, Channel.Line],
    safetyRequest: true,
    texts: {
      ja: {
        title: '緊急安全確保・避難指示',
        body: '{area}に避難指示を発令しました。直ちに安全な場所へ避難してください。',
      },
      'ja-easy': {
        title: 'にげてください',
        body: '{area}の ひとは すぐに あんぜんな ところへ にげてください。',
      },
      en: {
        title: 'Evacuation order',
        body: 'An evacuation order has been issued for {area}. Evacuate to a safe place now.',
      },
    },
  },
  {
    key: 'safety_check',
    severity: Severity.Moderate,
    channels: [Channel.Receiver, Channel.Fcm, Channel.WebPush, Channel.Email],
    safetyRequest: true,
    texts: {
      ja: { title: '安否確認', body: '安否をお知らせください。' },
      'ja-easy': { title: 'だいじょうぶですか', body: 'あなたが だいじょうぶか おしえてください。' },
      en: { title: 'Safety check', body: 'Please tell us whether you are safe.' },
    },
  },
];

export function findTemplate(key: string): AlertTemplate {
  const t = ALERT_TEMPLATES.find((x) => x.key === key);
  if (!t) throw new ValidationError(`Unknown template ${key}`, { known: ALERT_TEMPLATES.map((x) => x.key) });
  return t;
}

/** Fills `{name}` placeholders; unknown ones are left visible rather than silently dropped. */
export function fillPlaceholders(texts: AlertTexts, values: Record<string, string>): AlertTexts {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  const out: AlertTexts = {};
  for (const [lang, text] of Object.entries(texts) as [Language, AlertText][]) {
    out[lang] = { title: fill(text.title), body: fill(text.body) };
  }
  return out;
}
