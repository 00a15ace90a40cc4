import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `delivery.status` gains `waiting`: a household receiver that stayed offline through every attempt is parked
 * for its reconnect instead of being recorded `sent` (it was never reached). Existing rows keep their status.
 */
export class DeliveryWaiting1795581000000 implements MigrationInterface {
  name = 'DeliveryWaiting1795581000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "chk_delivery_status"`);
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "chk_delivery_status" CHECK ("status" IN ('queued', 'waiting', 'sent', 'delivered', 'played', 'read', 'failed', 'expired', 'cancelled'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "delivery" SET "status" = 'sent' WHERE "status" = 'waiting'`);
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "chk_delivery_status"`);
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "chk_delivery_status" CHECK ("status" IN ('queued', 'sent', 'delivered', 'played', 'read', 'failed', 'expired', 'cancelled'))`,
    );
  }
}
