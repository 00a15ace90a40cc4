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
import { type ClaimLease, type FanoutInstance, FanoutLeaseRepository } from '@bousai/persistence';
import { DeliverBatchJobs, QueueProducer } from '@bousai/queue';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PeriodicTask } from '../workers/periodic-task';

/**
 * This process's lease on the deliveries it sends. It registers before any worker starts, renews the lease four
 * times per FANOUT_LEASE_TTL_MS, and ends it at shutdown (after the workers, whose rows are all written by then).
 *
 * Each renewal also ends the leases of processes that stopped renewing theirs (killed, frozen) and releases the
 * rows they held: the job for each released batch and attempt count is queued again, the one path that resends
 * them. A process that restarts on the same host ends its predecessor's lease at once when it can tell that
 * process is gone (its pid is ours now, or no longer exists), without waiting for the lease to lapse.
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

  constructor(
    private readonly leases: FanoutLeaseRepository,
    private readonly producer: QueueProducer,
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
    await this.task.stop();
    await this.leases.retire(this.holder);
  }

  /** One renewal; resolves to the rows released from other processes' leases. */
  async renewAndReclaim(): Promise<number> {
    await this.leases.renew(this.instance);
    const boot = !this.booted;
    const gone = boot ? await this.predecessorsGone() : [];
    const released = await this.leases.reclaim(this.settings.leaseTtlMs, gone, boot);
    this.booted = true;
    let rows = 0;
    for (const b of released) {
      rows += b.rows;
      const channel = b.channel as Channel;
      if (!Object.values(Channel).includes(channel)) continue;
      const job = { alertId: b.alertId, channel, batchNo: b.batchNo, attempt: b.attempts };
      // a finished job of the same id would make a plain enqueue a no-op
      await this.producer.requeue(DeliverBatchJobs[channel], job);
      this.logger.warn({ ...job, rows: b.rows }, 'lease lapsed: deliveries it held queued again');
    }
    return rows;
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
