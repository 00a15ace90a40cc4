import type { QueueName } from './queue-name';

/** What a processor declares it handles; a job contract itself fits. */
export interface ProcessorBinding {
  readonly queue: QueueName;
  readonly name: string;
}

/** Raised at boot: a job could be enqueued that no worker would ever take. */
export class MissingProcessorError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`no processor for job contract(s): ${missing.join(', ')}`);
    this.name = 'MissingProcessorError';
  }
}

const key = (b: ProcessorBinding) => `${b.queue}/${b.name}`;

/**
 * Fails boot when a job contract has no processor, naming every one that is missing. Also refuses two contracts
 * with the same queue and name: their payloads would be indistinguishable on the wire.
 */
export function assertEveryContractHasProcessor(
  contracts: readonly ProcessorBinding[],
  processors: Iterable<ProcessorBinding>,
): void {
  const seen = new Set<string>();
  for (const c of contracts) {
    if (seen.has(key(c))) throw new Error(`job contract ${key(c)} is defined twice`);
    seen.add(key(c));
  }
  const handled = new Set([...processors].map(key));
  const missing = [...seen].filter((k) => !handled.has(k));
  if (missing.length > 0) throw new MissingProcessorError(missing);
}
