import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evacuation orders (docs/evacuation.md): `evacuation_order`, the districts each covers now
 * (`evacuation_order_district`, with the partial index on issued orders for the one in-force query) and the
 * append-only history of every step with the alert its message became (`evacuation_order_history`).
 */
export class EvacuationOrders1795587000000 implements MigrationInterface {
  name = 'EvacuationOrders1795587000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "evacuation_order" ("id" uuid NOT NULL DEFAULT uuid_v7(), "municipality_id" uuid NOT NULL, "hazard" text NOT NULL, "level" smallint NOT NULL, "whole_municipality" boolean NOT NULL DEFAULT false, "status" text NOT NULL DEFAULT 'draft', "created_by" uuid, "issued_at" TIMESTAMP WITH TIME ZONE, "lifted_at" TIMESTAMP WITH TIME ZONE, "retracted_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', "source" text NOT NULL DEFAULT 'operator', "source_document_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_evacuation_order_version" CHECK ("version" >= 1), CONSTRAINT "chk_evacuation_order_source" CHECK ("source" IN ('operator', 'feed')), CONSTRAINT "chk_evacuation_order_status" CHECK ("status" IN ('draft', 'issued', 'lifted', 'retracted', 'discarded')), CONSTRAINT "chk_evacuation_order_level" CHECK ("level" IN (3, 4, 5)), CONSTRAINT "chk_evacuation_order_hazard" CHECK ("hazard" IN ('heavy_rain', 'landslide', 'inundation', 'flood', 'storm_surge', 'tsunami', 'earthquake', 'other')), CONSTRAINT "PK_13b9e3edf0b967f82c18167f3d8" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_evacuation_order_source_document" ON "evacuation_order"  ("source_document_id") `,
    );
    await q.query(`CREATE INDEX "ix_evacuation_order_created_by" ON "evacuation_order"  ("created_by") `);
    await q.query(
      `CREATE INDEX "ix_evacuation_order_in_force" ON "evacuation_order"  ("municipality_id") WHERE "status" = 'issued'`,
    );
    await q.query(
      `CREATE INDEX "ix_evacuation_order_municipality" ON "evacuation_order"  ("municipality_id", "status", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "evacuation_order_district" ("order_id" uuid NOT NULL, "area_id" uuid NOT NULL, CONSTRAINT "PK_e92587bf629a9a7e419de43ac14" PRIMARY KEY ("order_id", "area_id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_evacuation_order_district_area" ON "evacuation_order_district"  ("area_id") `,
    );
    await q.query(
      `CREATE TABLE "evacuation_order_history" ("id" uuid NOT NULL DEFAULT uuid_v7(), "order_id" uuid NOT NULL, "version" integer NOT NULL, "action" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" text NOT NULL, "from_status" text NOT NULL, "to_status" text NOT NULL, "level" smallint NOT NULL, "previous_level" smallint, "whole_municipality" boolean NOT NULL, "district_codes" text array NOT NULL DEFAULT '{}', "changed_district_codes" text array NOT NULL DEFAULT '{}', "message_kind" text, "reason" text, "alert_id" uuid, CONSTRAINT "uq_evacuation_order_history_version" UNIQUE ("order_id", "version"), CONSTRAINT "chk_evacuation_order_history_message_kind" CHECK ("message_kind" IN ('issue', 'raise', 'lower', 'extend', 'shrink', 'lift', 'retract')), CONSTRAINT "chk_evacuation_order_history_previous_level" CHECK ("previous_level" IN (3, 4, 5)), CONSTRAINT "chk_evacuation_order_history_level" CHECK ("level" IN (3, 4, 5)), CONSTRAINT "chk_evacuation_order_history_to" CHECK ("to_status" IN ('draft', 'issued', 'lifted', 'retracted', 'discarded')), CONSTRAINT "chk_evacuation_order_history_from" CHECK ("from_status" IN ('draft', 'issued', 'lifted', 'retracted', 'discarded')), CONSTRAINT "chk_evacuation_order_history_action" CHECK ("action" IN ('issue', 'change_level', 'add_districts', 'remove_districts', 'lift', 'retract', 'discard')), CONSTRAINT "PK_083f77001c56beaa2f9c9bb0e86" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_evacuation_order_history_alert" ON "evacuation_order_history"  ("alert_id") `,
    );
    await q.query(
      `ALTER TABLE "evacuation_order" ADD CONSTRAINT "fk_evacuation_order_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order" ADD CONSTRAINT "fk_evacuation_order_created_by" FOREIGN KEY ("created_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order" ADD CONSTRAINT "fk_evacuation_order_source_document" FOREIGN KEY ("source_document_id") REFERENCES "feed_document"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order_district" ADD CONSTRAINT "fk_evacuation_order_district_order" FOREIGN KEY ("order_id") REFERENCES "evacuation_order"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order_district" ADD CONSTRAINT "fk_evacuation_order_district_area" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order_history" ADD CONSTRAINT "fk_evacuation_order_history_order" FOREIGN KEY ("order_id") REFERENCES "evacuation_order"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order_history" ADD CONSTRAINT "fk_evacuation_order_history_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "evacuation_order_history" DROP CONSTRAINT "fk_evacuation_order_history_alert"`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order_history" DROP CONSTRAINT "fk_evacuation_order_history_order"`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order_district" DROP CONSTRAINT "fk_evacuation_order_district_area"`,
    );
    await q.query(
      `ALTER TABLE "evacuation_order_district" DROP CONSTRAINT "fk_evacuation_order_district_order"`,
    );
    await q.query(`ALTER TABLE "evacuation_order" DROP CONSTRAINT "fk_evacuation_order_source_document"`);
    await q.query(`ALTER TABLE "evacuation_order" DROP CONSTRAINT "fk_evacuation_order_created_by"`);
    await q.query(`ALTER TABLE "evacuation_order" DROP CONSTRAINT "fk_evacuation_order_municipality"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_order_history_alert"`);
    await q.query(`DROP TABLE "evacuation_order_history"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_order_district_area"`);
    await q.query(`DROP TABLE "evacuation_order_district"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_order_municipality"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_order_in_force"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_order_created_by"`);
    await q.query(`DROP INDEX "public"."ix_evacuation_order_source_document"`);
    await q.query(`DROP TABLE "evacuation_order"`);
  }
}
