import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leases of fanout processes: each registers in `fanout_instance` and renews its heartbeat; a delivery being sent
 * names its sender in `delivery.claimed_by`. Once a sender's lease lapses (it was killed), its claimed rows are
 * released and sent again at once, by exactly one job, instead of waiting for the job lock and the sweeper.
 * `claimed_by` has no index, so a claim and its outcome stay HOT updates.
 */
export class FanoutLeases1795580000000 implements MigrationInterface {
  name = 'FanoutLeases1795580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "fanout_instance" (
      "id" uuid NOT NULL,
      "host" text NOT NULL,
      "pid" integer NOT NULL,
      "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "heartbeat_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_fanout_instance" PRIMARY KEY ("id"))`);
    await q.query(`ALTER TABLE "delivery" ADD "claimed_by" uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "delivery" DROP COLUMN "claimed_by"`);
    await q.query(`DROP TABLE "fanout_instance"`);
  }
}
