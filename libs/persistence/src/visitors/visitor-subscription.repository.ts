import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EndpointStatus } from '@bousai/domain';
import { returnedRows } from '../sql/pg-errors';

/** A visitor subscription as its holder's requests see it (never the secret; the hash only to check it). */
export interface VisitorSubscription {
  id: string;
  municipalityId: string;
  areaIds: string[];
  language: string;
  status: EndpointStatus;
  secretHash: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export interface VisitorSubscriptionFields {
  areaIds: readonly string[];
  endpoint: string;
  keys: Record<string, unknown>;
  language: string;
  secretHash: string;
}

/** A municipality's district, as a visitor chooses it. */
export interface PublicDistrict {
  id: string;
  name: string;
  code: string | null;
}

const COLUMNS = `id, municipality_id AS "municipalityId", area_ids AS "areaIds", language, status,
                 secret_hash AS "secretHash", created_at AS "createdAt", last_seen_at AS "lastSeenAt"`;

/** `visitor_subscription`: subscriptions of browsers to the public alerts of chosen districts (issue 21). */
@Injectable()
export class VisitorSubscriptionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The municipality's districts, by code then name. */
  districts(municipalityId: string): Promise<PublicDistrict[]> {
    return this.dataSource.query<PublicDistrict[]>(
      `SELECT id, name, code FROM area WHERE municipality_id = $1 ORDER BY code NULLS LAST, name, id`,
      [municipalityId],
    );
  }

  /**
   * Subscribes `fields.endpoint`, or replaces the subscription of that endpoint (new districts, language and
   * secret; active again; same id, so its deliveries stay its own). A new subscription is refused (`capped`) when
   * the municipality already has `cap` active ones; the count and the insert run under a per-municipality
   * transaction lock, so parallel requests never exceed it.
   */
  async subscribe(
    municipalityId: string,
    fields: VisitorSubscriptionFields,
    cap: number,
  ): Promise<{ id: string; created: boolean } | 'capped'> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('visitor_subscription:' || $1, 0))`, [
        municipalityId,
      ]);
      const [row] = await em.query<{ id: string; created: boolean }[]>(
        `WITH existing AS (SELECT id FROM visitor_subscription WHERE endpoint = $2),
         room AS (
           SELECT count(*) < $8 AS ok FROM visitor_subscription WHERE municipality_id = $1 AND status = $7
         )
         INSERT INTO visitor_subscription (municipality_id, area_ids, endpoint, keys, language, secret_hash)
         SELECT $1, $3::uuid[], $2, $4::jsonb, $5, $6
          WHERE EXISTS (SELECT 1 FROM existing) OR (SELECT ok FROM room)
         ON CONFLICT (endpoint) DO UPDATE SET
           municipality_id = EXCLUDED.municipality_id, area_ids = EXCLUDED.area_ids, keys = EXCLUDED.keys,
           language = EXCLUDED.language, secret_hash = EXCLUDED.secret_hash, status = $7, dead_reason = NULL,
           dead_at = NULL, last_seen_at = now()
         RETURNING id, (xmax = 0) AS created`,
        [
          municipalityId,
          fields.endpoint,
          fields.areaIds,
          JSON.stringify(fields.keys),
          fields.language,
          fields.secretHash,
          EndpointStatus.Active,
          cap,
        ],
      );
      return row ?? 'capped';
    });
  }

  async get(municipalityId: string, id: string): Promise<VisitorSubscription | undefined> {
    const [row] = await this.dataSource.query<VisitorSubscription[]>(
      `SELECT ${COLUMNS} FROM visitor_subscription WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id],
    );
    return row;
  }

  /** Changes the districts and/or the language; resolves to the subscription as it now is. */
  async update(
    municipalityId: string,
    id: string,
    change: { areaIds?: readonly string[]; language?: string },
  ): Promise<VisitorSubscription | undefined> {
    const rows = await this.dataSource.query<unknown>(
      `UPDATE visitor_subscription
          SET area_ids = COALESCE($3::uuid[], area_ids), language = COALESCE($4, language), last_seen_at = now()
        WHERE municipality_id = $1 AND id = $2
        RETURNING ${COLUMNS}`,
      [municipalityId, id, change.areaIds ?? null, change.language ?? null],
    );
    return returnedRows<VisitorSubscription>(rows)[0];
  }

  /** Removes the subscription and its deliveries; resolves to whether there was one. */
  async remove(municipalityId: string, id: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown>(
      `DELETE FROM visitor_subscription WHERE municipality_id = $1 AND id = $2 RETURNING id`,
      [municipalityId, id],
    );
    return returnedRows(rows).length > 0;
  }
}
