import { markDrill } from './alert-content';
import { isLanguage, type Language } from './enums';

export interface RenderedText {
  /** The language the text is in: the resident's, or the first of its fallback chain the alert has. */
  language: string;
  title: string;
  body: string;
}

/**
 * Which texts a reader of `language` understands best, in order. Chinese readers get the other script before
 * anything else; every non-Japanese reader gets English, then やさしい日本語 (the form Japan's guidelines for
 * foreign residents recommend), then Japanese, which every alert has. An unknown tag starts at English.
 */
export function languageFallbackChain(language: string | null | undefined): Language[] {
  if (language === 'ja') return ['ja'];
  if (language === 'ja-easy') return ['ja-easy', 'ja'];
  const chain: Language[] = language && isLanguage(language) ? [language] : [];
  if (language === 'zh-TW') chain.push('zh-CN');
  if (language === 'zh-CN') chain.push('zh-TW');
  for (const next of ['en', 'ja-easy', 'ja'] as const) if (!chain.includes(next)) chain.push(next);
  return chain;
}

/**
 * The text one recipient sees, whatever the channel: the best language the alert has for them, and for a drill
 * always with the drill marker of that language (【訓練】, 【くんれん】, [DRILL]) — rendering adds it when the
 * stored text lacks it, so no path can send a drill unmarked.
 */
export function renderAlertText(
  texts: Readonly<Record<string, { title: string; body: string } | undefined>>,
  language: string | null | undefined,
  options: { isDrill: boolean },
): RenderedText {
  const chosen =
    languageFallbackChain(language).find((l) => texts[l]) ?? Object.keys(texts).find((l) => texts[l]);
  const text = chosen ? texts[chosen] : undefined;
  if (!chosen || !text) throw new RangeError('an alert without any text cannot be rendered');
  if (!options.isDrill) return { language: chosen, title: text.title, body: text.body };
  const lang: Language = isLanguage(chosen) ? chosen : 'en';
  const marked = markDrill({ [lang]: text })[lang]!;
  return { language: chosen, title: marked.title, body: marked.body };
}

/** Cuts a text to `max` UTF-16 units with a trailing "…", never between the halves of a surrogate pair. */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Cuts a text to at most `maxBytes` of UTF-8 with a trailing "…", on a character boundary. */
export function fitUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength('…', 'utf8');
  let used = 0;
  let out = '';
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (used + size > room) break;
    used += size;
    out += ch;
  }
  return `${out}…`;
}
