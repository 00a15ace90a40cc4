import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Channel, ConsentScope, DeliveryStatus, EndpointStatus, IN_FLIGHT } from '@bousai/domain';
import { returnedRows } from '../sql/pg-errors';
import { channelRank } from '../audience/channel-rank';
import { numberedByChannel, reopenWithQueuedHint, retryOnDeadlock } from './fanout-sql';

/** An alert the fallback scan may have to continue. */
export interface FallbackCandidate {
  id: string;
  severity: string;
  channels: string[];
  municipalitySettings: Record<string, unknown>;
}

export interface FallbackRequest {
  alertId: string;
  /** Channels of the alert this process can send, in any order. */
  channels: readonly Channel[];
  /** The municipality's channel order (a resident's own order replaces it). */
  order: readonly Channel[];
  ackTimeoutSeconds: number;
  /** Per channel, the first batch number free for new rows. */
  firstBatchNo: ReadonlyMap<string, number>;
  batchSize: number;
}

export interface FallbackResult {
  inserted: number;
  batches: { channel: Channel; batchNo: number }[];
}

/** Alerts looked at per scan; recent ones first. */
const CANDIDATES_PER_SCAN = 200;
/** How long after it was first sent an alert may still fall back to a resident's next channel. */
const FALLBACK_WINDOW_HOURS = 24;

/**
 * Ordered fallback (docs/architecture.md §5, issue "every path to a household"): with ordered mode an alert is first
 * planned on each resident's first usable channel only; this finds the residents it did not reach and plans
 * their next channel.
 */
@Injectable()
export class ChannelFallbackRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Dispatching or sent alerts, fully planned, not expired, not notices: the ones fallback may still concern. */
  candidates(): Promise<FallbackCandidate[]> {
    return this.dataSource.query<FallbackCandidate[]>(
      `SELECT a.id, a.severity, a.channels, m.settings AS "municipalitySettings"
         FROM alert a JOIN municipality m ON m.id = a.municipality_id
        WHERE a.status = ANY ($1::text[]) AND a.counters ? 'planned'
          AND a.cancels_alert_id IS NULL
          AND (a.expires_at IS NULL OR a.expires_at > now())
          AND COALESCE(a.sent_at, a.updated_at) > now() - make_interval(hours => $2)
          AND m.settings->'channelFallback' ? 'modeBySeverity'
        ORDER BY a.created_at DESC LIMIT $3`,
      [IN_FLIGHT, FALLBACK_WINDOW_HOURS, CANDIDATES_PER_SCAN],
    );
  }

  /**
   * ONE statement: every resident whose deliveries of the alert all ended without reaching them — failed,
   * expired or undeliverable, or accepted by the provider (`sent`) but not acknowledged by a device within the timeout — gets a
   * delivery on the next channel of their order where they have a usable endpoint the alert has not used yet.
   * Rows are numbered into new batches per channel. A sent alert goes back to dispatching when rows were added,
   * so its batches may claim them and completion runs again. The alert row is locked FOR UPDATE first: a cancel
   * waits for this statement, and this one sees a cancel that committed before it (then it adds nothing).
   */
  async planNext(req: FallbackRequest): Promise<FallbackResult> {
    const channels = [...req.firstBatchNo.keys()];
    const firsts = channels.map((c) => req.firstBatchNo.get(c) ?? 0);
    const rank = (channel: string) => channelRank(channel, 'r.channel_order', '$4');
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<unknown>(
        `WITH live AS (
           SELECT id, status FROM alert WHERE id = $1 AND status = ANY ($2::text[]) FOR UPDATE
         ),
         settled AS (
           SELECT e.resident_id, max(${rank('d.channel')}) AS tried
             FROM delivery d
             JOIN endpoint e ON e.id = d.endpoint_id
             JOIN resident r ON r.id = e.resident_id
            WHERE d.alert_id = $1 AND EXISTS (SELECT 1 FROM live)
            GROUP BY e.resident_id
           HAVING bool_and(d.status = ANY ($5::text[])
                           OR (d.status = $6 AND d.sent_at < now() - make_interval(secs => $7)))
         ),
         nxt AS (
           SELECT DISTINCT ON (s.resident_id) o.id AS endpoint_id, o.channel, COALESCE(r.language, 'ja') AS language
             FROM settled s
             JOIN resident r ON r.id = s.resident_id AND $8 = ANY (r.consent_scopes)
             JOIN endpoint o ON o.resident_id = s.resident_id AND o.status = $9 AND o.channel = ANY ($3::text[])
                            AND (o.channel <> $10 OR o.confirmed_at IS NOT NULL)
            WHERE ${rank('o.channel')} > s.tried
              AND NOT EXISTS (SELECT 1 FROM delivery x WHERE x.alert_id = $1 AND x.endpoint_id = o.id)
            ORDER BY s.resident_id, ${rank('o.channel')}, o.id
         ),
         numbered AS (${numberedByChannel('nxt', '$11', '$12', '$13')}),
         ins AS (
           INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, language)
           SELECT $1, endpoint_id, channel, batch_no, language FROM numbered
           ON CONFLICT (alert_id, endpoint_id) DO NOTHING
           RETURNING channel, batch_no
         ),
         counted AS (${reopenWithQueuedHint('(SELECT count(*) FROM ins)')} AND EXISTS (SELECT 1 FROM ins))
         SELECT channel, batch_no AS "batchNo", count(*)::int AS n
           FROM ins GROUP BY channel, batch_no ORDER BY channel, batch_no`,
        [
          req.alertId,
          IN_FLIGHT,
          req.channels,
          req.order,
          [DeliveryStatus.Failed, DeliveryStatus.Expired, DeliveryStatus.Undeliverable],
          DeliveryStatus.Sent,
          req.ackTimeoutSeconds,
          ConsentScope.Alerts,
          EndpointStatus.Active,
          Channel.Email,
          req.batchSize,
          channels,
          firsts,
        ],
      ),
    );
    const groups = returnedRows<{ channel: Channel; batchNo: number; n: number }>(rows);
    return {
      inserted: groups.reduce((sum, g) => sum + g.n, 0),
      batches: groups.map((g) => ({ channel: g.channel, batchNo: Number(g.batchNo) })),
    };
  }
}
