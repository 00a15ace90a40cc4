import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The delivery triggers of 1795551772423-delivery-counters and 1795560000000-delivery-statement-references. */
const TRIGGERS = [
  `CREATE TRIGGER trg_delivery_check_references AFTER INSERT ON delivery
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_references_check()`,
  `CREATE TRIGGER trg_delivery_fixed_references BEFORE UPDATE OF alert_id, endpoint_id ON delivery
     FOR EACH ROW WHEN (OLD.alert_id IS DISTINCT FROM NEW.alert_id OR OLD.endpoint_id IS DISTINCT FROM NEW.endpoint_id)
     EXECUTE FUNCTION delivery_references_fixed()`,
  `CREATE TRIGGER trg_delivery_counter_insert AFTER INSERT ON delivery
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_counter_on_insert()`,
  `CREATE TRIGGER trg_delivery_counter_update AFTER UPDATE ON delivery
     REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION delivery_counter_on_update()`,
];

/**
 * `delivery` becomes a table partitioned by RANGE of `alert_id`, so that retention drops a month of old alerts'
 * deliveries as whole partitions (DETACH … CONCURRENTLY + DROP) instead of deleting rows, and every query by
 * alert reads one partition.
 *
 * Alert ids become time-ordered (`uuid_v7()`, as endpoints' already are): the first 48 bits of an id are its
 * creation time in Unix milliseconds, so the ids of a calendar month are one range,
 * `[uuid_v7_floor(month start), uuid_v7_floor(next month start))`. The key is the alert id itself: no denormalised
 * column, the unique (alert_id, endpoint_id) and every `alert_id = $1` prune to one partition unchanged.
 *
 * Partitions: one a month, `delivery_pYYYYMM` (created ahead by the fanout's `DeliveryPartitionMaintenance`), and
 * two catch-alls instead of a DEFAULT partition (PostgreSQL refuses DETACH CONCURRENTLY while a DEFAULT exists):
 * `delivery_before` (MINVALUE up to the first month) and `delivery_after` (after the last month up to MAXVALUE).
 * Every id falls in some partition, so no insert ever fails. Deliveries of alerts made before this migration (random
 * version-4 ids) are spread over the whole key space, most of them in `delivery_after`; they are moved into a month
 * partition if one is created over their range, and are otherwise not subject to retention.
 *
 * The primary key becomes (id, alert_id): a partitioned table's unique keys must contain its partition key.
 * Partitions keep fillfactor 35 (1795571000000-delivery-room-for-hot-updates). The copy of existing rows holds an
 * exclusive lock on `delivery` for its duration (one-off, during the upgrade).
 */
export class DeliveryPartitions1795593000000 implements MigrationInterface {
  name = 'DeliveryPartitions1795593000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION uuid_v7_floor(t timestamptz) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT encode(substring(int8send(floor(extract(epoch FROM t) * 1000)::bigint) FROM 3 FOR 6)
                      || '\\x00000000000000000000'::bytea, 'hex')::uuid
      $$`);
    await q.query(`ALTER TABLE "alert" ALTER COLUMN "id" SET DEFAULT uuid_v7()`);

    await q.query(`ALTER TABLE "delivery" RENAME TO "delivery_unpartitioned"`);
    await q.query(`ALTER SEQUENCE "delivery_id_seq" RENAME TO "delivery_unpartitioned_id_seq"`);
    await q.query(
      `ALTER TABLE "delivery_unpartitioned" RENAME CONSTRAINT "PK_ffad7bf84e68716cd9af89003b0" TO "pk_delivery_unpartitioned"`,
    );
    await q.query(
      `ALTER TABLE "delivery_unpartitioned" RENAME CONSTRAINT "uq_delivery_alert_endpoint" TO "uq_delivery_unpartitioned"`,
    );
    await q.query(`ALTER INDEX "ix_delivery_batch" RENAME TO "ix_delivery_unpartitioned_batch"`);
    await q.query(`ALTER INDEX "ix_delivery_endpoint" RENAME TO "ix_delivery_unpartitioned_endpoint"`);

    await q.query(`CREATE TABLE "delivery"
      (LIKE "delivery_unpartitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)
      PARTITION BY RANGE ("alert_id")`);
    await q.query(`ALTER TABLE "delivery" ADD CONSTRAINT "pk_delivery" PRIMARY KEY ("id", "alert_id")`);
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "uq_delivery_alert_endpoint" UNIQUE ("alert_id", "endpoint_id")`,
    );
    await q.query(`CREATE TABLE "delivery_before" PARTITION OF "delivery"
      FOR VALUES FROM (MINVALUE) TO (uuid_v7_floor(date_trunc('month', now()))) WITH (fillfactor = 35)`);
    await q.query(`CREATE TABLE "delivery_after" PARTITION OF "delivery"
      FOR VALUES FROM (uuid_v7_floor(date_trunc('month', now()))) TO (MAXVALUE) WITH (fillfactor = 35)`);
    await q.query(`INSERT INTO "delivery" OVERRIDING SYSTEM VALUE SELECT * FROM "delivery_unpartitioned"`);
    await q.query(`SELECT setval(pg_get_serial_sequence('delivery', 'id'), COALESCE(max(id), 0) + 1, false)
                     FROM "delivery_unpartitioned"`);
    await q.query(`CREATE INDEX "ix_delivery_batch" ON "delivery" ("alert_id", "channel", "batch_no")`);
    await q.query(`CREATE INDEX "ix_delivery_endpoint" ON "delivery" ("endpoint_id")`);
    await q.query(`DROP TABLE "delivery_unpartitioned"`);
    for (const trigger of TRIGGERS) await q.query(trigger);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "delivery_unpartitioned"
      (LIKE "delivery" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY) WITH (fillfactor = 35)`);
    await q.query(`INSERT INTO "delivery_unpartitioned" OVERRIDING SYSTEM VALUE SELECT * FROM "delivery"`);
    await q.query(`SELECT setval(pg_get_serial_sequence('delivery_unpartitioned', 'id'), COALESCE(max(id), 0) + 1, false)
                     FROM "delivery_unpartitioned"`);
    await q.query(`DROP TABLE "delivery"`);
    await q.query(`ALTER TABLE "delivery_unpartitioned" RENAME TO "delivery"`);
    await q.query(`ALTER SEQUENCE "delivery_unpartitioned_id_seq" RENAME TO "delivery_id_seq"`);
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "PK_ffad7bf84e68716cd9af89003b0" PRIMARY KEY ("id")`,
    );
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "uq_delivery_alert_endpoint" UNIQUE ("alert_id", "endpoint_id")`,
    );
    await q.query(`CREATE INDEX "ix_delivery_batch" ON "delivery" ("alert_id", "channel", "batch_no")`);
    await q.query(`CREATE INDEX "ix_delivery_endpoint" ON "delivery" ("endpoint_id")`);
    for (const trigger of TRIGGERS) await q.query(trigger);
    await q.query(`ALTER TABLE "alert" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION uuid_v7_floor(timestamptz)`);
  }
}
