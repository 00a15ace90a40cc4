import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alert of an evacuation order step carries the order message's kind and level, so receivers can announce it
 * with its priority and lead-in (docs/receiver-protocol.md §3.1). Null for every other alert.
 */
export class AlertEvacuationMessage1795588000000 implements MigrationInterface {
  name = 'AlertEvacuationMessage1795588000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "alert" ADD "evacuation_message" jsonb`);
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "chk_alert_evacuation_message" CHECK ("evacuation_message" IS NULL OR (("evacuation_message"->>'kind') IN ('issue', 'raise', 'lower', 'extend', 'shrink', 'lift', 'retract') AND ("evacuation_message"->>'level') IN ('3', '4', '5')))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "chk_alert_evacuation_message"`);
    await q.query(`ALTER TABLE "alert" DROP COLUMN "evacuation_message"`);
  }
}
