import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DrillSchedule1795553791185 implements MigrationInterface {
  name = 'DrillSchedule1795553791185';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "drill_schedule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "alert_id" uuid NOT NULL, "scheduled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "state" text NOT NULL DEFAULT 'scheduled', "created_by" uuid, "launched_at" TIMESTAMP WITH TIME ZONE, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_drill_schedule_state" CHECK ("state" IN ('scheduled', 'launched', 'cancelled', 'failed')), CONSTRAINT "PK_121931dbaeda33d6541eeb16496" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ix_drill_schedule_alert" ON "drill_schedule"  ("alert_id") `);
    await q.query(
      `CREATE INDEX "ix_drill_schedule_municipality" ON "drill_schedule"  ("municipality_id", "scheduled_at") `,
    );
    await q.query(
      `CREATE INDEX "ix_drill_schedule_due" ON "drill_schedule"  ("scheduled_at") WHERE "state" = 'scheduled'`,
    );
    await q.query(
      `ALTER TABLE "drill_schedule" ADD CONSTRAINT "fk_drill_schedule_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "drill_schedule" ADD CONSTRAINT "fk_drill_schedule_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "drill_schedule" ADD CONSTRAINT "fk_drill_schedule_created_by" FOREIGN KEY ("created_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "drill_schedule" DROP CONSTRAINT "fk_drill_schedule_created_by"`);
    await q.query(`ALTER TABLE "drill_schedule" DROP CONSTRAINT "fk_drill_schedule_alert"`);
    await q.query(`ALTER TABLE "drill_schedule" DROP CONSTRAINT "fk_drill_schedule_municipality"`);
    await q.query(`DROP INDEX "public"."ix_drill_schedule_due"`);
    await q.query(`DROP INDEX "public"."ix_drill_schedule_municipality"`);
    await q.query(`DROP INDEX "public"."ix_drill_schedule_alert"`);
    await q.query(`DROP TABLE "drill_schedule"`);
  }
}
