import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AlertStatus,
  Channel,
  fallbackPolicy,
  NotFoundError,
  PublicationTarget,
  publicationTargets,
  visitorAudience,
} from '@bousai/domain';
import {
  DeliveryPlanRepository,
  FanoutAlertRepository,
  type FanoutAlert,
  type PlannedChunk,
  PublicationRepository,
  SafetyRepository,
} from '@bousai/persistence';
import { DeliverBatchJobs, PublishAlertJob, QueueProducer } from '@bousai/queue';
import { PLAN_ORDER } from '../channels/channel-registry';
import { FanoutAnnouncer } from '../channels/fanout-announcer';
import { DispatchCompletion } from '../completion/dispatch-completion.service';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PublishAlertUseCase } from '../publish/publish-alert.use-case';
import { audienceOf } from './audience';

export type PlanResult =
  | { outcome: 'planned'; planned: Record<string, number>; batches: number; chunks: number }
  /** Not dispatching (any more): nothing was planned, or planning stopped where the cancel found it. */
  | { outcome: 'skipped'; status: string };

/**
 * Expands a dispatching alert into delivery rows and batch jobs, chunk by chunk: each chunk is one statement
 * that reads the next endpoints by keyset and inserts their rows, numbered into batches of at most
 * `batchSize`; that chunk's batch jobs are queued at once, so the first deliveries leave while later chunks are
 * still being planned. Memory holds one chunk's batch numbers, whatever the audience.
 *
 * A replay (BullMQ retry, sweeper) is harmless: already planned endpoints are skipped, numbering continues after
 * the highest batch, and batches planned earlier whose jobs never made it to Redis are queued first.
 */
@Injectable()
export class PlanAlertUseCase {
  private readonly logger = new Logger(PlanAlertUseCase.name);

  constructor(
    private readonly alerts: FanoutAlertRepository,
    private readonly plans: DeliveryPlanRepository,
    private readonly producer: QueueProducer,
    private readonly announcer: FanoutAnnouncer,
    private readonly completion: DispatchCompletion,
    private readonly publications: PublicationRepository,
    private readonly publisher: PublishAlertUseCase,
    private readonly safety: SafetyRepository,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
  ) {}

  async execute(alertId: string): Promise<PlanResult> {
    const alert = await this.alerts.get(alertId);
    if (!alert) throw new NotFoundError('alert', alertId);
    if (alert.status !== AlertStatus.Dispatching) {
      this.logger.log({ alertId, status: alert.status }, 'plan skipped: alert is not dispatching');
      return { outcome: 'skipped', status: alert.status };
    }
    const published = await this.publish(alert);
    // 安否確認: who is asked is fixed before the first delivery leaves, so every answer finds its request
    if (alert.safetyRequest && !alert.cancelsAlertId) {
      const safety = await this.safety.ask(alert.id, alert.municipalityId, audienceOf(alert.targeting));
      if (safety.carried > 0)
        this.logger.log({ alertId, ...safety }, 'correction: earlier answers carried over');
    }
    // a LINE broadcast reaches every friend of the account, linked residents included: no multicast on top
    const wanted = PLAN_ORDER.filter(
      (c) =>
        alert.channels.includes(c) &&
        !(c === Channel.Line && published.includes(PublicationTarget.LineBroadcast)),
    );
    // channels some running fanout sends on (this one or another): the others are recorded as undeliverable
    const served = await this.announcer.served();
    const channels = wanted.filter((c) => served.has(c));
    const unserved = wanted.filter((c) => !served.has(c));
    if (unserved.length > 0) {
      this.logger.warn({ alertId, channels: unserved }, 'no fanout sends on these channels: undeliverable');
    }

    await this.requeueUntouched(alertId, channels);
    const next = await this.plans.nextBatchNumbers(alertId);
    const originalId = alert.cancelsAlertId;
    const originalNext = originalId ? await this.plans.nextBatchNumbers(originalId) : undefined;

    let batches = 0;
    let chunks = 0;
    for (const channel of [...channels, ...unserved]) {
      const undeliverable = unserved.includes(channel);
      // a notice goes where the original possibly reached someone, which an unserved channel never did
      if (undeliverable && originalId) continue;
      let batchNo = next.get(channel) ?? 0;
      const chunksOf = originalId
        ? this.noticeChunks(alertId, originalId, channel, originalNext?.get(channel) ?? 0, () => batchNo)
        : this.recipientChunks(
            alert,
            channel,
            undeliverable ? wanted : channels,
            undeliverable,
            () => batchNo,
          );
      for await (const chunk of chunksOf) {
        chunks++;
        if (!chunk.live) {
          this.logger.log({ alertId, channel }, 'plan stopped: alert is no longer dispatching');
          return { outcome: 'skipped', status: 'stopped' };
        }
        if (chunk.batches.length === 0) continue;
        batchNo = chunk.batches[chunk.batches.length - 1] + 1;
        if (undeliverable) continue;
        await this.producer.enqueueMany(
          DeliverBatchJobs[channel],
          chunk.batches.map((b) => ({ alertId, channel, batchNo: b })),
        );
        batches += chunk.batches.length;
      }
    }

    const planned = await this.alerts.recordPlanned(alertId, originalId ? channels : wanted);
    if (!planned) return { outcome: 'skipped', status: 'stopped' };
    this.logger.log({ alertId, planned, batches, chunks }, 'alert planned');
    // not awaited: the batches are already on their way; the statistics help the statements that follow
    const added = Object.values(planned).reduce((sum, n) => sum + n, 0);
    void this.plans.refreshStatistics(alertId, added).then(
      (analyzed) => analyzed && this.logger.log({ alertId, added }, "partition's statistics refreshed"),
      (err: unknown) => this.logger.warn({ err, alertId }, "partition's statistics not refreshed"),
    );
    // an empty audience, or batches that all finished while later chunks were planned: nothing else will ask
    await this.completion.check(alertId);
    return { outcome: 'planned', planned, batches, chunks };
  }

  /**
   * The residents' endpoints of the channel, then (Web Push, served) the visitor subscriptions the alert reaches
   * (`visitorAudience`: public alerts of their districts only), numbered on in the same batches.
   */
  private async *recipientChunks(
    alert: FanoutAlert,
    channel: Channel,
    channels: readonly Channel[],
    undeliverable: boolean,
    batchNo: () => number,
  ): AsyncGenerator<PlannedChunk> {
    yield* this.audienceChunks(alert, channel, channels, undeliverable, batchNo);
    if (channel !== Channel.WebPush || undeliverable) return;
    const audience = visitorAudience(alert);
    if (!audience) return;
    yield* this.keysetChunks(this.settings.chunkSize, (after, limit) =>
      this.plans.planVisitorChunk({
        alertId: alert.id,
        municipalityId: alert.municipalityId,
        audience,
        after,
        limit,
        firstBatchNo: batchNo(),
        batchSize: this.settings.batchSize,
      }),
    );
  }

  /** Chunks read by keyset from `firstLimit` rows, then full chunks, until one comes back short. */
  private async *keysetChunks(
    firstLimit: number,
    plan: (after: string | null, limit: number) => Promise<PlannedChunk>,
  ): AsyncGenerator<PlannedChunk> {
    let after: string | null = null;
    let limit = firstLimit;
    for (;;) {
      const chunk = await plan(after, limit);
      yield chunk;
      if (chunk.scanned < limit || chunk.lastId === null) return;
      after = chunk.lastId;
      limit = this.settings.chunkSize;
    }
  }

  /**
   * `channels`: the channels the resident's first one is chosen among in ordered mode — the served ones for a
   * served channel (a channel nobody sends on falls through to the resident's next one), every wanted one for an
   * unserved channel (its undeliverable rows are those the plan would have sent there).
   */
  private async *audienceChunks(
    alert: FanoutAlert,
    channel: Channel,
    channels: readonly Channel[],
    undeliverable: boolean,
    batchNo: () => number,
  ): AsyncGenerator<PlannedChunk> {
    const audience = audienceOf(alert.targeting);
    // ordered fallback: each resident's first usable channel now, the next ones by the fallback scan
    const policy = fallbackPolicy(alert.municipalitySettings, alert.severity);
    const ordered = policy.mode === 'ordered' ? { channels, order: policy.order } : undefined;
    // the channel's first chunk is small (FANOUT_FIRST_CHUNK_SIZE), so the first of its audience are sent after
    // planning and claiming that many rows instead of a whole chunk; the rest follow in chunks of the full size
    yield* this.keysetChunks(this.settings.firstChunkSize, (after, limit) =>
      this.plans.planAudienceChunk({
        alertId: alert.id,
        municipalityId: alert.municipalityId,
        channel,
        audience,
        after,
        limit,
        firstBatchNo: batchNo(),
        batchSize: this.settings.batchSize,
        ordered,
        undeliverable,
      }),
    );
  }

  /** A cancellation notice walks the original's batches of the channel, about one chunk's worth at a time. */
  private async *noticeChunks(
    alertId: string,
    originalId: string,
    channel: Channel,
    originalBatches: number,
    batchNo: () => number,
  ): AsyncGenerator<PlannedChunk> {
    const step = Math.max(1, Math.floor(this.settings.chunkSize / this.settings.batchSize));
    for (let from = 0; from < originalBatches; from += step) {
      yield await this.plans.planNoticeChunk({
        alertId,
        originalId,
        channel,
        fromBatch: from,
        toBatch: from + step,
        firstBatchNo: batchNo(),
        batchSize: this.settings.batchSize,
      });
    }
  }

  /**
   * Public posts first (they are one request each): an alert for the whole municipality on the targets its
   * settings turn on, a cancellation notice wherever the alert it withdraws was published. Resolves to the
   * targets the alert is published on.
   */
  private async publish(alert: FanoutAlert): Promise<PublicationTarget[]> {
    const originalId = alert.cancelsAlertId;
    const targets = (
      originalId
        ? await this.publications.targetsOf(originalId)
        : publicationTargets(alert.municipalitySettings, {
            targetsEveryone: alert.targeting.all === true,
            isDrill: alert.isDrill,
          })
    ).filter((t) => this.publisher.has(t));
    const pending = await this.publications.ensure(alert.id, targets);
    await this.producer.enqueueMany(
      PublishAlertJob,
      pending.map((target) => ({ alertId: alert.id, target })),
    );
    return targets;
  }

  /** Batches an earlier run planned but never queued (it died in between): queue them before anything new. */
  private async requeueUntouched(alertId: string, channels: readonly Channel[]): Promise<void> {
    const untouched = await this.plans.untouchedBatches(alertId);
    for (const channel of channels) {
      const batchNos = untouched.filter((b) => b.channel === channel).map((b) => b.batchNo);
      if (batchNos.length === 0) continue;
      await this.producer.enqueueMany(
        DeliverBatchJobs[channel],
        batchNos.map((batchNo) => ({ alertId, channel, batchNo })),
      );
      this.logger.log({ alertId, channel, batches: batchNos.length }, 'plan resumed: queued earlier batches');
    }
  }
}
