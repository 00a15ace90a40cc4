import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795540564914 implements MigrationInterface {
  name = 'InitialSchema1795540564914';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source" text NOT NULL, "identity_key" text NOT NULL, "kind" text, "title" text, "status" text NOT NULL DEFAULT 'active', "latest_serial" text, "latest_report_at" TIMESTAMP WITH TIME ZONE, "latest_info_type" text, "latest_document_id" uuid, "revisions" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_event_identity" UNIQUE ("source", "identity_key"), CONSTRAINT "chk_event_status" CHECK ("status" IN ('active', 'cancelled')), CONSTRAINT "chk_event_source" CHECK ("source" IN ('jma_pull', 'jalert', 'cap')), CONSTRAINT "PK_30c2f3bbaf6d34a55f8ae6e4614" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "municipality" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "name_kana" text, "jma_city_codes" text array NOT NULL DEFAULT '{}', "jma_quake_area_codes" text array NOT NULL DEFAULT '{}', "jma_tsunami_area_codes" text array NOT NULL DEFAULT '{}', "jma_eew_area_codes" text array NOT NULL DEFAULT '{}', "settings" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_municipality_code" UNIQUE ("code"), CONSTRAINT "PK_281ad341f20df7c41b83a182e2a" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "operator" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "email" text NOT NULL, "display_name" text, "password_hash" text NOT NULL, "role" text NOT NULL, "disabled" boolean NOT NULL DEFAULT false, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_operator_role" CHECK ("role" IN ('viewer', 'operator', 'approver', 'admin')), CONSTRAINT "PK_8b950e1572745d9f69be7748ae8" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "source" text NOT NULL, "event_id" uuid, "template_key" text, "texts" jsonb NOT NULL DEFAULT '{}', "severity" text NOT NULL, "targeting" jsonb NOT NULL DEFAULT '{}', "channels" text array NOT NULL, "is_drill" boolean NOT NULL DEFAULT false, "safety_request" boolean NOT NULL DEFAULT false, "status" text NOT NULL DEFAULT 'draft', "created_by" uuid, "approved_by" uuid, "cancelled_by" uuid, "supersedes_id" uuid, "idempotency_key" text, "counters" jsonb NOT NULL DEFAULT '{}', "expires_at" TIMESTAMP WITH TIME ZONE, "submitted_at" TIMESTAMP WITH TIME ZONE, "approved_at" TIMESTAMP WITH TIME ZONE, "dispatched_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_alert_severity" CHECK ("severity" IN ('extreme', 'severe', 'moderate', 'minor', 'unknown')), CONSTRAINT "chk_alert_source" CHECK ("source" IN ('operator', 'jma', 'jalert', 'cap')), CONSTRAINT "chk_alert_status" CHECK ("status" IN ('draft', 'pending_approval', 'approved', 'dispatching', 'sent', 'closed', 'cancelled', 'superseded')), CONSTRAINT "PK_ad91cad659a3536465d564a4b2f" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_alert_idempotency" ON "alert"  ("municipality_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "ix_alert_event" ON "alert"  ("event_id") `);
    await q.query(
      `CREATE INDEX "ix_alert_municipality_created" ON "alert"  ("municipality_id", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "area" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "code" text NOT NULL, "name" text NOT NULL, "name_kana" text, "jma_city_code" text, "jma_quake_area_code" text, "jma_tsunami_area_code" text, "jma_eew_area_code" text, "polygon" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_area_municipality_code" UNIQUE ("municipality_id", "code"), CONSTRAINT "PK_39d5e4de490139d6535d75f42ff" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "municipality_id" uuid, "actor_type" text NOT NULL, "actor_id" uuid, "action" text NOT NULL, "target_type" text, "target_ids" text array NOT NULL DEFAULT '{}', "details" jsonb NOT NULL DEFAULT '{}', "request_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_audit_log_actor_type" CHECK ("actor_type" IN ('operator', 'resident', 'receiver', 'system')), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_audit_log_municipality_time" ON "audit_log"  ("municipality_id", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "household" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "external_id" text NOT NULL, "area_id" uuid, "address" text NOT NULL, "postal_code" text, "phone" text, "latitude" double precision, "longitude" double precision, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_household_external" UNIQUE ("municipality_id", "external_id"), CONSTRAINT "PK_26e9111eab2b8908fefe3c645f5" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_household_area" ON "household"  ("municipality_id", "area_id") `);
    await q.query(
      `CREATE TABLE "resident" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "external_id" text NOT NULL, "household_id" uuid, "name" text NOT NULL, "name_kana" text, "language" text NOT NULL DEFAULT 'ja', "needs_assistance" boolean NOT NULL DEFAULT false, "staff" boolean NOT NULL DEFAULT false, "consent_scopes" text array NOT NULL DEFAULT '{alerts}', "consent_at" TIMESTAMP WITH TIME ZONE, "phone" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_resident_external" UNIQUE ("municipality_id", "external_id"), CONSTRAINT "chk_resident_language" CHECK ("language" IN ('ja', 'ja-easy', 'en', 'zh-CN', 'zh-TW', 'ko', 'vi', 'pt', 'ne', 'tl', 'id', 'es', 'th')), CONSTRAINT "PK_f1a321823d6f69d0e348535fd37" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_resident_staff" ON "resident"  ("municipality_id") WHERE "staff"`);
    await q.query(
      `CREATE INDEX "ix_resident_needs_assistance" ON "resident"  ("municipality_id") WHERE "needs_assistance"`,
    );
    await q.query(`CREATE INDEX "ix_resident_household" ON "resident"  ("household_id") `);
    await q.query(
      `CREATE TABLE "endpoint" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "resident_id" uuid, "household_id" uuid, "channel" text NOT NULL, "address" text NOT NULL, "subscription" jsonb, "secret_hash" text, "status" text NOT NULL DEFAULT 'active', "dead_reason" text, "dead_at" TIMESTAMP WITH TIME ZONE, "last_seen_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "battery_percent" smallint, "signal_dbm" smallint, "firmware" text, "label" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_endpoint_channel_address" UNIQUE ("channel", "address"), CONSTRAINT "chk_endpoint_receiver_secret" CHECK ("channel" <> 'receiver' OR "secret_hash" IS NOT NULL), CONSTRAINT "chk_endpoint_owner" CHECK ("resident_id" IS NOT NULL OR "household_id" IS NOT NULL), CONSTRAINT "chk_endpoint_status" CHECK ("status" IN ('active', 'dead')), CONSTRAINT "chk_endpoint_channel" CHECK ("channel" IN ('fcm', 'webpush', 'receiver', 'email', 'line')), CONSTRAINT "PK_7785c5c2cf24e6ab3abb7a2e89f" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_endpoint_plan" ON "endpoint"  ("municipality_id", "channel", "id") WHERE "status" = 'active'`,
    );
    await q.query(`CREATE INDEX "ix_endpoint_household" ON "endpoint"  ("household_id") `);
    await q.query(`CREATE INDEX "ix_endpoint_resident" ON "endpoint"  ("resident_id") `);
    await q.query(
      `CREATE TABLE "delivery" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "alert_id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "channel" text NOT NULL, "batch_no" integer NOT NULL, "status" text NOT NULL DEFAULT 'queued', "language" text, "attempts" smallint NOT NULL DEFAULT '0', "provider_message_id" text, "error_code" text, "queued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "device_delivered_at" TIMESTAMP WITH TIME ZONE, "played_at" TIMESTAMP WITH TIME ZONE, "device_play_started_at" TIMESTAMP WITH TIME ZONE, "device_play_ended_at" TIMESTAMP WITH TIME ZONE, "play_volume" smallint, "read_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_delivery_alert_endpoint" UNIQUE ("alert_id", "endpoint_id"), CONSTRAINT "chk_delivery_status" CHECK ("status" IN ('queued', 'sent', 'delivered', 'played', 'read', 'failed', 'expired', 'cancelled')), CONSTRAINT "chk_delivery_channel" CHECK ("channel" IN ('fcm', 'webpush', 'receiver', 'email', 'line')), CONSTRAINT "PK_ffad7bf84e68716cd9af89003b0" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_delivery_endpoint" ON "delivery"  ("endpoint_id", "status") `);
    await q.query(`CREATE INDEX "ix_delivery_batch" ON "delivery"  ("alert_id", "channel", "batch_no") `);
    await q.query(
      `CREATE TABLE "enrolment_code" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "resident_id" uuid NOT NULL, "municipality_id" uuid NOT NULL, "code_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_362e921aa34ed276222c685dba0" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_enrolment_code_hash" ON "enrolment_code"  ("code_hash") `);
    await q.query(
      `CREATE TABLE "supporter" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "supporter_resident_id" uuid, "name" text NOT NULL, "relation" text NOT NULL, "phone" text, "email" text, "priority" smallint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_supporter_priority" UNIQUE ("resident_id", "priority"), CONSTRAINT "chk_supporter_priority" CHECK ("priority" >= 1), CONSTRAINT "chk_supporter_relation" CHECK ("relation" IN ('family', 'neighbour', 'welfare_commissioner', 'staff', 'other')), CONSTRAINT "PK_b4ea149cf1b7423bc33bbb0a74a" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "escalation_task" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "supporter_id" uuid, "step" text NOT NULL, "state" text NOT NULL DEFAULT 'pending', "outcome" text, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_escalation_task_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('safe', 'needs_help', 'not_home')), CONSTRAINT "chk_escalation_task_state" CHECK ("state" IN ('pending', 'open', 'done', 'cancelled')), CONSTRAINT "chk_escalation_task_step" CHECK ("step" IN ('resend', 'supporter', 'staff_follow_up')), CONSTRAINT "PK_a87c9b0239ea29ec448b8288ad8" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_escalation_task_alert" ON "escalation_task"  ("alert_id", "resident_id") `,
    );
    await q.query(`CREATE INDEX "ix_escalation_task_due" ON "escalation_task"  ("state", "due_at") `);
    await q.query(
      `CREATE TABLE "feed_document" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source" text NOT NULL, "sha256" text NOT NULL, "url" text, "content_type" text, "body" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "parse_status" text NOT NULL DEFAULT 'pending', "parse_error_code" text, "parse_error" text, "parsed_at" TIMESTAMP WITH TIME ZONE, "kind" text, "event_id" uuid, CONSTRAINT "uq_feed_document_sha256" UNIQUE ("sha256"), CONSTRAINT "chk_feed_document_parse_status" CHECK ("parse_status" IN ('pending', 'parsed', 'failed', 'duplicate')), CONSTRAINT "chk_feed_document_source" CHECK ("source" IN ('jma_pull', 'jalert', 'cap')), CONSTRAINT "PK_a0376db166243e0cf7c437b33fe" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_feed_document_failed" ON "feed_document"  ("received_at") WHERE "parse_status" = 'failed'`,
    );
    await q.query(`CREATE INDEX "ix_feed_document_received" ON "feed_document"  ("received_at") `);
    await q.query(
      `CREATE TABLE "operator_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "operator_id" uuid NOT NULL, "refresh_token_hash" text NOT NULL, "previous_token_hashes" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3d0dc224191e7dc8af380a42b0c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_operator_session_operator" ON "operator_session"  ("operator_id") `);
    await q.query(
      `CREATE UNIQUE INDEX "uq_operator_session_token" ON "operator_session"  ("refresh_token_hash") `,
    );
    await q.query(
      `CREATE TABLE "outbox" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "topic" text NOT NULL, "payload" jsonb NOT NULL, "job_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "dispatched_at" TIMESTAMP WITH TIME ZONE, "last_error" text, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_outbox_pending" ON "outbox"  ("available_at", "id") WHERE "dispatched_at" IS NULL`,
    );
    await q.query(
      `CREATE TABLE "resident_credential" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "resident_id" uuid NOT NULL, "municipality_id" uuid NOT NULL, "token_hash" text NOT NULL, "device_label" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0832ac03b6e6006c8a3abda6298" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_resident_credential_resident" ON "resident_credential"  ("resident_id") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_resident_credential_token" ON "resident_credential"  ("token_hash") `,
    );
    await q.query(
      `CREATE TABLE "safety_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "target_group" text NOT NULL, "current_status" text, "answered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_safety_request_alert_resident" UNIQUE ("alert_id", "resident_id"), CONSTRAINT "chk_safety_request_status" CHECK ("current_status" IS NULL OR "current_status" IN ('safe', 'need_help', 'injured', 'other')), CONSTRAINT "PK_649b8f3a699d2a086c9b2f9e099" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_safety_request_status" ON "safety_request"  ("alert_id", "current_status") `,
    );
    await q.query(
      `CREATE TABLE "safety_response" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "safety_request_id" uuid NOT NULL, "status" text NOT NULL, "note" text, "latitude" double precision, "longitude" double precision, "channel" text NOT NULL, "recorded_by" uuid, "responded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "device_time" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_safety_response_channel" CHECK ("channel" IN ('app', 'pwa', 'link', 'receiver', 'phone', 'visit')), CONSTRAINT "chk_safety_response_status" CHECK ("status" IN ('safe', 'need_help', 'injured', 'other')), CONSTRAINT "PK_69287164441bfde6b89453fbaf7" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_safety_response_request" ON "safety_response"  ("safety_request_id", "responded_at") `,
    );
    await q.query(
      `ALTER TABLE "operator" ADD CONSTRAINT "fk_operator_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_event" FOREIGN KEY ("event_id") REFERENCES "event"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_created_by" FOREIGN KEY ("created_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_approved_by" FOREIGN KEY ("approved_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_cancelled_by" FOREIGN KEY ("cancelled_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_supersedes" FOREIGN KEY ("supersedes_id") REFERENCES "alert"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "area" ADD CONSTRAINT "fk_area_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "household" ADD CONSTRAINT "fk_household_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "household" ADD CONSTRAINT "fk_household_area" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "resident" ADD CONSTRAINT "fk_resident_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "resident" ADD CONSTRAINT "fk_resident_household" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "endpoint" ADD CONSTRAINT "fk_endpoint_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "endpoint" ADD CONSTRAINT "fk_endpoint_resident" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "endpoint" ADD CONSTRAINT "fk_endpoint_household" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "fk_delivery_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "fk_delivery_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "enrolment_code" ADD CONSTRAINT "fk_enrolment_code_resident" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "supporter" ADD CONSTRAINT "fk_supporter_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "supporter" ADD CONSTRAINT "fk_supporter_resident" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "supporter" ADD CONSTRAINT "fk_supporter_supporter_resident" FOREIGN KEY ("supporter_resident_id") REFERENCES "resident"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "escalation_task" ADD CONSTRAINT "fk_escalation_task_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "escalation_task" ADD CONSTRAINT "fk_escalation_task_resident" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "escalation_task" ADD CONSTRAINT "fk_escalation_task_supporter" FOREIGN KEY ("supporter_id") REFERENCES "supporter"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "feed_document" ADD CONSTRAINT "fk_feed_document_event" FOREIGN KEY ("event_id") REFERENCES "event"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "operator_session" ADD CONSTRAINT "fk_operator_session_operator" FOREIGN KEY ("operator_id") REFERENCES "operator"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "resident_credential" ADD CONSTRAINT "fk_resident_credential_resident" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "safety_request" ADD CONSTRAINT "fk_safety_request_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "safety_request" ADD CONSTRAINT "fk_safety_request_resident" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "safety_response" ADD CONSTRAINT "fk_safety_response_request" FOREIGN KEY ("safety_request_id") REFERENCES "safety_request"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "safety_response" ADD CONSTRAINT "fk_safety_response_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "operator"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    // Hand-written: expression and GIN indexes the entity decorators cannot express (synchronize: false there).
    await q.query(`CREATE UNIQUE INDEX "uq_operator_email" ON "operator" (lower("email"))`);
    await q.query(`CREATE INDEX "ix_audit_log_targets" ON "audit_log" USING gin ("target_ids")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_audit_log_targets"`);
    await q.query(`DROP INDEX "uq_operator_email"`);
    await q.query(`ALTER TABLE "safety_response" DROP CONSTRAINT "fk_safety_response_recorded_by"`);
    await q.query(`ALTER TABLE "safety_response" DROP CONSTRAINT "fk_safety_response_request"`);
    await q.query(`ALTER TABLE "safety_request" DROP CONSTRAINT "fk_safety_request_resident"`);
    await q.query(`ALTER TABLE "safety_request" DROP CONSTRAINT "fk_safety_request_alert"`);
    await q.query(`ALTER TABLE "resident_credential" DROP CONSTRAINT "fk_resident_credential_resident"`);
    await q.query(`ALTER TABLE "operator_session" DROP CONSTRAINT "fk_operator_session_operator"`);
    await q.query(`ALTER TABLE "feed_document" DROP CONSTRAINT "fk_feed_document_event"`);
    await q.query(`ALTER TABLE "escalation_task" DROP CONSTRAINT "fk_escalation_task_supporter"`);
    await q.query(`ALTER TABLE "escalation_task" DROP CONSTRAINT "fk_escalation_task_resident"`);
    await q.query(`ALTER TABLE "escalation_task" DROP CONSTRAINT "fk_escalation_task_alert"`);
    await q.query(`ALTER TABLE "supporter" DROP CONSTRAINT "fk_supporter_supporter_resident"`);
    await q.query(`ALTER TABLE "supporter" DROP CONSTRAINT "fk_supporter_resident"`);
    await q.query(`ALTER TABLE "supporter" DROP CONSTRAINT "fk_supporter_municipality"`);
    await q.query(`ALTER TABLE "enrolment_code" DROP CONSTRAINT "fk_enrolment_code_resident"`);
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "fk_delivery_endpoint"`);
    await q.query(`ALTER TABLE "delivery" DROP CONSTRAINT "fk_delivery_alert"`);
    await q.query(`ALTER TABLE "endpoint" DROP CONSTRAINT "fk_endpoint_household"`);
    await q.query(`ALTER TABLE "endpoint" DROP CONSTRAINT "fk_endpoint_resident"`);
    await q.query(`ALTER TABLE "endpoint" DROP CONSTRAINT "fk_endpoint_municipality"`);
    await q.query(`ALTER TABLE "resident" DROP CONSTRAINT "fk_resident_household"`);
    await q.query(`ALTER TABLE "resident" DROP CONSTRAINT "fk_resident_municipality"`);
    await q.query(`ALTER TABLE "household" DROP CONSTRAINT "fk_household_area"`);
    await q.query(`ALTER TABLE "household" DROP CONSTRAINT "fk_household_municipality"`);
    await q.query(`ALTER TABLE "area" DROP CONSTRAINT "fk_area_municipality"`);
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_supersedes"`);
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_cancelled_by"`);
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_approved_by"`);
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_created_by"`);
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_event"`);
    await q.query(`ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_municipality"`);
    await q.query(`ALTER TABLE "operator" DROP CONSTRAINT "fk_operator_municipality"`);
    await q.query(`DROP INDEX "public"."ix_safety_response_request"`);
    await q.query(`DROP TABLE "safety_response"`);
    await q.query(`DROP INDEX "public"."ix_safety_request_status"`);
    await q.query(`DROP TABLE "safety_request"`);
    await q.query(`DROP INDEX "public"."uq_resident_credential_token"`);
    await q.query(`DROP INDEX "public"."ix_resident_credential_resident"`);
    await q.query(`DROP TABLE "resident_credential"`);
    await q.query(`DROP INDEX "public"."ix_outbox_pending"`);
    await q.query(`DROP TABLE "outbox"`);
    await q.query(`DROP INDEX "public"."uq_operator_session_token"`);
    await q.query(`DROP INDEX "public"."ix_operator_session_operator"`);
    await q.query(`DROP TABLE "operator_session"`);
    await q.query(`DROP INDEX "public"."ix_feed_document_received"`);
    await q.query(`DROP INDEX "public"."ix_feed_document_failed"`);
    await q.query(`DROP TABLE "feed_document"`);
    await q.query(`DROP INDEX "public"."ix_escalation_task_due"`);
    await q.query(`DROP INDEX "public"."ix_escalation_task_alert"`);
    await q.query(`DROP TABLE "escalation_task"`);
    await q.query(`DROP TABLE "supporter"`);
    await q.query(`DROP INDEX "public"."uq_enrolment_code_hash"`);
    await q.query(`DROP TABLE "enrolment_code"`);
    await q.query(`DROP INDEX "public"."ix_delivery_batch"`);
    await q.query(`DROP INDEX "public"."ix_delivery_endpoint"`);
    await q.query(`DROP TABLE "delivery"`);
    await q.query(`DROP INDEX "public"."ix_endpoint_resident"`);
    await q.query(`DROP INDEX "public"."ix_endpoint_household"`);
    await q.query(`DROP INDEX "public"."ix_endpoint_plan"`);
    await q.query(`DROP TABLE "endpoint"`);
    await q.query(`DROP INDEX "public"."ix_resident_household"`);
    await q.query(`DROP INDEX "public"."ix_resident_needs_assistance"`);
    await q.query(`DROP INDEX "public"."ix_resident_staff"`);
    await q.query(`DROP TABLE "resident"`);
    await q.query(`DROP INDEX "public"."ix_household_area"`);
    await q.query(`DROP TABLE "household"`);
    await q.query(`DROP INDEX "public"."ix_audit_log_municipality_time"`);
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP TABLE "area"`);
    await q.query(`DROP INDEX "public"."ix_alert_municipality_created"`);
    await q.query(`DROP INDEX "public"."ix_alert_event"`);
    await q.query(`DROP INDEX "public"."uq_alert_idempotency"`);
    await q.query(`DROP TABLE "alert"`);
    await q.query(`DROP TABLE "operator"`);
    await q.query(`DROP TABLE "municipality"`);
    await q.query(`DROP TABLE "event"`);
  }
}
