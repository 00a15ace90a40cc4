import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `safety_response.channel` may be `shelter`: a check-in at a shelter answers the resident's open safety request
 * (`safe`, at that shelter). The new CHECK is added NOT VALID and then validated, so the scan does not block writers.
 */
export class SafetyResponseShelterChannel1795586000000 implements MigrationInterface {
  name = 'SafetyResponseShelterChannel1795586000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "safety_response" DROP CONSTRAINT "chk_safety_response_channel"`);
    await q.query(
      `ALTER TABLE "safety_response" ADD CONSTRAINT "chk_safety_response_channel" CHECK ("channel" IN ('app', 'pwa', 'link', 'receiver', 'phone', 'visit', 'shelter')) NOT VALID`,
    );
    await q.query(`ALTER TABLE "safety_response" VALIDATE CONSTRAINT "chk_safety_response_channel"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "safety_response" WHERE "channel" = 'shelter'`);
    await q.query(`ALTER TABLE "safety_response" DROP CONSTRAINT "chk_safety_response_channel"`);
    await q.query(
      `ALTER TABLE "safety_response" ADD CONSTRAINT "chk_safety_response_channel" CHECK ("channel" IN ('app', 'pwa', 'link', 'receiver', 'phone', 'visit'))`,
    );
  }
}
