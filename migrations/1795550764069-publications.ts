import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Publications1795550764069 implements MigrationInterface {
  name = 'Publications1795550764069';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "publication" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "target" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "attempts" smallint NOT NULL DEFAULT '0', "text" text, "provider_id" text, "error_code" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "posted_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_publication_alert_target" UNIQUE ("alert_id", "target"), CONSTRAINT "chk_publication_status" CHECK ("status" IN ('queued', 'posted', 'failed')), CONSTRAINT "chk_publication_target" CHECK ("target" IN ('line_broadcast', 'x')), CONSTRAINT "PK_8aea8363d5213896a78d8365fab" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `ALTER TABLE "publication" ADD CONSTRAINT "fk_publication_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "publication" DROP CONSTRAINT "fk_publication_alert"`);
    await q.query(`DROP TABLE "publication"`);
  }
}
