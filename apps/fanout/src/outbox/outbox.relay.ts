import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  type FailedOutboxRow,
  OutboxNotifications,
  OutboxRelayRepository,
  type PendingOutboxRow,
} from '@bousai/persistence';
import { OUTBOX_TOPICS, QueueProducer } from '@bousai/queue';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PeriodicTask } from '../workers/periodic-task';

/** Delay before the first retry of a row that could not be enqueued; doubles per attempt up to the maximum. */
const FIRST_RETRY_MS = 250;

/**
 * Turns outbox rows into queue jobs (docs/architecture.md §5.1, "commit, then enqueue"). Rows are claimed with a
 * lease (`FANOUT_LEASE_TTL_MS`) in a short statement and enqueued outside any transaction, so no row lock is held
 * while Redis answers; every fanout process can run a relay without two taking the same row while its lease runs.
 * Each job gets the row's own deterministic id, so a row relayed twice (a relay that died between enqueue and
 * marking the row, whose lease then lapsed) is one job. While Redis is away the enqueue fails at once and the row
 * stays pending with its error, to be tried again after a growing delay: an approved alert survives the outage and
 * leaves as soon as Redis is back. A commit that
 * wrote outbox rows wakes the relay at once (LISTEN/NOTIFY, `OutboxNotifications`); underneath, an idle relay
 * polls every `relayPollMs` (25 ms by default), for rows that come due later and for when the listening
 * connection is down.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly task: PeriodicTask;
  /** Whose claim a row carries: this relay's, for this process's lifetime. */
  readonly relayId = randomUUID();

  constructor(
    private readonly outbox: OutboxRelayRepository,
    private readonly producer: QueueProducer,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
    private readonly notifications: OutboxNotifications,
  ) {
    this.task = new PeriodicTask(
      'outbox-relay',
      settings.relayPollMs,
      async () => (await this.relayOnce()) >= settings.relayBatch,
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
    this.notifications.start(() => this.task.wake());
  }

  async onModuleDestroy(): Promise<void> {
    await this.notifications.stop();
    await this.task.stop();
  }

  /**
   * Relays one batch of due rows: claims them (a short statement), enqueues their jobs outside any transaction,
   * then records the outcome. Resolves to how many rows it took (dispatched or rescheduled).
   */
  async relayOnce(): Promise<number> {
    const rows = await this.outbox.claim(this.relayId, this.settings.relayBatch, this.settings.leaseTtlMs);
    if (rows.length === 0) return 0;
    const { dispatched, failed } = await this.relay(rows);
    await this.outbox.markDispatched(dispatched);
    await this.outbox.reschedule(this.relayId, failed);
    return rows.length;
  }

  private async relay(
    rows: PendingOutboxRow[],
  ): Promise<{ dispatched: string[]; failed: FailedOutboxRow[] }> {
    const dispatched: string[] = [];
    const failed: FailedOutboxRow[] = [];
    const fail = (row: PendingOutboxRow, error: string, retryInMs = this.retryDelay(row.attempts + 1)) =>
      failed.push({ id: row.id, error, retryInMs });
    for (const row of rows) {
      const contract = OUTBOX_TOPICS[row.topic];
      if (!contract) {
        // a producer newer than this relay, or a typo: keep the row visible and look again rarely
        fail(row, `unknown outbox topic ${row.topic}`, this.settings.relayBackoffMaxMs);
        continue;
      }
      try {
        const payload = contract.decode({ v: contract.version, payload: row.payload });
        if (contract.jobId(payload) !== row.jobId) {
          fail(row, `job id ${row.jobId} is not ${contract.jobId(payload)}`, this.settings.relayBackoffMaxMs);
          continue;
        }
        await this.producer.enqueue(contract, payload);
        dispatched.push(row.id);
      } catch (err) {
        fail(row, err instanceof Error ? err.message : String(err));
      }
    }
    if (failed.length > 0) {
      this.logger.warn(
        { dispatched: dispatched.length, failed: failed.length, error: failed[0].error },
        'outbox rows not relayed; kept for a retry',
      );
    }
    return { dispatched, failed };
  }

  /** Exponential with jitter (half fixed, half random) so a fleet of relays does not retry in lockstep. */
  private retryDelay(attempts: number): number {
    const ceiling = Math.min(
      this.settings.relayBackoffMaxMs,
      FIRST_RETRY_MS * 2 ** Math.min(attempts - 1, 20),
    );
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
