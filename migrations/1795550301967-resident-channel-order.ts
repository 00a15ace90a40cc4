import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ResidentChannelOrder1795550301967 implements MigrationInterface {
  name = 'ResidentChannelOrder1795550301967';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "resident" ADD "channel_order" text array`);
    await q.query(
      `ALTER TABLE "resident" ADD CONSTRAINT "chk_resident_channel_order" CHECK ("channel_order" IS NULL OR "channel_order" <@ ARRAY['fcm', 'webpush', 'line', 'email']::text[])`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "resident" DROP CONSTRAINT "chk_resident_channel_order"`);
    await q.query(`ALTER TABLE "resident" DROP COLUMN "channel_order"`);
  }
}
