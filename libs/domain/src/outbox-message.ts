declare const OUTBOX_MESSAGE: unique symbol;

/**
 * What one `outbox` row announces: the job's wire name, its payload and its deterministic id. Only
 * `outboxMessage` in libs/queue makes one, from a typed job contract (the brand keeps hand-made literals out), and
 * only the persistence's outbox writer stores it.
 */
export interface OutboxMessage {
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly jobId: string;
  readonly [OUTBOX_MESSAGE]: true;
}
