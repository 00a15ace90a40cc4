import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `delivery.status` may be `undeliverable`: rows the planner records for a channel no running fanout sends on,
 * instead of leaving the channel out. The new CHECK is added NOT VALID and then validated, so the scan of the
 * delivery table does not block its writers.
 */
export class DeliveryUndeliverable1795582000000 implements MigrationInterface {
  name = 'DeliveryUndeliverable1795582000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "chk_delivery_status"`);
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "chk_delivery_status" CHECK ("status" IN ('queued', 'waiting', 'sent', 'delivered', 'played', 'read', 'failed', 'expired', 'cancelled', 'undeliverable')) NOT VALID`,
    );
    await q.query(`ALTER TABLE "delivery" VALIDATE CONSTRAINT "chk_delivery_status"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "delivery" WHERE "status" = 'undeliverable'`);
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "chk_delivery_status"`);
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "chk_delivery_status" CHECK ("status" IN ('queued', 'waiting', 'sent', 'delivered', 'played', 'read', 'failed', 'expired', 'cancelled'))`,
    );
  }
}
