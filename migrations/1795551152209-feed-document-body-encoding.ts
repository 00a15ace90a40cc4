import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FeedDocumentBodyEncoding1795551152209 implements MigrationInterface {
  name = 'FeedDocumentBodyEncoding1795551152209';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "feed_document" ADD "body_encoding" text NOT NULL DEFAULT 'utf8'`);
    await q.query(
      `ALTER TABLE "feed_document" ADD CONSTRAINT "chk_feed_document_body_encoding" CHECK ("body_encoding" IN ('utf8', 'base64'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "feed_document" DROP CONSTRAINT "chk_feed_document_body_encoding"`);
    await q.query(`ALTER TABLE "feed_document" DROP COLUMN "body_encoding"`);
  }
}
