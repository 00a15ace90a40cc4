import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The hand-off record of each order step with a message: L-Alert record, area mail drafts, checklist. */
export class EvacuationHandoffs1795589500000 implements MigrationInterface {
  name = 'EvacuationHandoffs1795589500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "evacuation_handoff" ("id" uuid NOT NULL DEFAULT uuid_v7(), "municipality_id" uuid NOT NULL, "order_id" uuid NOT NULL, "version" integer NOT NULL, "lalert" jsonb NOT NULL, "area_mail" jsonb NOT NULL, "items" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b879848ebbbdb3e2cac06d9670f" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_evacuation_handoff_municipality" ON "evacuation_handoff"  ("municipality_id", "created_at") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_evacuation_handoff_step" ON "evacuation_handoff"  ("order_id", "version") `,
    );
    await q.query(
      `ALTER TABLE "evacuation_handoff" ADD CONSTRAINT "fk_evacuation_handoff_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_handoff" ADD CONSTRAINT "fk_evacuation_handoff_order" FOREIGN KEY ("order_id") REFERENCES "evacuation_order"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "evacuation_handoff" DROP CONSTRAINT "fk_evacuation_handoff_order"`);
    await q.query(`ALTER TABLE "evacuation_handoff" DROP CONSTRAINT "fk_evacuation_handoff_municipality"`);
    await q.query(`DROP INDEX "public"."uq_evacuation_handoff_step"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_handoff_municipality"`);
    await q.query(`DROP TABLE "evacuation_handoff"`);
  }
}
