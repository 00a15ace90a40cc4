import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { DomainError, ErrorCode } from '@bousai/domain';
import type { QueueName } from './queue-name';

/** Retry, backoff and retention; the jobId comes from the contract, never from a caller. */
export type JobOptions = Readonly<Omit<JobsOptions, 'jobId' | 'repeat' | 'deduplication' | 'parent'>>;

export interface JobDefinition<N extends string, S extends z.ZodType> {
  /** Stable wire name, `<area>.<action>` in kebab-case: `delivery.send-batch`. */
  name: N;
  queue: QueueName;
  /** Bumped when the payload changes incompatibly; a worker refuses payloads of another version. */
  version: number;
  schema: S;
  options: JobOptions;
  /** Deterministic, hyphen-joined ids make a replayed enqueue a no-op. */
  jobId: (payload: z.output<S>) => string;
}

/** What travels in `job.data`: the contract version and the payload (ids only; Postgres holds the truth). */
export interface JobEnvelope<P> {
  v: number;
  payload: P;
}

export interface JobContract<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  readonly queue: QueueName;
  readonly version: number;
  readonly schema: S;
  readonly options: JobOptions;
  /** The job's id for this payload, checked against BullMQ's rules for custom ids. */
  jobId(payload: z.output<S>): string;
  /** Validates a payload on the producer side and wraps it for `job.data`. */
  encode(payload: z.input<S>): JobEnvelope<z.output<S>>;
  /** Validates `job.data` on the worker side; throws {@link InvalidJobPayloadError}, which is not worth retrying. */
  decode(data: unknown): z.output<S>;
}

export type JobPayload<C> = C extends JobContract<string, infer S> ? z.output<S> : never;

/** A job whose data does not match its contract: retrying cannot help, so workers fail it for good. */
export class InvalidJobPayloadError extends DomainError {
  constructor(job: string, problem: string) {
    super(ErrorCode.ValidationFailed, `job ${job}: ${problem}`, { job });
  }
}

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$/;

/** Defines a job once, for both its producer and its processor (docs/contributing.md, "Typed queue contracts"). */
export function defineJob<const N extends string, S extends z.ZodType>(
  def: JobDefinition<N, S>,
): JobContract<N, S> {
  if (!NAME.test(def.name)) throw new Error(`job name "${def.name}" must look like "area.action-name"`);
  if (!Number.isInteger(def.version) || def.version < 1) {
    throw new Error(`job ${def.name}: version must be a positive integer`);
  }
  const label = `${def.name} v${def.version}`;
  const parse = (payload: unknown): z.output<S> => {
    const result = def.schema.safeParse(payload);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new InvalidJobPayloadError(label, problems.join('; '));
    }
    return result.data;
  };
  return Object.freeze({
    name: def.name,
    queue: def.queue,
    version: def.version,
    schema: def.schema,
    options: Object.freeze({ ...def.options }),
    jobId(payload: z.output<S>): string {
      return checkedJobId(label, def.jobId(payload));
    },
    encode(payload: z.input<S>): JobEnvelope<z.output<S>> {
      return { v: def.version, payload: parse(payload) };
    },
    decode(data: unknown): z.output<S> {
      if (typeof data !== 'object' || data === null || !('v' in data) || !('payload' in data)) {
        throw new InvalidJobPayloadError(label, 'data is not a job envelope { v, payload }');
      }
      if (data.v !== def.version) {
        throw new InvalidJobPayloadError(label, `envelope version ${String(data.v)} is not ${def.version}`);
      }
      return parse(data.payload);
    },
  });
}

/** BullMQ refuses custom ids that are integers or contain ":" (its key separator). */
function checkedJobId(job: string, id: string): string {
  if (id.length === 0 || id.length > 256) throw new Error(`job ${job}: jobId must be 1..256 characters`);
  if (id.includes(':')) throw new Error(`job ${job}: jobId "${id}" must not contain ":"`);
  if (/^\d+$/.test(id)) throw new Error(`job ${job}: jobId "${id}" must not be an integer`);
  return id;
}
