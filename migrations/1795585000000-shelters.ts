import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shelters (docs/shelters.md): the municipality's 指定緊急避難場所 and 指定避難所 as imported from its open-data
 * lists, the districts each serves (`shelter_area`), and every check-in (`shelter_checkin`).
 */
export class Shelters1795585000000 implements MigrationInterface {
  name = 'Shelters1795585000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "shelter" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "kind" text NOT NULL, "external_id" text NOT NULL, "name" text NOT NULL, "name_kana" text, "address" text, "latitude" double precision, "longitude" double precision, "capacity" integer, "hazards" text array NOT NULL DEFAULT '{}', "districts" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'closed', "opened_at" TIMESTAMP WITH TIME ZONE, "crowding" text, "crowding_source" text, "head_count" integer NOT NULL DEFAULT '0', "updated_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_shelter_external_id" UNIQUE ("municipality_id", "kind", "external_id"), CONSTRAINT "chk_shelter_capacity" CHECK ("capacity" >= 0), CONSTRAINT "chk_shelter_head_count" CHECK ("head_count" >= 0), CONSTRAINT "chk_shelter_hazards" CHECK ("hazards" <@ ARRAY['flood', 'landslide', 'storm_surge', 'earthquake', 'tsunami', 'large_fire', 'inland_flood', 'volcano']::text[]), CONSTRAINT "chk_shelter_crowding_source" CHECK ("crowding_source" IN ('staff', 'count')), CONSTRAINT "chk_shelter_crowding" CHECK ("crowding" IN ('available', 'somewhat_crowded', 'crowded', 'full')), CONSTRAINT "chk_shelter_status" CHECK ("status" IN ('closed', 'open')), CONSTRAINT "chk_shelter_kind" CHECK ("kind" IN ('emergency_site', 'shelter')), CONSTRAINT "PK_fa71ea731c766e25af6c091a31f" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_shelter_updated_by" ON "shelter"  ("updated_by") `);
    await q.query(`CREATE INDEX "ix_shelter_open" ON "shelter"  ("municipality_id") WHERE "status" = 'open'`);
    await q.query(
      `CREATE TABLE "shelter_area" ("shelter_id" uuid NOT NULL, "area_id" uuid NOT NULL, CONSTRAINT "PK_c4763b360ecf30c3f629347d8c8" PRIMARY KEY ("shelter_id", "area_id"))`,
    );
    await q.query(`CREATE INDEX "ix_shelter_area_area" ON "shelter_area"  ("area_id") `);
    await q.query(
      `CREATE TABLE "shelter_checkin" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "shelter_id" uuid NOT NULL, "resident_id" uuid, "household_id" uuid, "name" text, "people" integer NOT NULL DEFAULT '1', "alert_id" uuid, "checked_in_by" text NOT NULL, "operator_id" uuid, "checked_in_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_shelter_checkin_by" CHECK ("checked_in_by" IN ('self', 'staff')), CONSTRAINT "chk_shelter_checkin_people" CHECK ("people" > 0), CONSTRAINT "chk_shelter_checkin_who" CHECK ("resident_id" IS NOT NULL OR "household_id" IS NOT NULL OR "name" IS NOT NULL), CONSTRAINT "PK_dd795c477245917a9a4189ba48d" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_shelter_checkin_municipality" ON "shelter_checkin"  ("municipality_id") `,
    );
    await q.query(`CREATE INDEX "ix_shelter_checkin_operator" ON "shelter_checkin"  ("operator_id") `);
    await q.query(`CREATE INDEX "ix_shelter_checkin_alert" ON "shelter_checkin"  ("alert_id") `);
    await q.query(`CREATE INDEX "ix_shelter_checkin_household" ON "shelter_checkin"  ("household_id") `);
    await q.query(`CREATE INDEX "ix_shelter_checkin_resident" ON "shelter_checkin"  ("resident_id") `);
    await q.query(
      `CREATE INDEX "ix_shelter_checkin_shelter" ON "shelter_checkin"  ("shelter_id", "checked_in_at") `,
    );
    await q.query(
      `ALTER TABLE "shelter" ADD CONSTRAINT "fk_shelter_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter" ADD CONSTRAINT "fk_shelter_updated_by" FOREIGN KEY ("updated_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_area" ADD CONSTRAINT "fk_shelter_area_shelter" FOREIGN KEY ("shelter_id") REFERENCES "shelter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_area" ADD CONSTRAINT "fk_shelter_area_area" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_checkin" ADD CONSTRAINT "fk_shelter_checkin_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_checkin" ADD CONSTRAINT "fk_shelter_checkin_shelter" FOREIGN KEY ("shelter_id") REFERENCES "shelter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_checkin" ADD CONSTRAINT "fk_shelter_checkin_resident" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_checkin" ADD CONSTRAINT "fk_shelter_checkin_household" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_checkin" ADD CONSTRAINT "fk_shelter_checkin_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "shelter_checkin" ADD CONSTRAINT "fk_shelter_checkin_operator" FOREIGN KEY ("operator_id") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shelter_checkin" DROP CONSTRAINT "fk_shelter_checkin_operator"`);
    await q.query(`ALTER TABLE "shelter_checkin" DROP CONSTRAINT "fk_shelter_checkin_alert"`);
    await q.query(`ALTER TABLE "shelter_checkin" DROP CONSTRAINT "fk_shelter_checkin_household"`);
    await q.query(`ALTER TABLE "shelter_checkin" DROP CONSTRAINT "fk_shelter_checkin_resident"`);
    await q.query(`ALTER TABLE "shelter_checkin" DROP CONSTRAINT "fk_shelter_checkin_shelter"`);
    await q.query(`ALTER TABLE "shelter_checkin" DROP CONSTRAINT "fk_shelter_checkin_municipality"`);
    await q.query(`ALTER TABLE "shelter_area" DROP CONSTRAINT "fk_shelter_area_area"`);
    await q.query(`ALTER TABLE "shelter_area" DROP CONSTRAINT "fk_shelter_area_shelter"`);
    await q.query(`ALTER TABLE "shelter" DROP CONSTRAINT "fk_shelter_updated_by"`);
    await q.query(`ALTER TABLE "shelter" DROP CONSTRAINT "fk_shelter_municipality"`);
    await q.query(`DROP INDEX "public"."ix_shelter_checkin_shelter"`);
    await q.query(`DROP INDEX "public"."ix_shelter_checkin_resident"`);
    await q.query(`DROP INDEX "public"."ix_shelter_checkin_household"`);
    await q.query(`DROP INDEX "public"."ix_shelter_checkin_alert"`);
    await q.query(`DROP INDEX "public"."ix_shelter_checkin_operator"`);
    await q.query(`DROP INDEX "public"."ix_shelter_checkin_municipality"`);
    await q.query(`DROP TABLE "shelter_checkin"`);
    await q.query(`DROP INDEX "public"."ix_shelter_area_area"`);
    await q.query(`DROP TABLE "shelter_area"`);
    await q.query(`DROP INDEX "public"."ix_shelter_open"`);
    await q.query(`DROP INDEX "public"."ix_shelter_updated_by"`);
    await q.query(`DROP TABLE "shelter"`);
  }
}
