import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FeedRules1795551809653 implements MigrationInterface {
  name = 'FeedRules1795551809653';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "feed_event_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "event_key" text NOT NULL, "rule_id" text NOT NULL, "alert_id" uuid, "event_id" uuid, "severity" text NOT NULL, "kinds" text array NOT NULL DEFAULT '{}', "alerted_at" TIMESTAMP WITH TIME ZONE, "stream" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_feed_event_alert" UNIQUE ("municipality_id", "event_key", "rule_id"), CONSTRAINT "PK_af2d2d1559a8f1d508de62084fa" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_feed_event_alert_alert" ON "feed_event_alert"  ("alert_id") `);
    await q.query(`CREATE INDEX "ix_feed_event_alert_event" ON "feed_event_alert"  ("event_id") `);
    await q.query(
      `CREATE TABLE "feed_rule_set" ("municipality_id" uuid NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8f5accb432f554ad9d8c16741ba" PRIMARY KEY ("municipality_id"))`,
    );
    await q.query(
      `CREATE TABLE "feed_rule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "rule_id" text NOT NULL, "position" integer NOT NULL, "rule" jsonb NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "updated_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_feed_rule_municipality_rule" UNIQUE ("municipality_id", "rule_id"), CONSTRAINT "PK_66c893749a5bf9624d40438821e" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_feed_rule_updated_by" ON "feed_rule"  ("updated_by") `);
    await q.query(`ALTER TABLE "event" ADD "latest_key" text`);
    await q.query(
      `ALTER TABLE "feed_event_alert" ADD CONSTRAINT "fk_feed_event_alert_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "feed_event_alert" ADD CONSTRAINT "fk_feed_event_alert_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "feed_event_alert" ADD CONSTRAINT "fk_feed_event_alert_event" FOREIGN KEY ("event_id") REFERENCES "event"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "feed_rule_set" ADD CONSTRAINT "fk_feed_rule_set_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "feed_rule" ADD CONSTRAINT "fk_feed_rule_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "feed_rule" ADD CONSTRAINT "fk_feed_rule_updated_by" FOREIGN KEY ("updated_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "feed_rule" DROP CONSTRAINT "fk_feed_rule_updated_by"`);
    await q.query(`ALTER TABLE "feed_rule" DROP CONSTRAINT "fk_feed_rule_municipality"`);
    await q.query(`ALTER TABLE "feed_rule_set" DROP CONSTRAINT "fk_feed_rule_set_municipality"`);
    await q.query(`ALTER TABLE "feed_event_alert" DROP CONSTRAINT "fk_feed_event_alert_event"`);
    await q.query(`ALTER TABLE "feed_event_alert" DROP CONSTRAINT "fk_feed_event_alert_alert"`);
    await q.query(`ALTER TABLE "feed_event_alert" DROP CONSTRAINT "fk_feed_event_alert_municipality"`);
    await q.query(`ALTER TABLE "event" DROP COLUMN "latest_key"`);
    await q.query(`DROP INDEX "public"."ix_feed_rule_updated_by"`);
    await q.query(`DROP TABLE "feed_rule"`);
    await q.query(`DROP TABLE "feed_rule_set"`);
    await q.query(`DROP INDEX "public"."ix_feed_event_alert_event"`);
    await q.query(`DROP INDEX "public"."ix_feed_event_alert_alert"`);
    await q.query(`DROP TABLE "feed_event_alert"`);
  }
}
