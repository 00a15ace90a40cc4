import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PublicationStatus, type PublicationTarget } from '@bousai/domain';
import { returnedRows } from '../sql/pg-errors';

export interface PublicationRow {
  alertId: string;
  target: PublicationTarget;
  status: PublicationStatus;
  attempts: number;
  text: string | null;
  providerId: string | null;
  errorCode: string | null;
}

export type PublicationAttempt =
  | { kind: 'posted'; text: string; providerId?: string }
  | { kind: 'failed'; errorCode: string }
  | { kind: 'retry'; errorCode: string };

const SELECT = `SELECT alert_id AS "alertId", target, status, attempts, text, provider_id AS "providerId",
                       error_code AS "errorCode" FROM publication`;

/** The public posts of alerts (`publication`): one row per alert and target, moved forward by the publisher. */
@Injectable()
export class PublicationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the rows that do not exist yet; resolves to the targets still to be posted (new or queued). */
  async ensure(alertId: string, targets: readonly PublicationTarget[]): Promise<PublicationTarget[]> {
    if (targets.length === 0) return [];
    await this.dataSource.query(
      `INSERT INTO publication (alert_id, target) SELECT $1, t FROM unnest($2::text[]) AS t
       ON CONFLICT (alert_id, target) DO NOTHING`,
      [alertId, targets],
    );
    const rows = await this.dataSource.query<{ target: PublicationTarget }[]>(
      `SELECT target FROM publication WHERE alert_id = $1 AND target = ANY ($2::text[]) AND status = $3`,
      [alertId, targets, PublicationStatus.Queued],
    );
    return rows.map((r) => r.target);
  }

  /** Targets an alert was, or is being, published on (a cancellation notice follows them). */
  async targetsOf(alertId: string): Promise<PublicationTarget[]> {
    const rows = await this.dataSource.query<{ target: PublicationTarget }[]>(
      `SELECT target FROM publication WHERE alert_id = $1 AND status <> $2 ORDER BY target`,
      [alertId, PublicationStatus.Failed],
    );
    return rows.map((r) => r.target);
  }

  /** Whether the alert went out on any public target. */
  async anyPosted(alertId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM publication WHERE alert_id = $1 AND status = $2 LIMIT 1`,
      [alertId, PublicationStatus.Posted],
    );
    return rows.length > 0;
  }

  async get(alertId: string, target: PublicationTarget): Promise<PublicationRow | null> {
    const rows = await this.dataSource.query<PublicationRow[]>(
      `${SELECT} WHERE alert_id = $1 AND target = $2`,
      [alertId, target],
    );
    return rows[0] ?? null;
  }

  /** Records one attempt of a queued publication; resolves to the row after it (null when it was not queued). */
  async record(
    alertId: string,
    target: PublicationTarget,
    attempt: PublicationAttempt,
  ): Promise<PublicationRow | null> {
    const status =
      attempt.kind === 'posted'
        ? PublicationStatus.Posted
        : attempt.kind === 'failed'
          ? PublicationStatus.Failed
          : PublicationStatus.Queued;
    const rows = await this.dataSource.query<unknown>(
      `UPDATE publication SET status = $3, attempts = attempts + 1,
              text = COALESCE($4, text), provider_id = COALESCE($5, provider_id), error_code = $6,
              posted_at = CASE WHEN $3 = '${PublicationStatus.Posted}' THEN now() ELSE posted_at END,
              failed_at = CASE WHEN $3 = '${PublicationStatus.Failed}' THEN now() ELSE failed_at END
        WHERE alert_id = $1 AND target = $2 AND status = $7
       RETURNING alert_id AS "alertId", target, status, attempts, text, provider_id AS "providerId",
                 error_code AS "errorCode"`,
      [
        alertId,
        target,
        status,
        attempt.kind === 'posted' ? attempt.text : null,
        attempt.kind === 'posted' ? (attempt.providerId ?? null) : null,
        attempt.kind === 'posted' ? null : attempt.errorCode,
        PublicationStatus.Queued,
      ],
    );
    return returnedRows<PublicationRow>(rows)[0] ?? null;
  }
}
