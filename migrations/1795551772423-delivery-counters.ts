import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `delivery_counter`: deliveries per alert × channel × status, kept by statement-level triggers on `delivery` with
 * transition tables. One trigger run per statement (a planning chunk, a batch's outcomes, a cancel, a group commit
 * of acks) adds the statement's net change per (alert, channel, status), in a stable order so that concurrent
 * statements never deadlock on the counters; the shard (backend pid mod 8) keeps concurrent batches of one alert
 * off each other's rows. Existing deliveries are counted once, into shard 0.
 */
export class DeliveryCounters1795551772423 implements MigrationInterface {
  name = 'DeliveryCounters1795551772423';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "delivery_counter" ("alert_id" uuid NOT NULL, "channel" text NOT NULL, "status" text NOT NULL, "shard" smallint NOT NULL, "n" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_a3498f452d237e9b3878472f014" PRIMARY KEY ("alert_id", "channel", "status", "shard"))`,
    );
    await q.query(
      `ALTER TABLE "delivery_counter" ADD CONSTRAINT "fk_delivery_counter_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`
      CREATE FUNCTION delivery_counter_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO delivery_counter (alert_id, channel, status, shard, n)
        SELECT alert_id, channel, status, (pg_backend_pid() % 8)::smallint, count(*)
          FROM new_rows GROUP BY alert_id, channel, status ORDER BY alert_id, channel, status
        ON CONFLICT (alert_id, channel, status, shard) DO UPDATE SET n = delivery_counter.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION delivery_counter_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO delivery_counter (alert_id, channel, status, shard, n)
        SELECT alert_id, channel, status, (pg_backend_pid() % 8)::smallint, sum(n)
          FROM (SELECT o.alert_id, o.channel, o.status, -1 AS n FROM old_rows o
                UNION ALL
                SELECT w.alert_id, w.channel, w.status, 1 AS n FROM new_rows w) t
         GROUP BY alert_id, channel, status HAVING sum(n) <> 0 ORDER BY alert_id, channel, status
        ON CONFLICT (alert_id, channel, status, shard) DO UPDATE SET n = delivery_counter.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_delivery_counter_insert AFTER INSERT ON delivery
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_counter_on_insert()`);
    await q.query(`
      CREATE TRIGGER trg_delivery_counter_update AFTER UPDATE ON delivery
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION delivery_counter_on_update()`);
    await q.query(`
      INSERT INTO delivery_counter (alert_id, channel, status, shard, n)
      SELECT alert_id, channel, status, 0, count(*) FROM delivery GROUP BY alert_id, channel, status`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_delivery_counter_update ON delivery`);
    await q.query(`DROP TRIGGER trg_delivery_counter_insert ON delivery`);
    await q.query(`DROP FUNCTION delivery_counter_on_update()`);
    await q.query(`DROP FUNCTION delivery_counter_on_insert()`);
    await q.query(`DROP TABLE "delivery_counter"`);
  }
}
