import type { z } from 'zod';
import type { OutboxMessage } from '@bousai/domain';
import type { JobContract } from './job-contract';
import { OUTBOX_TOPICS } from './contracts';

/**
 * The one way to make an outbox row's content: the payload checked by the contract's schema, the topic its wire
 * name, the job id its deterministic derivation. The relay later enqueues the row through the same contract.
 */
export function outboxMessage<N extends string, S extends z.ZodType>(
  contract: JobContract<N, S>,
  payload: z.input<S>,
): OutboxMessage {
  if ((OUTBOX_TOPICS[contract.name] as unknown) !== contract) {
    throw new Error(`job ${contract.name} is not relayed from the outbox`);
  }
  const checked = contract.encode(payload).payload as Record<string, unknown>;
  const message = { topic: contract.name, payload: checked, jobId: contract.jobId(checked as z.output<S>) };
  return message as unknown as OutboxMessage;
}
