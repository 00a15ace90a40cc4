import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Channel, ConsentScope, DeliveryStatus, EndpointStatus } from '@bousai/domain';
import { bumpQueuedHint, LIVE_ALERT_CTE, retryOnDeadlock } from './fanout-sql';

/** The audience of an alert, normalised: empty lists select nothing, `everywhere` lifts the place restriction. */
export interface AudienceFilter {
  /** No place restriction (targeting `all`, or only groups were named). */
  everywhere: boolean;
  areaIds: readonly string[];
  /** Matched against every JMA code system an area carries (市町村等, 地震/EEW 細分区域, 津波予報区). */
  jmaCodes: readonly string[];
  householdIds: readonly string[];
  /** `needs_assistance` and/or `staff`; empty means everyone. */
  groups: readonly string[];
}

/** What one planning statement did. */
export interface PlannedChunk {
  /** Candidate rows read (endpoints, or the original alert's deliveries for a notice). */
  scanned: number;
  /** Keyset cursor for the next chunk: the last endpoint id read (audience chunks). */
  lastId: string | null;
  /** Delivery rows inserted. */
  inserted: number;
  /** Batch numbers that received rows, ascending. */
  batches: number[];
  /** False when the alert was no longer dispatching: nothing was inserted and planning must stop. */
  live: boolean;
}

export interface AudienceChunkRequest {
  alertId: string;
  municipalityId: string;
  channel: Channel;
  audience: AudienceFilter;
  /** Endpoints with a larger id than this (null: from the start). */
  after: string | null;
  limit: number;
  /** Batch number of this chunk's first row; rows are numbered on from it. */
  firstBatchNo: number;
  batchSize: number;
  /**
   * Ordered fallback: the channels being planned for the alert and the municipality's channel order. A resident's
   * endpoint is then planned only on their first channel (own order, else this one) among those where they have
   * a usable endpoint; the fallback scan plans the next one later. Absent: every channel at once.
   */
  ordered?: { channels: readonly Channel[]; order: readonly Channel[] };
}

export interface NoticeChunkRequest {
  alertId: string;
  /** The alert whose reached endpoints the notice goes to. */
  originalId: string;
  channel: Channel;
  /** The original's batches `[fromBatch, toBatch)` of this channel. */
  fromBatch: number;
  toBatch: number;
  firstBatchNo: number;
  batchSize: number;
}

/**
 * A delivery that may have reached its endpoint: the provider accepted it or the device confirmed it, or a send
 * was attempted before the alert was cancelled (it may have been in flight: better one notice too many than a
 * resident left acting on a withdrawn alert).
 */
export const POSSIBLY_REACHED: readonly DeliveryStatus[] = [
  DeliveryStatus.Sent,
  DeliveryStatus.Delivered,
  DeliveryStatus.Played,
  DeliveryStatus.Read,
];

/** A channel's place in a resident's order (their own, else the municipality's); unlisted channels come last. */
export function channelRank(channel: string, residentOrder: string, defaultOrder: string): string {
  return `COALESCE(array_position(COALESCE(${residentOrder}, ${defaultOrder}::text[]), ${channel}), 1000)`;
}

interface ChunkRow {
  scanned: number;
  lastId: string | null;
  live: number;
  batches: number[];
  inserted: number;
}

/**
 * Numbers the picked rows into batches of `batchSize` from `firstBatchNo`, inserts them (one statement, one row
 * per alert × endpoint), and adds them to the alert's queued hint. `$1` alert id, `$2` first batch number,
 * `$3` batch size, `$4` channel; the `picked` CTE yields (endpoint_id, language, n) with n from 0.
 */
const INSERT_PICKED = `
  ins AS (
    INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, language)
    SELECT $1, p.endpoint_id, $4, $2::int + (p.n / $3::int)::int, p.language FROM picked p ORDER BY p.n
    ON CONFLICT (alert_id, endpoint_id) DO NOTHING
    RETURNING batch_no
  ),
  counted AS (
    ${bumpQueuedHint('(SELECT count(*) FROM ins)')} AND EXISTS (SELECT 1 FROM ins)
  )`;

const CHUNK_RESULT = `
  (SELECT count(*) FROM live)::int AS live,
  COALESCE((SELECT array_agg(DISTINCT batch_no ORDER BY batch_no) FROM ins), '{}') AS batches,
  (SELECT count(*) FROM ins)::int AS inserted`;

@Injectable()
export class DeliveryPlanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One chunk of an alert's audience on one channel, as ONE statement: the next `limit` active endpoints of the
   * municipality by id (keyset on `ix_endpoint_plan`), filtered by the audience, become delivery rows. An endpoint
   * belongs where its resident lives (resident → household → area), or to its own household when it has no
   * resident (receivers). A household endpoint is in a group when a member of its household is (a receiver serves
   * the 要援護者 it was installed for). Residents must have consented to alerts; email addresses must be confirmed.
   * Language: the resident's, else `ja`. Endpoints already planned for the alert are skipped by the unique key
   * (a replay adds nothing); callers number a replay on from the highest batch, so a new row never lands in a
   * batch that was already sent. A skipped row leaves a gap in its batch, which only makes that batch smaller.
   */
  async planAudienceChunk(req: AudienceChunkRequest): Promise<PlannedChunk> {
    const { audience } = req;
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<ChunkRow[]>(
        `WITH ${LIVE_ALERT_CTE},
         page AS (
           SELECT e.id, e.resident_id, e.household_id, e.confirmed_at
             FROM endpoint e
            WHERE e.municipality_id = $5 AND e.channel = $4 AND e.status = $6
              AND ($7::uuid IS NULL OR e.id > $7::uuid)
            ORDER BY e.id
            LIMIT $8
         ),
         picked AS (
           SELECT p.id AS endpoint_id, COALESCE(r.language, 'ja') AS language,
                  row_number() OVER (ORDER BY p.id) - 1 AS n
             FROM page p
             -- owners and places are looked up per row through their primary keys (LATERAL … LIMIT 1 keeps the
             -- planner from hashing whole tables): a chunk costs the same whatever the size of the municipality,
             -- and without a place restriction places are not looked up at all
             LEFT JOIN LATERAL (
               SELECT r.household_id, r.language, r.needs_assistance, r.staff, r.consent_scopes, r.channel_order
                 FROM resident r WHERE r.id = p.resident_id LIMIT 1
             ) r ON true
             LEFT JOIN LATERAL (
               SELECT h.id, h.area_id FROM household h
                WHERE NOT $11::boolean AND h.id = COALESCE(r.household_id, p.household_id) LIMIT 1
             ) h ON true
             LEFT JOIN LATERAL (
               SELECT a.id, a.jma_city_code, a.jma_quake_area_code, a.jma_tsunami_area_code, a.jma_eew_area_code
                 FROM area a WHERE a.id = h.area_id LIMIT 1
             ) a ON true
            WHERE EXISTS (SELECT 1 FROM live)
              AND (p.resident_id IS NULL OR $9 = ANY (r.consent_scopes))
              AND ($4 <> $10 OR p.confirmed_at IS NOT NULL)
              AND ($11::boolean
                   OR a.id = ANY ($12::uuid[])
                   OR h.id = ANY ($13::uuid[])
                   OR a.jma_city_code = ANY ($14::text[])
                   OR a.jma_quake_area_code = ANY ($14::text[])
                   OR a.jma_tsunami_area_code = ANY ($14::text[])
                   OR a.jma_eew_area_code = ANY ($14::text[]))
              AND ($16::text[] IS NULL OR p.resident_id IS NULL OR NOT EXISTS (
                    -- ordered fallback: another usable endpoint of the resident comes first in their order
                    SELECT 1 FROM endpoint o
                     WHERE o.resident_id = p.resident_id AND o.status = $6 AND o.channel <> $4
                       AND o.channel = ANY ($16::text[]) AND (o.channel <> $10 OR o.confirmed_at IS NOT NULL)
                       AND ${channelRank('o.channel', 'r.channel_order', '$17')} < ${channelRank('$4::text', 'r.channel_order', '$17')}))
              AND (cardinality($15::text[]) = 0
                   OR (p.resident_id IS NOT NULL
                       AND ((r.needs_assistance AND 'needs_assistance' = ANY ($15::text[]))
                            OR (r.staff AND 'staff' = ANY ($15::text[]))))
                   OR (p.resident_id IS NULL AND EXISTS (
                         SELECT 1 FROM resident m
                          WHERE m.household_id = p.household_id
                            AND ((m.needs_assistance AND 'needs_assistance' = ANY ($15::text[]))
                                 OR (m.staff AND 'staff' = ANY ($15::text[]))))))
         ),
         ${INSERT_PICKED}
         SELECT (SELECT count(*) FROM page)::int AS scanned,
                (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS "lastId",
                ${CHUNK_RESULT}`,
        [
          req.alertId,
          req.firstBatchNo,
          req.batchSize,
          req.channel,
          req.municipalityId,
          EndpointStatus.Active,
          req.after,
          req.limit,
          ConsentScope.Alerts,
          Channel.Email,
          audience.everywhere,
          audience.areaIds,
          audience.householdIds,
          audience.jmaCodes,
          audience.groups,
          req.ordered?.channels ?? null,
          req.ordered?.order ?? null,
        ],
      ),
    );
    return chunk(rows[0]);
  }

  /**
   * One chunk of a cancellation notice on one channel, as ONE statement: the endpoints the original alert
   * possibly reached in its batches `[fromBatch, toBatch)` (see {@link POSSIBLY_REACHED}; still active), in the
   * language they got the original in.
   */
  async planNoticeChunk(req: NoticeChunkRequest): Promise<PlannedChunk> {
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<ChunkRow[]>(
        `WITH ${LIVE_ALERT_CTE},
         src AS (
           SELECT d.id, d.endpoint_id, d.language
             FROM delivery d
            WHERE d.alert_id = $5 AND d.channel = $4 AND d.batch_no >= $6 AND d.batch_no < $7
              AND (d.status = ANY ($8::text[]) OR (d.status = $9 AND d.attempts > 0))
         ),
         picked AS (
           SELECT s.endpoint_id, COALESCE(s.language, 'ja') AS language, row_number() OVER (ORDER BY s.id) - 1 AS n
             FROM src s
             JOIN endpoint e ON e.id = s.endpoint_id AND e.status = $10
            WHERE EXISTS (SELECT 1 FROM live)
         ),
         ${INSERT_PICKED}
         SELECT (SELECT count(*) FROM src)::int AS scanned, NULL AS "lastId", ${CHUNK_RESULT}`,
        [
          req.alertId,
          req.firstBatchNo,
          req.batchSize,
          req.channel,
          req.originalId,
          req.fromBatch,
          req.toBatch,
          POSSIBLY_REACHED,
          DeliveryStatus.Cancelled,
          EndpointStatus.Active,
        ],
      ),
    );
    return chunk(rows[0]);
  }

  /** Per channel, the batch number after the highest one the alert has (0 when it has none). */
  async nextBatchNumbers(alertId: string): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ channel: string; next: number }[]>(
      `SELECT channel, max(batch_no) + 1 AS next FROM delivery WHERE alert_id = $1 GROUP BY channel`,
      [alertId],
    );
    return new Map(rows.map((r) => [r.channel, Number(r.next)]));
  }

  /** Batches with rows never attempted: what a plan that died between insert and enqueue left without a job. */
  async untouchedBatches(alertId: string): Promise<{ channel: string; batchNo: number }[]> {
    return this.dataSource.query<{ channel: string; batchNo: number }[]>(
      `SELECT channel, batch_no AS "batchNo" FROM delivery
        WHERE alert_id = $1 AND status = $2 AND attempts = 0
        GROUP BY channel, batch_no ORDER BY channel, batch_no`,
      [alertId, DeliveryStatus.Queued],
    );
  }

  /** Whether any delivery of the alert possibly reached its endpoint (see {@link POSSIBLY_REACHED}). */
  async anyPossiblyReached(alertId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM delivery
        WHERE alert_id = $1 AND (status = ANY ($2::text[]) OR (status = $3 AND attempts > 0))
        LIMIT 1`,
      [alertId, POSSIBLY_REACHED, DeliveryStatus.Cancelled],
    );
    return rows.length > 0;
  }
}

function chunk(row: ChunkRow): PlannedChunk {
  return {
    scanned: row.scanned,
    lastId: row.lastId,
    inserted: row.inserted,
    batches: row.batches.map(Number),
    live: row.live > 0,
  };
}
