import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxMessage } from '@bousai/domain';

/**
 * The one writer of `outbox` rows. It runs in the caller's transaction, so the rows commit (and the relay hears of
 * them) with the change they announce or not at all. Messages come only from `outboxMessage` in libs/queue, which
 * builds them from the typed job contracts.
 */
@Injectable()
export class OutboxWriter {
  async enqueue(em: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await em.query(
      `INSERT INTO outbox (topic, payload, job_id)
       SELECT * FROM unnest($1::text[], $2::jsonb[], $3::text[])`,
      [
        messages.map((m) => m.topic),
        messages.map((m) => JSON.stringify(m.payload)),
        messages.map((m) => m.jobId),
      ],
    );
  }
}
