import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 家族の安否 (who answered for a household member) and the districts a resident adds from the app. */
export class HouseholdSafetySettings1795592000000 implements MigrationInterface {
  name = 'HouseholdSafetySettings1795592000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "resident" ADD "extra_area_ids" uuid array NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE "safety_response" ADD "answered_by_resident_id" uuid`);
    await q.query(
      `CREATE INDEX "ix_safety_response_answered_by" ON "safety_response" ("answered_by_resident_id") WHERE "answered_by_resident_id" IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE "safety_response" ADD CONSTRAINT "fk_safety_response_answered_by_resident" FOREIGN KEY ("answered_by_resident_id") REFERENCES "resident"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "safety_response" DROP CONSTRAINT "fk_safety_response_answered_by_resident"`);
    await q.query(`DROP INDEX "public"."ix_safety_response_answered_by"`);
    await q.query(`ALTER TABLE "safety_response" DROP COLUMN "answered_by_resident_id"`);
    await q.query(`ALTER TABLE "resident" DROP COLUMN "extra_area_ids"`);
  }
}
