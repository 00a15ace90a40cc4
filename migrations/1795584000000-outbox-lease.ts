import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows are claimed with a lease instead of being held under a row lock while the relay talks to Redis: a
 * relay stamps the rows it takes with its id and a deadline in one short statement, enqueues outside any
 * transaction, then marks them dispatched. A relay that dies after claiming leaves its rows to be taken again
 * once `claimed_until` has passed. No index: the claim walks `ix_outbox_pending` and filters on the lease.
 */
export class OutboxLease1795584000000 implements MigrationInterface {
  name = 'OutboxLease1795584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD "claimed_by" uuid`);
    await q.query(`ALTER TABLE "outbox" ADD "claimed_until" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "claimed_until"`);
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "claimed_by"`);
  }
}
