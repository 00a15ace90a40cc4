import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FeedDocumentEntries1795551042026 implements MigrationInterface {
  name = 'FeedDocumentEntries1795551042026';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "feed_document" ADD "feed_name" text`);
    await q.query(`ALTER TABLE "feed_document" ADD "entry_id" text`);
    await q.query(`ALTER TABLE "feed_document" ADD "entry_updated_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "feed_document" ADD "message" jsonb`);
    await q.query(
      `CREATE INDEX "ix_feed_document_feed_entry" ON "feed_document"  ("feed_name", "entry_updated_at") WHERE "feed_name" IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_feed_document_entry" ON "feed_document"  ("source", "entry_id") WHERE "entry_id" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."uq_feed_document_entry"`);
    await q.query(`DROP INDEX "public"."ix_feed_document_feed_entry"`);
    await q.query(`ALTER TABLE "feed_document" DROP COLUMN "message"`);
    await q.query(`ALTER TABLE "feed_document" DROP COLUMN "entry_updated_at"`);
    await q.query(`ALTER TABLE "feed_document" DROP COLUMN "entry_id"`);
    await q.query(`ALTER TABLE "feed_document" DROP COLUMN "feed_name"`);
  }
}
