import { Inject, Injectable, Logger } from '@nestjs/common';
import { PUBLIC_PUBLISHERS, type PublicPublisher } from '@bousai/channels/senders';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { NotFoundError, PublicationStatus, type PublicationTarget, stopsSending } from '@bousai/domain';
import { FanoutAlertRepository, PublicationRepository } from '@bousai/persistence';

/** Tries per publication before it is recorded as failed; the job's own attempts match. */
export const PUBLISH_MAX_ATTEMPTS = 10;

/** Thrown to have BullMQ try the publication again after its backoff. */
export class PublishRetryLaterError extends Error {
  constructor(
    readonly target: PublicationTarget,
    readonly errorCode: string,
  ) {
    super(`publishing on ${target} failed for now (${errorCode}); will retry`);
  }
}

export type PublishResult = 'posted' | 'failed' | 'skipped';

/**
 * Posts one alert on one public target (LINE broadcast, X) once: the `publication` row says whether it is still to
 * be done, and the provider's own idempotency (LINE retry key, X duplicate refusal) covers a crash between the
 * post and the record. An alert withdrawn before its post went out is not posted at all; its cancellation notice
 * is posted wherever the alert was.
 */
@Injectable()
export class PublishAlertUseCase {
  private readonly logger = new Logger(PublishAlertUseCase.name);
  private readonly byTarget: Map<PublicationTarget, PublicPublisher>;

  constructor(
    private readonly alerts: FanoutAlertRepository,
    private readonly publications: PublicationRepository,
    @Inject(PUBLIC_PUBLISHERS) publishers: readonly PublicPublisher[],
    @Inject(APP_CONFIG) private readonly config: FanoutConfig,
  ) {
    this.byTarget = new Map(publishers.map((p) => [p.target, p]));
  }

  /** Targets this process can post to. */
  has(target: PublicationTarget): boolean {
    return this.byTarget.has(target);
  }

  async execute(alertId: string, target: PublicationTarget): Promise<PublishResult> {
    const row = await this.publications.get(alertId, target);
    if (!row || row.status !== PublicationStatus.Queued) return 'skipped';
    const alert = await this.alerts.get(alertId);
    if (!alert) throw new NotFoundError('alert', alertId);
    const noticeOf = alert.cancelsAlertId ?? undefined;
    if (stopsSending(alert.status) && !noticeOf) {
      await this.publications.record(alertId, target, { kind: 'failed', errorCode: 'ALERT_STOPPED' });
      return 'failed';
    }
    const publisher = this.byTarget.get(target);
    if (!publisher) {
      await this.publications.record(alertId, target, { kind: 'failed', errorCode: 'NOT_CONFIGURED' });
      return 'failed';
    }
    const link = this.config.PUBLIC_ALERT_URL?.replaceAll('{alertId}', noticeOf ?? alertId);
    const outcome = await publisher.publish({
      alertId,
      isDrill: alert.isDrill,
      texts: alert.texts,
      link,
      cancelsAlertId: noticeOf,
    });
    if (outcome.kind === 'posted') {
      await this.publications.record(alertId, target, outcome);
      this.logger.log({ alertId, target }, 'alert published');
      return 'posted';
    }
    if (outcome.kind === 'failed' || row.attempts + 1 >= PUBLISH_MAX_ATTEMPTS) {
      await this.publications.record(alertId, target, { kind: 'failed', errorCode: outcome.errorCode });
      this.logger.error({ alertId, target, errorCode: outcome.errorCode }, 'alert could not be published');
      return 'failed';
    }
    await this.publications.record(alertId, target, { kind: 'retry', errorCode: outcome.errorCode });
    throw new PublishRetryLaterError(target, outcome.errorCode);
  }
}
