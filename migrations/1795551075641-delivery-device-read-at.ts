import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeliveryDeviceReadAt1795551075641 implements MigrationInterface {
  name = 'DeliveryDeviceReadAt1795551075641';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "delivery" ADD "device_read_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "delivery" DROP COLUMN "device_read_at"`);
  }
}
