import { Logger } from '@nestjs/common';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { z } from 'zod';
import { DomainError, ErrorCode } from '@bousai/domain';
import type { JobContract } from './job-contract';
import { type ProcessorBinding } from './processor-check';
import type { QueueConnectionSettings } from './queue-producer';
import type { QueueName } from './queue-name';

/** What a processor learns about the job besides its payload. */
export interface JobContext {
  jobId: string;
  /**
   * The job started before and did not finish (its worker crashed, stalled or threw): work it had claimed may be
   * half done and must be resumed from the persisted state.
   */
  resumed: boolean;
}

/**
 * A processor of one job contract. Apps implement it as a thin Nest provider: decode, call one use case, done.
 * Throwing makes BullMQ retry the job per the contract's options, except for errors retrying cannot fix.
 */
export interface JobProcessor<S extends z.ZodType = z.ZodType> extends ProcessorBinding {
  readonly contract: JobContract<string, S>;
  process(payload: z.output<S>, ctx: JobContext): Promise<void>;
}

/** Domain errors that a retry cannot fix: the job fails for good instead of burning its attempts. */
const UNRECOVERABLE: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.ValidationFailed,
  ErrorCode.NotFound,
  ErrorCode.IllegalTransition,
  ErrorCode.Forbidden,
]);

export function isUnrecoverable(err: unknown): boolean {
  return err instanceof DomainError && UNRECOVERABLE.has(err.code);
}

/**
 * BullMQ workers for a set of processors: one `Worker` per queue, dispatching on the job name, each with its own
 * blocking connection (`maxRetriesPerRequest: null`, as BullMQ requires) and its configured concurrency.
 * `close()` waits for the jobs in flight, so SIGTERM never cuts a batch in half.
 */
export class QueueWorkers {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: Worker[] = [];

  constructor(private readonly settings: QueueConnectionSettings) {}

  /**
   * `lockDurationMs`: how long a job stays locked to its worker without a renewal (BullMQ renews at half of it);
   * the stalled-job check runs at the same period, so the jobs of a worker that died are resumed (`resumed: true`)
   * by another within about two periods. BullMQ's default is 30 s.
   */
  start(
    processors: readonly JobProcessor[],
    concurrency: (queue: QueueName) => number,
    options: { lockDurationMs?: number } = {},
  ): void {
    const byQueue = new Map<QueueName, Map<string, JobProcessor>>();
    for (const p of processors) {
      const names = byQueue.get(p.queue) ?? new Map<string, JobProcessor>();
      if (names.has(p.name)) throw new Error(`two processors for ${p.queue}/${p.name}`);
      names.set(p.name, p);
      byQueue.set(p.queue, names);
    }
    for (const [queue, names] of byQueue) {
      const worker = new Worker(queue, (job: Job) => this.run(names, job), {
        connection: {
          url: this.settings.redisUrl,
          maxRetriesPerRequest: null,
          connectionName: 'bousai-worker',
        },
        prefix: this.settings.prefix,
        concurrency: Math.max(1, concurrency(queue)),
        ...(options.lockDurationMs
          ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
          : {}),
      });
      let lastError: string | undefined;
      worker.on('error', (err: Error) => {
        if (err.message === lastError) return;
        lastError = err.message;
        this.logger.warn({ err, queue }, 'worker error');
      });
      worker.on('failed', (job: Job | undefined, err: Error) => {
        this.logger.error({ err, queue, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'job failed');
      });
      this.workers.push(worker);
    }
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.allSettled(workers.map((w) => w.close()));
  }

  private async run(processors: Map<string, JobProcessor>, job: Job): Promise<void> {
    const processor = processors.get(job.name);
    if (!processor) throw new UnrecoverableError(`no processor for job ${job.name} on ${job.queueName}`);
    let payload: unknown;
    try {
      payload = processor.contract.decode(job.data);
    } catch (err) {
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }
    try {
      await processor.process(payload, { jobId: job.id ?? '', resumed: job.attemptsStarted > 1 });
    } catch (err) {
      if (isUnrecoverable(err)) throw new UnrecoverableError((err as Error).message);
      throw err;
    }
  }
}
