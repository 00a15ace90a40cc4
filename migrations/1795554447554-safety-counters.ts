import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `safety_counter`: safety requests per alert × group × current status ('unanswered' while none), kept by
 * statement-level triggers on `safety_request` (as `delivery_counter` is on `delivery`): sharded by backend,
 * upserted in a stable order. Existing requests are counted once, into shard 0.
 */
export class SafetyCounters1795554447554 implements MigrationInterface {
  name = 'SafetyCounters1795554447554';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "safety_counter" ("alert_id" uuid NOT NULL, "target_group" text NOT NULL, "status" text NOT NULL, "shard" smallint NOT NULL, "n" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_safety_counter" PRIMARY KEY ("alert_id", "target_group", "status", "shard"))`,
    );
    await q.query(
      `ALTER TABLE "safety_counter" ADD CONSTRAINT "fk_safety_counter_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`
      CREATE FUNCTION safety_counter_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO safety_counter (alert_id, target_group, status, shard, n)
        SELECT alert_id, target_group, status, (pg_backend_pid() % 8)::smallint, sum(n)
          FROM (SELECT o.alert_id, o.target_group, COALESCE(o.current_status, 'unanswered') AS status, -1 AS n
                  FROM old_rows o
                UNION ALL
                SELECT w.alert_id, w.target_group, COALESCE(w.current_status, 'unanswered') AS status, 1 AS n
                  FROM new_rows w) t
         GROUP BY alert_id, target_group, status HAVING sum(n) <> 0 ORDER BY alert_id, target_group, status
        ON CONFLICT (alert_id, target_group, status, shard) DO UPDATE SET n = safety_counter.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION safety_counter_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO safety_counter (alert_id, target_group, status, shard, n)
        SELECT alert_id, target_group, COALESCE(current_status, 'unanswered'), (pg_backend_pid() % 8)::smallint, count(*)
          FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (alert_id, target_group, status, shard) DO UPDATE SET n = safety_counter.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_safety_counter_insert AFTER INSERT ON safety_request
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION safety_counter_on_insert()`);
    await q.query(`
      CREATE TRIGGER trg_safety_counter_update AFTER UPDATE ON safety_request
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION safety_counter_apply()`);
    await q.query(`
      INSERT INTO safety_counter (alert_id, target_group, status, shard, n)
      SELECT alert_id, target_group, COALESCE(current_status, 'unanswered'), 0, count(*) FROM safety_request GROUP BY 1, 2, 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_safety_counter_update ON safety_request`);
    await q.query(`DROP TRIGGER trg_safety_counter_insert ON safety_request`);
    await q.query(`DROP FUNCTION safety_counter_apply()`);
    await q.query(`DROP FUNCTION safety_counter_on_insert()`);
    await q.query(`DROP TABLE "safety_counter"`);
  }
}
