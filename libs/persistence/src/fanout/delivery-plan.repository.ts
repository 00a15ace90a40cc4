import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Channel, ConsentScope, DeliveryStatus, EndpointStatus, type VisitorAudience } from '@bousai/domain';
import { type AudienceFilter, audienceSql, visitorAudienceSql } from '../audience/audience-sql';
import { bumpQueuedHint, LIVE_ALERT_CTE, retryOnDeadlock } from './fanout-sql';

/** Fewer rows than this never change a partition's plans much: its statistics are left to autovacuum. */
const ANALYZE_MIN_ROWS = 10_000;

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
  /**
   * Record the rows as `undeliverable` (no running fanout sends on the channel) instead of queueing them: they are
   * never sent, and the live view and reports show them instead of leaving the channel out.
   */
  undeliverable?: boolean;
}

/** The error code an `undeliverable` delivery carries. */
export const NO_SENDER = 'NO_SENDER';

/** One chunk of the visitor subscriptions an alert reaches (always Web Push; see `visitorAudience`). */
export interface VisitorChunkRequest {
  alertId: string;
  municipalityId: string;
  audience: VisitorAudience;
  /** Subscriptions with a larger id than this (null: from the start). */
  after: string | null;
  limit: number;
  firstBatchNo: number;
  batchSize: number;
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

interface ChunkRow {
  scanned: number;
  lastId: string | null;
  live: number;
  batches: number[];
  inserted: number;
}

/**
 * Numbers the picked rows into batches of `batchSize` from `firstBatchNo`, inserts them (one statement, one row
 * per alert × endpoint), and adds queued ones to the alert's queued hint. `$1` alert id, `$2` first batch number,
 * `$3` batch size, `$4` channel; the `picked` CTE yields (endpoint_id, language, n) with n from 0. With `status`
 * (an SQL expression, and `errorCode` beside it) the rows get that status instead of `queued`.
 */
function insertPicked(status?: { status: string; errorCode: string; queued: string }): string {
  return `
  ins AS (
    INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, language${status ? ', status, error_code' : ''})
    SELECT $1, p.endpoint_id, $4, $2::int + (p.n / $3::int)::int, p.language${status ? `, ${status.status}, ${status.errorCode}` : ''}
      FROM picked p ORDER BY p.n
    ON CONFLICT (alert_id, endpoint_id) DO NOTHING
    RETURNING batch_no
  ),
  counted AS (
    ${bumpQueuedHint('(SELECT count(*) FROM ins)')} AND EXISTS (SELECT 1 FROM ins)${status ? ` AND ${status.status} = ${status.queued}` : ''}
  )`;
}

const CHUNK_RESULT = `
  (SELECT count(*) FROM live)::int AS live,
  COALESCE((SELECT array_agg(DISTINCT batch_no ORDER BY batch_no) FROM ins), '{}') AS batches,
  (SELECT count(*) FROM ins)::int AS inserted`;

/** The result of a keyset chunk: its `page` CTE read, the cursor after it, and what was inserted. */
const PAGE_CHUNK_RESULT = `
  SELECT (SELECT count(*) FROM page)::int AS scanned,
         (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS "lastId",
         ${CHUNK_RESULT}`;

@Injectable()
export class DeliveryPlanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One chunk of an alert's audience on one channel, as ONE statement: the next `limit` active endpoints of the
   * municipality by id (keyset on `ix_endpoint_plan`), filtered by the audience (`audienceSql`, the one
   * definition the preview counts with too), become delivery rows. Language: the resident's, else `ja`. Endpoints already planned for the alert are skipped by the unique key
   * (a replay adds nothing); callers number a replay on from the highest batch, so a new row never lands in a
   * batch that was already sent. A skipped row leaves a gap in its batch, which only makes that batch smaller.
   */
  async planAudienceChunk(req: AudienceChunkRequest): Promise<PlannedChunk> {
    const audience = audienceSql('$4', {
      alertsScope: '$9',
      email: '$10',
      active: '$6',
      everywhere: '$11',
      areaIds: '$12',
      householdIds: '$13',
      jmaCodes: '$14',
      groups: '$15',
      orderedChannels: '$16',
      order: '$17',
    });
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
             ${audience.joins}
            WHERE EXISTS (SELECT 1 FROM live) AND ${audience.where}
         ),
         ${insertPicked({ status: '$18::text', errorCode: '$19::text', queued: '$20::text' })}
         ${PAGE_CHUNK_RESULT}`,
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
          req.audience.everywhere,
          req.audience.areaIds,
          req.audience.householdIds,
          req.audience.jmaCodes,
          req.audience.groups,
          req.ordered?.channels ?? null,
          req.ordered?.order ?? null,
          req.undeliverable ? DeliveryStatus.Undeliverable : DeliveryStatus.Queued,
          req.undeliverable ? NO_SENDER : null,
          DeliveryStatus.Queued,
        ],
      ),
    );
    return chunk(rows[0]);
  }

  /**
   * One chunk of the visitor subscriptions an alert reaches, as ONE statement: the municipality's next `limit`
   * active subscriptions by id (keyset on `ix_visitor_subscription_plan`) whose districts the alert names (by id,
   * or by a JMA code one of them carries; every one when `everywhere`) become Web Push delivery rows in the
   * subscription's language, numbered on in the channel's batches. A replay adds nothing (the unique key).
   */
  async planVisitorChunk(req: VisitorChunkRequest): Promise<PlannedChunk> {
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<ChunkRow[]>(
        `WITH ${LIVE_ALERT_CTE},
         page AS (
           SELECT v.id, v.language, v.area_ids
             FROM visitor_subscription v
            WHERE v.municipality_id = $5 AND v.status = $6 AND ($7::uuid IS NULL OR v.id > $7::uuid)
            ORDER BY v.id
            LIMIT $8
         ),
         picked AS (
           SELECT p.id AS endpoint_id, p.language, row_number() OVER (ORDER BY p.id) - 1 AS n
             FROM page p
            WHERE EXISTS (SELECT 1 FROM live)
              AND ${visitorAudienceSql('p', { everywhere: '$9', areaIds: '$10', jmaCodes: '$11' })}
         ),
         ${insertPicked()}
         ${PAGE_CHUNK_RESULT}`,
        [
          req.alertId,
          req.firstBatchNo,
          req.batchSize,
          Channel.WebPush,
          req.municipalityId,
          EndpointStatus.Active,
          req.after,
          req.limit,
          req.audience.everywhere,
          req.audience.areaIds,
          req.audience.jmaCodes,
        ],
      ),
    );
    return chunk(rows[0]);
  }

  /**
   * One chunk of a cancellation notice on one channel, as ONE statement: the endpoints the original alert
   * possibly reached in its batches `[fromBatch, toBatch)` (see {@link POSSIBLY_REACHED}; still active, visitor
   * subscriptions included), in the language they got the original in.
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
            WHERE EXISTS (SELECT 1 FROM live)
              AND (EXISTS (SELECT 1 FROM endpoint e WHERE e.id = s.endpoint_id AND e.status = $10)
                   OR EXISTS (SELECT 1 FROM visitor_subscription v WHERE v.id = s.endpoint_id AND v.status = $10))
         ),
         ${insertPicked()}
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
    const rows = await this.dataSource.query<{ channel: Channel; next: number }[]>(
      `SELECT channel, max(batch_no) + 1 AS next FROM delivery WHERE alert_id = $1 GROUP BY channel`,
      [alertId],
    );
    return new Map(rows.map((r) => [r.channel, Number(r.next)]));
  }

  /**
   * Refreshes the planner's statistics of the month partition holding the alert's deliveries when the plan added
   * many rows to it: more than {@link ANALYZE_MIN_ROWS} and a fifth of what the statistics say the partition holds.
   * A month's partition is made ahead of time and analyzed while empty; after a large alert the planner would
   * otherwise take its millions of rows for none (until autovacuum comes by, which under a storm's load can take
   * many minutes) and choose plans fit for an empty table for every ack and outcome statement. Resolves to whether
   * it analyzed; never blocks behind another ANALYZE of the same partition (that one refreshes them anyway).
   */
  async refreshStatistics(alertId: string, added: number): Promise<boolean> {
    if (added < ANALYZE_MIN_ROWS) return false;
    const [part] = await this.dataSource.query<{ name: string; known: number }[]>(
      `SELECT c.oid::regclass::text AS name, greatest(c.reltuples, 0)::float8 AS known
         FROM pg_class c WHERE c.oid = (SELECT tableoid FROM delivery WHERE alert_id = $1 LIMIT 1)`,
      [alertId],
    );
    if (!part || added < part.known / 5) return false;
    try {
      await this.dataSource.transaction(async (em) => {
        await em.query(`SET LOCAL lock_timeout = '100ms'`);
        // the name comes from pg_class (regclass text is quoted as needed), never from input
        await em.query(`ANALYZE ${part.name}`);
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Batches with rows never attempted: what a plan that died between insert and enqueue left without a job. */
  async untouchedBatches(alertId: string): Promise<{ channel: Channel; batchNo: number }[]> {
    return this.dataSource.query<{ channel: Channel; batchNo: number }[]>(
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
