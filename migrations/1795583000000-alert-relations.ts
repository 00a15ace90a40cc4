import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An alert's relations to other alerts are columns: a correction's `supersedes_alert_id` (renamed from
 * `supersedes_id`) and a cancellation notice's `cancels_alert_id`, which used to be the `cancellationOf` key inside
 * its targeting JSON. Existing notices move to the column and take the withdrawn alert's targeting (their audience
 * is who that alert reached); a key naming no alert is dropped.
 */
export class AlertRelations1795583000000 implements MigrationInterface {
  name = 'AlertRelations1795583000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "alert" RENAME COLUMN "supersedes_id" TO "supersedes_alert_id"`);
    await q.query(`ALTER TABLE "alert" ADD "cancels_alert_id" uuid`);
    await q.query(
      `UPDATE "alert" n SET "cancels_alert_id" = o."id", "targeting" = o."targeting"
         FROM "alert" o
        WHERE n."targeting" ? 'cancellationOf' AND o."id"::text = n."targeting"->>'cancellationOf'`,
    );
    await q.query(
      `UPDATE "alert" SET "targeting" = "targeting" - 'cancellationOf' WHERE "targeting" ? 'cancellationOf'`,
    );
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_cancels" FOREIGN KEY ("cancels_alert_id") REFERENCES "alert"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(`CREATE INDEX "ix_alert_supersedes" ON "alert" ("supersedes_alert_id") `);
    await q.query(`CREATE INDEX "ix_alert_cancels" ON "alert" ("cancels_alert_id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."ix_alert_cancels"`);
    await q.query(`DROP INDEX "public"."ix_alert_supersedes"`);
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_cancels"`);
    await q.query(
      `UPDATE "alert" SET "targeting" = jsonb_build_object('cancellationOf', "cancels_alert_id"::text)
        WHERE "cancels_alert_id" IS NOT NULL`,
    );
    await q.query(`ALTER TABLE "alert" DROP COLUMN "cancels_alert_id"`);
    await q.query(`ALTER TABLE "alert" RENAME COLUMN "supersedes_alert_id" TO "supersedes_id"`);
  }
}
