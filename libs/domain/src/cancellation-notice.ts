import { type AlertTexts, markDrill } from './alert-content';
import { isLanguage, type Language } from './enums';

type NoticeText = (title: string) => { title: string; body: string };

const english: NoticeText = (t) => ({
  title: `[Cancelled] ${t}`,
  body: `The earlier alert "${t}" has been cancelled.`,
});

/** Residents know 【取消】 from municipal mail; other languages without their own notice read English. */
const NOTICE: Partial<Record<Language, NoticeText>> = {
  en: english,
  ja: (t) => ({ title: `【取消】${t}`, body: `先ほどお知らせした「${t}」は取り消されました。` }),
  'ja-easy': (t) => ({
    title: `【とりけし】${t}`,
    body: `さきほどの おしらせ「${t}」は とりけしに なりました。`,
  }),
};

/**
 * Markers an earlier notice or a correction put in front of a title (drill, 取消, 訂正 in each form we or an
 * operator write them), any number of them, with the spaces around them.
 */
const LEADING_MARKERS =
  /^(?:\s*(?:【(?:訓練|くんれん|取消|取り消し|とりけし|訂正|ていせい)】|(?:取消|訂正)[:：]|\[(?:DRILL|Cancelled|CANCELLED|Correction|CORRECTION|Corrected|CORRECTED)\]))+\s*/;

/** The title as it was first issued: without the markers of drills, cancellations and corrections in front. */
export function plainTitle(title: string): string {
  return title.replace(LEADING_MARKERS, '');
}

/**
 * The texts of a cancellation notice (取消) for an alert with `texts`, in each of its languages. The notice is the
 * one place the cancellation marker is added — channels render the notice's texts as they are — and it names
 * the withdrawn alert by its plain title, so cancelling a correction reads 【取消】避難指示, not
 * 【取消】【訂正】避難指示. A drill's notice is marked as a drill once.
 */
export function cancellationNoticeTexts(
  texts: Readonly<Record<string, { title: string; body: string } | undefined>>,
  isDrill: boolean,
): AlertTexts {
  const out: AlertTexts = {};
  for (const [lang, text] of Object.entries(texts)) {
    if (!isLanguage(lang) || !text) continue;
    out[lang] = (NOTICE[lang] ?? english)(plainTitle(text.title));
  }
  return isDrill ? markDrill(out) : out;
}
