import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transaction that writes outbox rows NOTIFYs `bousai_outbox` as it commits (a statement trigger; Postgres
 * folds a transaction's identical notifications into one), so fanout relays LISTENing start relaying at once
 * instead of at their next poll: the first delivery of an alert no longer waits up to FANOUT_RELAY_POLL_MS.
 * The poll stays, for rows that come due later (retries) and for a relay whose listening connection is down.
 */
export class OutboxNotify1795572000000 implements MigrationInterface {
  name = 'OutboxNotify1795572000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('bousai_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER trg_outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
  }
}
