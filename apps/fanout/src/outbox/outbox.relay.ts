import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  OutboxNotifications,
  type OutboxRelayResult,
  OutboxRelayRepository,
  type PendingOutboxRow,
} from '@bousai/persistence';
import { OUTBOX_TOPICS, QueueProducer } from '@bousai/queue';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PeriodicTask } from '../workers/periodic-task';

/** Delay before the first retry of a row that could not be enqueued; doubles per attempt up to the maximum. */
const FIRST_RETRY_MS = 250;

/**
 * Turns outbox rows into queue jobs (docs/architecture.md §5.1, "commit, then enqueue"). Rows are taken with
 * `FOR UPDATE SKIP LOCKED`, so every fanout process can run a relay without two taking the same row; each job
 * gets the row's own deterministic id, so a row relayed twice (a crash between enqueue and commit) is one job.
 * While Redis is away the enqueue fails at once and the row stays pending with its error, to be tried again
 * after a growing delay: an approved alert survives the outage and leaves as soon as Redis is back. A commit that
 * wrote outbox rows wakes the relay at once (LISTEN/NOTIFY, `OutboxNotifications`); underneath, an idle relay
 * polls every `relayPollMs` (25 ms by default), for rows that come due later and for when the listening
 * connection is down.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly task: PeriodicTask;

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

  /** Relays one batch of due rows; resolves to how many rows it took (dispatched or rescheduled). */
  relayOnce(): Promise<number> {
    return this.outbox.relayDue(
      this.settings.relayBatch,
      (rows) => this.relay(rows),
      (attempts) => this.retryDelay(attempts),
    );
  }

  private async relay(rows: PendingOutboxRow[]): Promise<OutboxRelayResult> {
    const dispatched: string[] = [];
    const failed: { id: string; error: string; retryInMs: number }[] = [];
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
