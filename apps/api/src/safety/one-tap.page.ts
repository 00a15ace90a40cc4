/**
 * The tiny pages behind one-tap links. Opening a link (GET) only shows what it will record and a button; the
 * answer is recorded by the button's POST. Mail scanners and link previewers fetch links with GET, so a GET that
 * recorded would answer for people who never tapped.
 *
 * Written for a frightened person on a small phone: the resident's language (ja, やさしい日本語, en), large text, one
 * button, and a readable page in the same language when the link cannot be used (never a JSON body for a browser).
 */

import { createHash } from 'node:crypto';
import type { Request } from 'express';
import {
  ErrorCode,
  EscalationOutcome,
  escapeHtml,
  languageFallbackChain,
  SAFETY_ANSWER_LABELS,
  SafetyStatus,
} from '@bousai/domain';

export type PageLanguage = 'ja' | 'ja-easy' | 'en';
const PAGE_LANGUAGES: readonly PageLanguage[] = ['ja', 'ja-easy', 'en'];

/**
 * The page's language: the resident's stored language when the link names a resident, else the browser's
 * Accept-Language. A language we have no page in falls back as alert texts do (`languageFallbackChain`: English,
 * then やさしい日本語); no preference at all gets Japanese, the municipality's language.
 */
export function pageLanguage(req: Request, stored?: string | null): PageLanguage {
  const wanted = stored ?? (req.headers['accept-language'] ? req.acceptsLanguages()[0] : undefined);
  if (!wanted || wanted === '*') return 'ja';
  const tag = /^ja-easy$/i.test(wanted) ? 'ja-easy' : wanted.split('-')[0].toLowerCase();
  return languageFallbackChain(tag).find((l): l is PageLanguage =>
    PAGE_LANGUAGES.includes(l as PageLanguage),
  )!;
}

// One stylesheet, allowed by its hash: no inline style attributes and no script, so the page works under a CSP
// that allows nothing else.
const STYLE =
  'body{font-family:system-ui,sans-serif;font-size:1.25rem;line-height:1.6;max-width:34em;margin:1em auto;' +
  'padding:0 1em;color:#111;background:#fff}h1{font-size:1.6rem}' +
  'button{font-size:1.4rem;padding:.7em 1.4em;min-height:3em;border-radius:.4em}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** No scripts, no third-party anything, the token never leaks through Referer, nothing cached. */
export const ONE_TAP_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex',
};

function page(lang: PageLanguage, title: string, inner: string): string {
  const htmlLang = lang === 'ja-easy' ? 'ja' : lang;
  return (
    `<!doctype html>\n<html lang="${htmlLang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${inner}\n</body></html>\n`
  );
}

export function confirmPage(o: {
  lang: PageLanguage;
  title: string;
  question: string;
  action: string;
  fields: Record<string, string>;
  button: string;
}): string {
  const hidden = Object.entries(o.fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    o.lang,
    o.title,
    `<p>${escapeHtml(o.question)}</p>\n<form method="post" action="${escapeHtml(o.action)}">${hidden}` +
      `<button type="submit">${escapeHtml(o.button)}</button></form>`,
  );
}

export function donePage(lang: PageLanguage, title: string, message: string): string {
  return page(lang, title, `<p>${escapeHtml(message)}</p>`);
}

type Texts = Readonly<Record<PageLanguage, string>>;

export const SAFETY_TITLE: Texts = { ja: '安否確認', 'ja-easy': 'ぶじですか', en: 'Safety check' };
export const SUPPORTER_TITLE: Texts = {
  ja: '安否確認（支援者）',
  'ja-easy': 'ぶじか どうか（しえんする ひと）',
  en: 'Safety check (supporter)',
};
export const EMAIL_TITLE: Texts = {
  ja: 'メールアドレスの確認',
  'ja-easy': 'メールアドレスの かくにん',
  en: 'Confirm your email address',
};

export const SAFETY_LABELS: Readonly<Record<PageLanguage, Readonly<Record<SafetyStatus, string>>>> = {
  ...SAFETY_ANSWER_LABELS,
  'ja-easy': {
    [SafetyStatus.Safe]: 'ぶじです',
    [SafetyStatus.NeedHelp]: 'たすけて ほしいです',
    [SafetyStatus.Injured]: 'けがを しています',
    [SafetyStatus.Other]: 'そのほか',
  },
};

export const OUTCOME_LABELS: Readonly<Record<PageLanguage, Readonly<Record<EscalationOutcome, string>>>> = {
  ja: {
    [EscalationOutcome.Safe]: '無事を確認した',
    [EscalationOutcome.NeedsHelp]: '支援が必要',
    [EscalationOutcome.NotHome]: '不在だった',
  },
  'ja-easy': {
    [EscalationOutcome.Safe]: 'ぶじでした',
    [EscalationOutcome.NeedsHelp]: 'たすけが ひつようです',
    [EscalationOutcome.NotHome]: 'いませんでした',
  },
  en: {
    [EscalationOutcome.Safe]: 'They are safe',
    [EscalationOutcome.NeedsHelp]: 'They need help',
    [EscalationOutcome.NotHome]: 'Nobody was home',
  },
};

/** What each page says, by language; `{x}` is filled in. */
export const PAGE_TEXTS: Readonly<Record<PageLanguage, Readonly<Record<string, string>>>> = {
  ja: {
    safetyQuestion: '「{x}」と回答します。よろしければボタンを押してください。',
    safetyButton: '「{x}」と回答する',
    safetyDone: '「{x}」と受け付けました。ありがとうございました。',
    supporterQuestion: '確認結果を「{x}」として報告します。よろしければボタンを押してください。',
    supporterButton: '「{x}」と報告する',
    supporterDone: '「{x}」と受け付けました。ありがとうございました。',
    supporterFollowUp: '「{x}」と受け付けました。市の職員が対応します。ありがとうございました。',
    supporterClosed: 'この確認はすでに報告済みか、本人から回答がありました。ありがとうございました。',
    emailQuestion: 'このアドレスで防災情報を受け取るには、下のボタンを押してください。',
    emailButton: '確認する',
    emailDone: '登録が完了しました。このアドレスに防災情報をお送りします。',
  },
  'ja-easy': {
    safetyQuestion: '「{x}」と こたえます。よければ ボタンを おしてください。',
    safetyButton: '「{x}」と こたえる',
    safetyDone: '「{x}」を うけとりました。ありがとうございました。',
    supporterQuestion: '「{x}」と しらせます。よければ ボタンを おしてください。',
    supporterButton: '「{x}」と しらせる',
    supporterDone: '「{x}」を うけとりました。ありがとうございました。',
    supporterFollowUp: '「{x}」を うけとりました。しやくしょの ひとが いきます。ありがとうございました。',
    supporterClosed: 'これは もう しらせて あります。ありがとうございました。',
    emailQuestion: 'この メールアドレスに さいがいの じょうほうを おくります。ボタンを おしてください。',
    emailButton: 'かくにんする',
    emailDone: 'とうろくが おわりました。この メールアドレスに じょうほうを おくります。',
  },
  en: {
    safetyQuestion: 'You are answering "{x}". Press the button to send this answer.',
    safetyButton: 'Answer "{x}"',
    safetyDone: 'We received your answer "{x}". Thank you.',
    supporterQuestion: 'You are reporting "{x}". Press the button to send this report.',
    supporterButton: 'Report "{x}"',
    supporterDone: 'We received your report "{x}". Thank you.',
    supporterFollowUp: 'We received your report "{x}". City staff will follow up. Thank you.',
    supporterClosed: 'This check was already reported, or the person answered themselves. Thank you.',
    emailQuestion: 'Press the button to receive disaster alerts at this address.',
    emailButton: 'Confirm',
    emailDone: 'Your address is confirmed. Disaster alerts will be sent to it.',
  },
};

export function pageText(lang: PageLanguage, key: string, x = ''): string {
  return PAGE_TEXTS[lang][key].replace('{x}', x);
}

/** Why a link could not be used, by error code, in words a resident can act on. */
type ErrorKind = 'expired' | 'invalid' | 'answered' | 'notFound' | 'tooMany' | 'unavailable' | 'failed';

const ERROR_TEXTS: Readonly<Record<PageLanguage, Readonly<Record<ErrorKind, [string, string]>>>> = {
  ja: {
    expired: [
      'リンクの有効期限が切れています',
      'このリンクは使えなくなりました。新しいお知らせのリンクを開くか、市役所にご連絡ください。',
    ],
    invalid: [
      'リンクが正しくありません',
      'リンクが途中で切れているか、変わっています。メールやメッセージのリンクをもう一度そのまま開いてください。',
    ],
    answered: ['すでに受け付けています', 'この回答はすでに受け付けています。ありがとうございました。'],
    notFound: [
      '受け付けできません',
      'この確認は終わったか、見つかりません。必要なときは市役所にご連絡ください。',
    ],
    tooMany: ['しばらくお待ちください', 'アクセスが集中しています。少し待ってからもう一度お試しください。'],
    unavailable: ['ただいま受け付けできません', '少し待ってからもう一度お試しください。'],
    failed: [
      '受け付けできませんでした',
      '少し待ってからもう一度お試しください。続くときは市役所にご連絡ください。',
    ],
  },
  'ja-easy': {
    expired: [
      'この リンクは もう つかえません',
      'あたらしい おしらせの リンクを あけてください。わからない ときは しやくしょに でんわ してください。',
    ],
    invalid: ['リンクが ただしく ありません', 'メールの リンクを もう いちど あけてください。'],
    answered: ['もう うけとって います', 'こたえは もう うけとって います。ありがとうございました。'],
    notFound: [
      'うけとれません',
      'この かくにんは おわりました。こまった ときは しやくしょに でんわ してください。',
    ],
    tooMany: ['すこし まってください', 'すこし まってから もう いちど おしてください。'],
    unavailable: ['いま うけとれません', 'すこし まってから もう いちど おしてください。'],
    failed: ['うけとれませんでした', 'すこし まってから もう いちど おしてください。'],
  },
  en: {
    expired: ['This link has expired', 'Open the link in a newer message, or contact the city office.'],
    invalid: [
      'This link is not valid',
      'The link may be cut off or changed. Open the link from your email or message again, exactly as it is.',
    ],
    answered: ['Already received', 'This answer was already received. Thank you.'],
    notFound: [
      'This cannot be accepted',
      'This check has ended or cannot be found. Contact the city office if you need help.',
    ],
    tooMany: ['Please wait a moment', 'Too many requests right now. Please try again in a little while.'],
    unavailable: ['Not available right now', 'Please try again in a little while.'],
    failed: [
      'Something went wrong',
      'Please try again in a little while. If it keeps happening, contact the city office.',
    ],
  },
};

const ERROR_KIND: Readonly<Record<ErrorCode, ErrorKind>> = {
  [ErrorCode.TokenExpired]: 'expired',
  [ErrorCode.TokenInvalid]: 'invalid',
  [ErrorCode.ValidationFailed]: 'invalid',
  [ErrorCode.Forbidden]: 'invalid',
  [ErrorCode.Unauthenticated]: 'invalid',
  [ErrorCode.InvalidCredentials]: 'invalid',
  [ErrorCode.Conflict]: 'answered',
  [ErrorCode.IllegalTransition]: 'answered',
  [ErrorCode.NotFound]: 'notFound',
  [ErrorCode.TooManyAttempts]: 'tooMany',
  [ErrorCode.PayloadTooLarge]: 'invalid',
  [ErrorCode.Unavailable]: 'unavailable',
  [ErrorCode.CsvInvalid]: 'failed',
  [ErrorCode.EndpointTaken]: 'failed',
  [ErrorCode.VisitorLimitReached]: 'failed',
  [ErrorCode.InvalidEmail]: 'failed',
  [ErrorCode.InvalidFcmToken]: 'failed',
  [ErrorCode.InvalidLineUserId]: 'failed',
  [ErrorCode.InvalidWebPushSubscription]: 'failed',
  [ErrorCode.AlertRejected]: 'failed',
  [ErrorCode.Internal]: 'failed',
};

/** The page for an error code (`ErrorCode` of the JSON answer), in the reader's language. */
export function errorPage(lang: PageLanguage, code: string): string {
  const [title, message] = ERROR_TEXTS[lang][ERROR_KIND[code as ErrorCode] ?? 'failed'];
  return page(lang, title, `<p>${escapeHtml(message)}</p>`);
}
