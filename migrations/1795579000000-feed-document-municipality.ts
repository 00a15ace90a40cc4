import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A relayed document remembers the municipality whose relay key signed it, so its failures are shown to that
 * municipality's operators only (issue 17: one municipality's relay failures were visible to every other).
 */
export class FeedDocumentMunicipality1795579000000 implements MigrationInterface {
  name = 'FeedDocumentMunicipality1795579000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "feed_document" ADD "municipality_id" uuid`);
    await q.query(
      `CREATE INDEX "ix_feed_document_municipality_failed" ON "feed_document"  ("municipality_id", "received_at") WHERE "parse_status" = 'failed'`,
    );
    await q.query(
      `ALTER TABLE "feed_document" ADD CONSTRAINT "fk_feed_document_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "feed_document" DROP CONSTRAINT "fk_feed_document_municipality"`);
    await q.query(`DROP INDEX "public"."ix_feed_document_municipality_failed"`);
    await q.query(`ALTER TABLE "feed_document" DROP COLUMN "municipality_id"`);
  }
}
