import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** The stream a report belongs to (the `event` row): revisions are ordered within it. */
export interface StreamIdentity {
  source: string;
  identityKey: string;
  kind: string | null;
  title: string | null;
}

/** The newest report applied in a stream. */
export interface StoredRevision {
  key: string;
  serial: string | null;
  reportDateTime: string | null;
  infoType: string | null;
}

export interface AppliedRevision extends StoredRevision {
  documentId: string | null;
  /** True for a 取消: the event is marked cancelled. */
  retracted: boolean;
}

/** What an event produced for one municipality and rule (see `FeedEventAlertEntity`). */
export interface StoredProduced {
  ruleId: string;
  alertId: string | null;
  severity: string;
  kinds: string[];
  alertedAt: string | null;
  stream: string | null;
}

/** A municipality with its JMA codes per system. */
export interface MunicipalityCodesRow {
  id: string;
  name: string;
  cityCodes: string[];
  quakeAreaCodes: string[];
  tsunamiAreaCodes: string[];
  eewAreaCodes: string[];
}

export interface CodesBySystem {
  city: string[];
  quakeArea: string[];
  tsunamiArea: string[];
  eewArea: string[];
}

const MUNICIPALITY_COLUMNS = `m.id, m.name, m.jma_city_codes AS "cityCodes", m.jma_quake_area_codes AS "quakeAreaCodes",
  m.jma_tsunami_area_codes AS "tsunamiAreaCodes", m.jma_eew_area_codes AS "eewAreaCodes"`;

/** Event revisions and what each event produced per municipality, for the feed rules. */
@Injectable()
export class FeedEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates the stream's `event` row on first sight, committed at once (outside the caller's transaction): alerts
   * that reference the event are created on other connections.
   */
  async ensureStream(identity: StreamIdentity): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO event (source, identity_key, kind, title, revisions) VALUES ($1, $2, $3, $4, 0)
       ON CONFLICT (source, identity_key) DO NOTHING`,
      [identity.source, identity.identityKey, identity.kind, identity.title],
    );
  }

  /**
   * Locks the stream's `event` row (made by `ensureStream`) in the caller's transaction and loads its newest
   * revision, so two copies of one report — from two feeds, or a re-poll racing the relay — are applied one after
   * the other. `FOR NO KEY UPDATE` lets alerts that reference the event be inserted meanwhile.
   */
  async lockStream(
    em: EntityManager,
    identity: StreamIdentity,
  ): Promise<{ eventId: string; previous: StoredRevision | null }> {
    const rows: {
      id: string;
      key: string | null;
      serial: string | null;
      reportAt: Date | null;
      infoType: string | null;
    }[] = await em.query(
      `SELECT id, latest_key AS key, latest_serial AS serial, latest_report_at AS "reportAt",
              latest_info_type AS "infoType"
         FROM event WHERE source = $1 AND identity_key = $2 FOR NO KEY UPDATE`,
      [identity.source, identity.identityKey],
    );
    const row = rows[0];
    if (!row)
      throw new Error(`event ${identity.source}/${identity.identityKey} not found: ensureStream first`);
    const previous =
      row.key === null
        ? null
        : {
            key: row.key,
            serial: row.serial,
            reportDateTime: row.reportAt ? row.reportAt.toISOString() : null,
            infoType: row.infoType,
          };
    return { eventId: row.id, previous };
  }

  /** Records the revision applied to a stream (locked by `lockStream` in the same transaction). */
  async recordRevision(em: EntityManager, eventId: string, applied: AppliedRevision): Promise<void> {
    await em.query(
      `UPDATE event SET latest_key = $2, latest_serial = $3, latest_report_at = $4, latest_info_type = $5,
              latest_document_id = $6, revisions = revisions + 1, updated_at = now(),
              status = CASE WHEN $7 THEN 'cancelled' ELSE 'active' END
        WHERE id = $1`,
      [
        eventId,
        applied.key,
        applied.serial,
        applied.reportDateTime,
        applied.infoType,
        applied.documentId,
        applied.retracted,
      ],
    );
  }

  /** The newest revision applied in a stream, read without a lock (the dry-run writes nothing). */
  async peekRevision(source: string, identityKey: string): Promise<StoredRevision | null> {
    const rows: {
      key: string | null;
      serial: string | null;
      reportAt: Date | null;
      infoType: string | null;
    }[] = await this.dataSource.query(
      `SELECT latest_key AS key, latest_serial AS serial, latest_report_at AS "reportAt", latest_info_type AS "infoType"
           FROM event WHERE source = $1 AND identity_key = $2`,
      [source, identityKey],
    );
    const row = rows[0];
    if (!row || row.key === null) return null;
    return {
      key: row.key,
      serial: row.serial,
      reportDateTime: row.reportAt ? row.reportAt.toISOString() : null,
      infoType: row.infoType,
    };
  }

  /** `produced` outside a transaction. */
  producedNow(municipalityId: string, eventKeys: string[]): Promise<StoredProduced[]> {
    return this.produced(this.dataSource.manager, municipalityId, eventKeys);
  }

  /** Links a stored document to its event. */
  async linkDocument(em: EntityManager, documentId: string, eventId: string): Promise<void> {
    await em.query(`UPDATE feed_document SET event_id = $2 WHERE id = $1`, [documentId, eventId]);
  }

  /** Municipalities whose codes (per system) the message names, plus those an event already produced for. */
  async municipalitiesConcerned(
    em: EntityManager,
    codes: CodesBySystem,
    eventKeys: string[],
  ): Promise<MunicipalityCodesRow[]> {
    return em.query(
      `SELECT ${MUNICIPALITY_COLUMNS} FROM municipality m
        WHERE m.jma_city_codes && $1::text[] OR m.jma_quake_area_codes && $2::text[]
           OR m.jma_tsunami_area_codes && $3::text[] OR m.jma_eew_area_codes && $4::text[]
           OR EXISTS (SELECT 1 FROM feed_event_alert p WHERE p.municipality_id = m.id AND p.event_key = ANY($5::text[]))
        ORDER BY m.code`,
      [codes.city, codes.quakeArea, codes.tsunamiArea, codes.eewArea, eventKeys],
    );
  }

  async municipality(id: string): Promise<MunicipalityCodesRow | null> {
    const rows: MunicipalityCodesRow[] = await this.dataSource.query(
      `SELECT ${MUNICIPALITY_COLUMNS} FROM municipality m WHERE m.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async produced(em: EntityManager, municipalityId: string, eventKeys: string[]): Promise<StoredProduced[]> {
    const rows: (Omit<StoredProduced, 'alertedAt'> & { alertedAt: Date | null })[] = await em.query(
      `SELECT rule_id AS "ruleId", alert_id AS "alertId", severity, kinds, alerted_at AS "alertedAt", stream
         FROM feed_event_alert WHERE municipality_id = $1 AND event_key = ANY($2::text[])`,
      [municipalityId, eventKeys],
    );
    return rows.map((r) => ({ ...r, alertedAt: r.alertedAt ? r.alertedAt.toISOString() : null }));
  }

  /** Records (or, with null, forgets) what the event produced, under each of its event keys. */
  async saveProduced(
    em: EntityManager,
    input: { municipalityId: string; eventKeys: string[]; ruleId: string; eventId: string | null },
    produced: StoredProduced | null,
  ): Promise<void> {
    if (produced === null) {
      await em.query(
        `DELETE FROM feed_event_alert WHERE municipality_id = $1 AND event_key = ANY($2::text[]) AND rule_id = $3`,
        [input.municipalityId, input.eventKeys, input.ruleId],
      );
      return;
    }
    await em.query(
      `INSERT INTO feed_event_alert
         (municipality_id, event_key, rule_id, event_id, alert_id, severity, kinds, alerted_at, stream)
       SELECT $1, k, $3, $4, $5, $6, $7::text[], $8, $9 FROM unnest($2::text[]) AS k
       ON CONFLICT (municipality_id, event_key, rule_id) DO UPDATE
         SET event_id = EXCLUDED.event_id, alert_id = EXCLUDED.alert_id, severity = EXCLUDED.severity,
             kinds = EXCLUDED.kinds, alerted_at = EXCLUDED.alerted_at, stream = EXCLUDED.stream, updated_at = now()`,
      [
        input.municipalityId,
        input.eventKeys,
        input.ruleId,
        input.eventId,
        produced.alertId,
        produced.severity,
        produced.kinds,
        produced.alertedAt,
        produced.stream,
      ],
    );
  }
}
