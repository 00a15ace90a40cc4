import { cancellationNoticeTexts } from '@bousai/domain';
import type { FanoutAlert, SystemAlert } from '@bousai/persistence';
import { CANCELLATION_OF } from '../plan/audience';

export const CANCELLATION_NOTICE_TEMPLATE = 'cancellation_notice';

/** A notice must outlive the alert it withdraws by enough to reach devices that were offline for a while. */
const MIN_NOTICE_TTL_MS = 3_600_000;

/**
 * The follow-up that tells everyone an alert possibly reached that it was withdrawn: a system alert of its own,
 * so it goes through the same plan, batches, retries and records as any alert, to the same channels and in the
 * language each endpoint got the original in (texts: `cancellationNoticeTexts`, the one owner of the 取消 marker).
 */
export function cancellationNotice(original: FanoutAlert, now: Date): SystemAlert {
  const originalExpiry = original.expiresAt?.getTime() ?? 0;
  return {
    municipalityId: original.municipalityId,
    source: original.source,
    templateKey: CANCELLATION_NOTICE_TEMPLATE,
    texts: cancellationNoticeTexts(original.texts, original.isDrill),
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
