import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';
import { DomainError, ErrorCode } from '@bousai/domain';
import type { JobContract } from './job-contract';
import type { QueueName } from './queue-name';

export interface QueueConnectionSettings {
  redisUrl: string;
  /** BullMQ key prefix: one per deployment (and one per test file). */
  prefix: string;
  /** Longest a producer call may take before it counts as failed (its job may still land: ids are deterministic). */
  timeoutMs?: number;
}

/** Redis is away (or too slow): nothing was enqueued for sure. Callers keep the work and try again later. */
export class QueueUnavailableError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.Unavailable, message);
  }
}

/** Whether a job with a given id could still run. */
export type JobPresence = 'live' | 'finished' | 'absent';

/** Jobs per `addBulk` call: one MULTI each; larger chunks only grow the client's per-call work (docs/performance.md). */
const BULK_CHUNK = 100;
const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * The one caller of BullMQ's `add`/`addBulk` (docs/contributing.md: one owner per infrastructure concern). Jobs are built from
 * their contract only: the payload is validated and the jobId derived, never chosen by a caller.
 *
 * It fails fast while Redis is away instead of buffering commands: its own connection has no offline queue, and a
 * call made while disconnected throws {@link QueueUnavailableError} at once. The outbox relay relies on that to
 * keep rows pending (and retry them) rather than hang.
 */
export class QueueProducer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(QueueProducer.name);
  private readonly redis: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly timeoutMs: number;
  private lastError: string | undefined;
  private closed = false;

  constructor(private readonly settings: QueueConnectionSettings) {
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.redis = new Redis(settings.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: Math.min(this.timeoutMs, 5_000),
      disconnectTimeout: 500,
      connectionName: 'bousai-producer',
    });
    this.redis.on('error', (err: Error) => {
      if (err.message === this.lastError) return;
      this.lastError = err.message;
      this.logger.warn({ err }, 'queue producer: redis connection error');
    });
    this.redis.on('ready', () => {
      if (this.lastError !== undefined) this.logger.log('queue producer: redis connection restored');
      this.lastError = undefined;
    });
  }

  onModuleInit(): void {
    this.connect();
  }

  /** Starts connecting in the background (boot never waits for Redis); idempotent. */
  connect(): void {
    if (this.redis.status !== 'wait') return;
    this.redis.connect().catch(() => {
      // reported by the 'error' listener; ioredis keeps reconnecting
    });
  }

  /** Adds one job; resolves to its id. Adding an id that exists (waiting, running or kept as finished) is a no-op. */
  async enqueue<S extends z.ZodType>(
    contract: JobContract<string, S>,
    payload: z.input<S>,
    opts: { delayMs?: number } = {},
  ): Promise<string> {
    const envelope = contract.encode(payload);
    const jobId = contract.jobId(envelope.payload);
    await this.withQueue(contract.queue, (q) =>
      q.add(contract.name, envelope, {
        ...contract.options,
        jobId,
        ...(opts.delayMs ? { delay: Math.max(0, Math.ceil(opts.delayMs)) } : {}),
      }),
    );
    return jobId;
  }

  /** Adds many jobs of one contract with `addBulk`, in chunks of {@link BULK_CHUNK}. Resolves to how many were sent. */
  async enqueueMany<S extends z.ZodType>(
    contract: JobContract<string, S>,
    payloads: readonly z.input<S>[],
  ): Promise<number> {
    const jobs = payloads.map((p) => {
      const envelope = contract.encode(p);
      return {
        name: contract.name,
        data: envelope,
        opts: { ...contract.options, jobId: contract.jobId(envelope.payload) },
      };
    });
    for (let i = 0; i < jobs.length; i += BULK_CHUNK) {
      const chunk = jobs.slice(i, i + BULK_CHUNK);
      await this.withQueue(contract.queue, (q) => q.addBulk(chunk));
    }
    return jobs.length;
  }

  /** Whether the job this payload maps to is waiting, delayed or running (`live`), done (`finished`) or unknown. */
  async presence<S extends z.ZodType>(
    contract: JobContract<string, S>,
    payload: z.input<S>,
  ): Promise<JobPresence> {
    const jobId = contract.jobId(contract.encode(payload).payload);
    const state = await this.withQueue(contract.queue, (q) => q.getJobState(jobId));
    if (state === 'unknown') return 'absent';
    return state === 'completed' || state === 'failed' ? 'finished' : 'live';
  }

  /**
   * Enqueues again work whose job finished without finishing the work (the sweeper's case): a finished job with the
   * same id is removed first, since BullMQ would otherwise treat the add as a duplicate. A live job is left alone.
   * Resolves to whether a job was added.
   */
  async requeue<S extends z.ZodType>(
    contract: JobContract<string, S>,
    payload: z.input<S>,
  ): Promise<boolean> {
    const envelope = contract.encode(payload);
    const jobId = contract.jobId(envelope.payload);
    return this.withQueue(contract.queue, async (q) => {
      const state = await q.getJobState(jobId);
      if (state !== 'unknown' && state !== 'completed' && state !== 'failed') return false;
      if (state !== 'unknown') await q.remove(jobId);
      await q.add(contract.name, envelope, { ...contract.options, jobId });
      return true;
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.allSettled(queues.map((q) => q.close()));
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch {
        // dropped while quitting: disconnect below
      }
    }
    this.redis.disconnect();
  }

  private async withQueue<T>(name: QueueName, work: (q: Queue) => Promise<T>): Promise<T> {
    if (this.closed) throw new QueueUnavailableError('queue producer is closed');
    this.connect();
    if (this.redis.status !== 'ready') {
      throw new QueueUnavailableError(`redis is not connected (${this.redis.status})`);
    }
    const queue = this.queue(name);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QueueUnavailableError(`queue ${name}: no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work(queue), timeout]);
    } catch (err) {
      if (err instanceof QueueUnavailableError) throw err;
      if (this.redis.status !== 'ready') {
        // a Queue whose first connection attempt failed stays broken: make a fresh one next time
        this.queues.delete(name);
        throw new QueueUnavailableError(`queue ${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      // the shared connection is ours: BullMQ neither reconnects nor closes it
      q = new Queue(name, { connection: this.redis, prefix: this.settings.prefix });
      q.on('error', (err: Error) => {
        if (err.message === this.lastError) return;
        this.lastError = err.message;
        this.logger.warn({ err, queue: name }, 'queue producer: queue error');
      });
      this.queues.set(name, q);
    }
    return q;
  }
}
