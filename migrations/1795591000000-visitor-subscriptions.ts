import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The reference check of migration 1795560000000, with endpoints found in `endpoint` or in `$visitors`. */
function referencesCheck(visitors: boolean): string {
  const endpoints = visitors
    ? `SELECT e.id FROM endpoint e WHERE e.id = ANY (endpoints)
                   UNION ALL SELECT v.id FROM visitor_subscription v WHERE v.id = ANY (endpoints)`
    : `SELECT e.id FROM endpoint e WHERE e.id = ANY (endpoints)`;
  const lock = visitors
    ? `PERFORM 1 FROM visitor_subscription v WHERE v.id = ANY (endpoints) ORDER BY v.id FOR KEY SHARE OF v;`
    : '';
  return `
      CREATE OR REPLACE FUNCTION delivery_references_check() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        alerts uuid[];
        endpoints uuid[];
        found_alerts int;
        found_endpoints int;
      BEGIN
        SELECT array_agg(DISTINCT alert_id), array_agg(DISTINCT endpoint_id) INTO alerts, endpoints FROM new_rows;
        IF alerts IS NULL THEN
          RETURN NULL;
        END IF;
        SELECT count(*) INTO found_alerts
          FROM (SELECT 1 FROM alert a WHERE a.id = ANY (alerts) ORDER BY a.id FOR KEY SHARE OF a) x;
        PERFORM 1 FROM endpoint e WHERE e.id = ANY (endpoints) ORDER BY e.id FOR KEY SHARE OF e;
        ${lock}
        SELECT count(*) INTO found_endpoints FROM (${endpoints}) x;
        IF found_alerts < cardinality(alerts) THEN
          RAISE EXCEPTION 'delivery refers to an alert that does not exist'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_delivery_alert';
        END IF;
        IF found_endpoints < cardinality(endpoints) THEN
          RAISE EXCEPTION 'delivery refers to an endpoint that does not exist'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_delivery_endpoint';
        END IF;
        RETURN NULL;
      END $$`;
}

/**
 * Visitor subscriptions (issue 21), apart from the roster. Their deliveries are ordinary `delivery` rows whose
 * `endpoint_id` names the subscription (ids are UUIDv7 from one generator, so they never equal an endpoint's):
 * the reference check of `delivery` accepts an id of either table, and deleting a subscription deletes its
 * deliveries, as deleting an endpoint does.
 */
export class VisitorSubscriptions1795591000000 implements MigrationInterface {
  name = 'VisitorSubscriptions1795591000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "visitor_subscription" ("id" uuid NOT NULL DEFAULT uuid_v7(), "municipality_id" uuid NOT NULL, "area_ids" uuid array NOT NULL, "endpoint" text NOT NULL, "keys" jsonb NOT NULL, "language" text NOT NULL DEFAULT 'ja', "secret_hash" text NOT NULL, "status" text NOT NULL DEFAULT 'active', "dead_reason" text, "dead_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_visitor_subscription_endpoint" UNIQUE ("endpoint"), CONSTRAINT "chk_visitor_subscription_areas" CHECK (cardinality("area_ids") > 0), CONSTRAINT "chk_visitor_subscription_language" CHECK ("language" IN ('ja', 'ja-easy', 'en')), CONSTRAINT "chk_visitor_subscription_status" CHECK ("status" IN ('active', 'dead')), CONSTRAINT "PK_bea9e6c16780b24e347f52c03fb" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_visitor_subscription_plan" ON "visitor_subscription"  ("municipality_id", "id") WHERE "status" = 'active'`,
    );
    await q.query(
      `ALTER TABLE "visitor_subscription" ADD CONSTRAINT "fk_visitor_subscription_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(referencesCheck(true));
    await q.query(`
      CREATE FUNCTION delivery_cascade_visitor_subscription_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM delivery d USING old_rows o WHERE d.endpoint_id = o.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_visitor_subscription_delete_deliveries AFTER DELETE ON visitor_subscription
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION delivery_cascade_visitor_subscription_delete()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM delivery d USING visitor_subscription v WHERE d.endpoint_id = v.id`);
    await q.query(`DROP TRIGGER trg_visitor_subscription_delete_deliveries ON visitor_subscription`);
    await q.query(`DROP FUNCTION delivery_cascade_visitor_subscription_delete()`);
    await q.query(referencesCheck(false));
    await q.query(
      `ALTER TABLE "visitor_subscription" DROP CONSTRAINT "fk_visitor_subscription_municipality"`,
    );
    await q.query(`DROP INDEX "public"."ix_visitor_subscription_plan"`);
    await q.query(`DROP TABLE "visitor_subscription"`);
  }
}
