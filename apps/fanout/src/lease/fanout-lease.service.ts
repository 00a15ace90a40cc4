import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Channel } from '@bousai/domain';
import {
  type ClaimLease,
  type FanoutInstance,
  FanoutLeaseRepository,
  type ReleasedBatch,
} from '@bousai/persistence';
import { DeliverBatchJobs, QueueProducer } from '@bousai/queue';
import { DispatchCompletion } from '../completion/dispatch-completion.service';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PeriodicTask } from '../workers/periodic-task';

/** How soon released batches Redis could not take are tried again. */
const RETRY_PENDING_MS = 250;

/**
 * This process's lease on the deliveries it sends. It registers before any worker starts, renews the lease four
 * times per FANOUT_LEASE_TTL_MS, and ends it at shutdown (after the workers, whose rows are all written by then).
 *
 * Each renewal also ends the leases of processes that stopped renewing theirs (killed, frozen) and releases the
 * rows they held: the job for each released batch and attempt count is queued again, the one path that resends
 * them; rows a device acknowledged meanwhile leave the alert's queued hint, so the alert completes. A process
 * that restarts on the same host ends its predecessor's lease at once when it can tell that process is gone (its
 * pid is ours now, or no longer exists), without waiting for the lease to lapse.
 */
@Injectable()
export class FanoutLease implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FanoutLease.name);
  readonly holder = randomUUID();
  private readonly instance: FanoutInstance;
  /** Processes on this host share our pid namespace: only then do their pids say anything to us. */
  private readonly pidsComparable: boolean;
  private readonly task: PeriodicTask;
  private booted = false;
  /** Released batches whose job is not queued yet, by batch and attempt count. */
  private readonly pending = new Map<string, ReleasedBatch>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly leases: FanoutLeaseRepository,
    private readonly producer: QueueProducer,
    private readonly completion: DispatchCompletion,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
  ) {
    const pidNamespace = readPidNamespace();
    this.pidsComparable = pidNamespace !== null;
    this.instance = { id: this.holder, host: `${hostname()}/${pidNamespace ?? '?'}`, pid: process.pid };
    this.task = new PeriodicTask(
      'fanout-lease',
      Math.max(250, Math.floor(settings.leaseTtlMs / 4)),
      async () => {
        await this.renewAndReclaim();
        return false;
      },
      this.logger,
    );
  }

  /** What a batch claims with: this process, and how fresh its lease must be to take new rows. */
  claimLease(): ClaimLease {
    return { holder: this.holder, freshMs: Math.floor(this.settings.leaseTtlMs / 2) };
  }

  async onModuleInit(): Promise<void> {
    await this.leases.renew(this.instance);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.retryTimer);
    await this.task.stop();
    await this.leases.retire(this.holder);
  }

  /** One renewal; resolves to the queued rows released from other processes' leases. */
  async renewAndReclaim(): Promise<number> {
    await this.leases.renew(this.instance);
    const boot = !this.booted;
    const gone = boot ? await this.predecessorsGone() : [];
    const { batches, hints } = await this.leases.reclaim(this.settings.leaseTtlMs, gone, boot);
    this.booted = true;
    let rows = 0;
    for (const b of batches) {
      rows += b.rows;
      this.logger.warn(b, 'lease lapsed: deliveries it held are sent again');
      this.pending.set(`${b.alertId}/${b.channel}/${b.batchNo}/${b.attempts}`, b);
    }
    await this.enqueuePending();
    for (const h of hints) {
      if (h.queued <= 0) await this.completion.check(h.alertId);
    }
    return rows;
  }

  /**
   * Queues the job of each released batch; one Redis could not take stays pending and is tried again shortly (the
   * rows are no longer held by anyone, and only the sweeper would find them otherwise).
   */
  private async enqueuePending(): Promise<void> {
    for (const [key, b] of this.pending) {
      const channel = b.channel;
      if (!Object.values(Channel).includes(channel)) {
        this.pending.delete(key);
        continue;
      }
      try {
        // a finished job of the same id would make a plain enqueue a no-op
        await this.producer.requeue(DeliverBatchJobs[channel], {
          alertId: b.alertId,
          channel,
          batchNo: b.batchNo,
          attempt: b.attempts,
        });
        this.pending.delete(key);
      } catch (err) {
        this.logger.warn({ err, ...b }, 'released deliveries not queued yet; trying again');
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.task.wake(), RETRY_PENDING_MS);
        return;
      }
    }
  }

  private async predecessorsGone(): Promise<string[]> {
    if (!this.pidsComparable) return [];
    const others = await this.leases.onHost(this.instance.host, this.holder);
    return others.filter((o) => o.pid === process.pid || !processExists(o.pid)).map((o) => o.id);
  }
}

/** The pid namespace of this process (Linux), or null where it cannot be read. */
function readPidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
