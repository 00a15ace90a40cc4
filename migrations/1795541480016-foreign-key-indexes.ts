import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ForeignKeyIndexes1795541480016 implements MigrationInterface {
  name = 'ForeignKeyIndexes1795541480016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_enrolment_code_resident" ON "enrolment_code"  ("resident_id") `);
    await q.query(
      `CREATE INDEX "ix_supporter_supporter_resident" ON "supporter"  ("supporter_resident_id") `,
    );
    await q.query(`CREATE INDEX "ix_escalation_task_supporter" ON "escalation_task"  ("supporter_id") `);
    await q.query(`CREATE INDEX "ix_escalation_task_resident" ON "escalation_task"  ("resident_id") `);
    await q.query(`CREATE INDEX "ix_feed_document_event" ON "feed_document"  ("event_id") `);
    await q.query(`CREATE INDEX "ix_safety_request_resident" ON "safety_request"  ("resident_id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."ix_safety_request_resident"`);
    await q.query(`DROP INDEX "public"."ix_feed_document_event"`);
    await q.query(`DROP INDEX "public"."ix_escalation_task_resident"`);
    await q.query(`DROP INDEX "public"."ix_escalation_task_supporter"`);
    await q.query(`DROP INDEX "public"."ix_supporter_supporter_resident"`);
    await q.query(`DROP INDEX "public"."ix_enrolment_code_resident"`);
  }
}
