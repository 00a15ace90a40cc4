import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The feeds' proposals against issued evacuation orders (lower to a level, or lift), recorded for people to dismiss
 * or apply; never applied by themselves.
 */
export class EvacuationProposals1795588100000 implements MigrationInterface {
  name = 'EvacuationProposals1795588100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "evacuation_proposal" ("id" uuid NOT NULL DEFAULT uuid_v7(), "municipality_id" uuid NOT NULL, "order_id" uuid NOT NULL, "kind" text NOT NULL, "hazard" text NOT NULL, "level" smallint NOT NULL, "district_codes" text array NOT NULL DEFAULT '{}', "source_document_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dismissed_by" uuid, "dismissed_at" TIMESTAMP WITH TIME ZONE, "applied_by" uuid, "applied_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "chk_evacuation_proposal_level" CHECK ("level" IN (3, 4, 5)), CONSTRAINT "chk_evacuation_proposal_hazard" CHECK ("hazard" IN ('heavy_rain', 'landslide', 'inundation', 'flood', 'storm_surge', 'tsunami', 'earthquake', 'other')), CONSTRAINT "chk_evacuation_proposal_kind" CHECK ("kind" IN ('lower', 'lift')), CONSTRAINT "PK_426ee309c1e2f9286838ae2fa23" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_evacuation_proposal_source_document" ON "evacuation_proposal"  ("source_document_id") `,
    );
    await q.query(
      `CREATE INDEX "ix_evacuation_proposal_municipality" ON "evacuation_proposal"  ("municipality_id", "created_at") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_evacuation_proposal_document" ON "evacuation_proposal"  ("order_id", "kind", "level", "source_document_id") `,
    );
    await q.query(
      `ALTER TABLE "evacuation_proposal" ADD CONSTRAINT "fk_evacuation_proposal_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_proposal" ADD CONSTRAINT "fk_evacuation_proposal_order" FOREIGN KEY ("order_id") REFERENCES "evacuation_order"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_proposal" ADD CONSTRAINT "fk_evacuation_proposal_source_document" FOREIGN KEY ("source_document_id") REFERENCES "feed_document"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_proposal" ADD CONSTRAINT "fk_evacuation_proposal_dismissed_by" FOREIGN KEY ("dismissed_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_proposal" ADD CONSTRAINT "fk_evacuation_proposal_applied_by" FOREIGN KEY ("applied_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "evacuation_proposal" DROP CONSTRAINT "fk_evacuation_proposal_applied_by"`);
    await q.query(`ALTER TABLE "evacuation_proposal" DROP CONSTRAINT "fk_evacuation_proposal_dismissed_by"`);
    await q.query(
      `ALTER TABLE "evacuation_proposal" DROP CONSTRAINT "fk_evacuation_proposal_source_document"`,
    );
    await q.query(`ALTER TABLE "evacuation_proposal" DROP CONSTRAINT "fk_evacuation_proposal_order"`);
    await q.query(`ALTER TABLE "evacuation_proposal" DROP CONSTRAINT "fk_evacuation_proposal_municipality"`);
    await q.query(`DROP INDEX "public"."uq_evacuation_proposal_document"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_proposal_municipality"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_proposal_source_document"`);
    await q.query(`DROP TABLE "evacuation_proposal"`);
  }
}
