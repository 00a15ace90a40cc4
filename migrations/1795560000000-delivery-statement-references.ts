import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `delivery` keeps its references to `alert` and `endpoint` with statement-level triggers instead of foreign keys.
 * A foreign key checks every inserted row on its own (a query and a row lock per reference per row): on this box
 * that was ≈16 µs of Postgres per delivery, more than half the cost of planning it. The triggers do the same once
 * per statement, set-based:
 *
 * - after an INSERT, every alert and endpoint the new rows name is locked FOR KEY SHARE (exactly the lock a foreign
 *   key check takes, so a concurrent delete of one waits for the inserting transaction) and must exist, else
 *   SQLSTATE 23503 (foreign_key_violation) naming the old constraint, as before (the trigger's name sorts before
 *   the counters' trigger, so it runs first);
 * - a delivery's alert and endpoint never change (an UPDATE setting either to another value is refused);
 * - deleting alerts or endpoints deletes their deliveries in the same statement's transaction (ON DELETE CASCADE).
 *   An insert that locked a row before it was deleted has committed by then, so its deliveries are deleted too.
 */
/** Tables whose deleted rows take their deliveries with them, and the delivery column that refers to them. */
const CASCADES = [
  ['alert', 'alert_id'],
  ['endpoint', 'endpoint_id'],
] as const;

export class DeliveryStatementReferences1795560000000 implements MigrationInterface {
  name = 'DeliveryStatementReferences1795560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "fk_delivery_alert"`);
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "fk_delivery_endpoint"`);
    await q.query(`
      CREATE FUNCTION delivery_references_check() RETURNS trigger LANGUAGE plpgsql AS $$
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
        SELECT count(*) INTO found_endpoints
          FROM (SELECT 1 FROM endpoint e WHERE e.id = ANY (endpoints) ORDER BY e.id FOR KEY SHARE OF e) x;
        IF found_alerts < cardinality(alerts) THEN
          RAISE EXCEPTION 'delivery refers to an alert that does not exist'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_delivery_alert';
        END IF;
        IF found_endpoints < cardinality(endpoints) THEN
          RAISE EXCEPTION 'delivery refers to an endpoint that does not exist'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_delivery_endpoint';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_delivery_check_references AFTER INSERT ON delivery
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_references_check()`);
    await q.query(`
      CREATE FUNCTION delivery_references_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a delivery''s alert and endpoint never change' USING ERRCODE = 'foreign_key_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_delivery_fixed_references BEFORE UPDATE OF alert_id, endpoint_id ON delivery
        FOR EACH ROW WHEN (OLD.alert_id IS DISTINCT FROM NEW.alert_id OR OLD.endpoint_id IS DISTINCT FROM NEW.endpoint_id)
        EXECUTE FUNCTION delivery_references_fixed()`);
    for (const [table, column] of CASCADES) {
      await q.query(`
        CREATE FUNCTION delivery_cascade_${table}_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM delivery d USING old_rows o WHERE d.${column} = o.id;
          RETURN NULL;
        END $$`);
      await q.query(`
        CREATE TRIGGER trg_${table}_delete_deliveries AFTER DELETE ON ${table}
          REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_cascade_${table}_delete()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table] of CASCADES) {
      await q.query(`DROP TRIGGER trg_${table}_delete_deliveries ON ${table}`);
      await q.query(`DROP FUNCTION delivery_cascade_${table}_delete()`);
    }
    await q.query(`DROP TRIGGER trg_delivery_fixed_references ON delivery`);
    await q.query(`DROP FUNCTION delivery_references_fixed()`);
    await q.query(`DROP TRIGGER trg_delivery_check_references ON delivery`);
    await q.query(`DROP FUNCTION delivery_references_check()`);
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "fk_delivery_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "fk_delivery_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
