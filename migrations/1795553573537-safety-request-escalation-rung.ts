import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SafetyRequestEscalationRung1795553573537 implements MigrationInterface {
  name = 'SafetyRequestEscalationRung1795553573537';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "safety_request" ADD "escalation_rung" smallint NOT NULL DEFAULT '0'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "safety_request" DROP COLUMN "escalation_rung"`);
  }
}
