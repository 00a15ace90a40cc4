import { type AlertTexts, isLanguage, type Language, markDrill } from '@bousai/domain';
import type { FanoutAlert, SystemAlert } from '@bousai/persistence';
import { CANCELLATION_OF } from '../plan/audience';

export const CANCELLATION_NOTICE_TEMPLATE = 'cancellation_notice';

/** A notice must outlive the alert it withdraws by enough to reach devices that were offline for a while. */
const MIN_NOTICE_TTL_MS = 3_600_000;

type NoticeText = (title: string) => { title: string; body: string };

const english: NoticeText = (t) => ({
  title: `[Cancelled] ${t}`,
  body: `The earlier alert "${t}" has been cancelled.`,
});

const NOTICE: Partial<Record<Language, NoticeText>> = {
  en: english,
  ja: (t) => ({ title: `【取消】${t}`, body: `先ほどお知らせした「${t}」は取り消されました。` }),
  'ja-easy': (t) => ({
    title: `【とりけし】${t}`,
    body: `さきほどの おしらせ「${t}」は とりけしに なりました。`,
  }),
};

/** The drill markers `markDrill` puts in front of a text; the notice adds its own around the original title. */
const DRILL_MARKS = /^(【訓練】|【くんれん】|\[DRILL\] )/;

/**
 * The follow-up that tells everyone an alert possibly reached that it was withdrawn: a system alert of its own,
 * so it goes through the same plan, batches, retries and records as any alert, to the same channels and in the
 * language each endpoint got the original in. Languages without a notice text get the English one (ja is always
 * there: every alert has a Japanese text). A drill's notice is marked as a drill too.
 */
export function cancellationNotice(original: FanoutAlert, now: Date): SystemAlert {
  const texts: AlertTexts = {};
  for (const [lang, text] of Object.entries(original.texts)) {
    if (!isLanguage(lang)) continue;
    texts[lang] = (NOTICE[lang] ?? english)(text.title.replace(DRILL_MARKS, ''));
  }
  const originalExpiry = original.expiresAt?.getTime() ?? 0;
  return {
    municipalityId: original.municipalityId,
    source: original.source,
    templateKey: CANCELLATION_NOTICE_TEMPLATE,
    texts: original.isDrill ? markDrill(texts) : texts,
    // the notice must be as prominent as what it withdraws: people may be evacuating because of it
    severity: original.severity,
    targeting: { [CANCELLATION_OF]: original.id },
    channels: original.channels,
    isDrill: original.isDrill,
    createdBy: original.cancelledBy,
    idempotencyKey: `fanout-cancellation-notice-${original.id}`,
    expiresAt: new Date(Math.max(originalExpiry, now.getTime() + MIN_NOTICE_TTL_MS)),
  };
}
