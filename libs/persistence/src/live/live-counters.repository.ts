import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What the live view shows of one alert: its state and its deliveries per channel and status. */
export interface AlertCounters {
  alertId: string;
  municipalityId: string;
  status: string;
  isDrill: boolean;
  /** `{ [channel]: { [status]: n } }`, from `delivery_counter` (kept by triggers; never a count of `delivery`). */
  byChannel: Record<string, Record<string, number>>;
  /** `{ [group]: { [status | 'unanswered']: n } }` of the alert's safety requests, from `safety_counter`. */
  bySafety: Record<string, Record<string, number>>;
}

@Injectable()
export class LiveCountersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The counters of these alerts, in ONE statement over `delivery_counter` and `safety_counter` (a handful of rows
   * per alert, channel and group): cheap enough to run twice a second for every alert being watched.
   */
  async counters(alertIds: readonly string[]): Promise<AlertCounters[]> {
    if (alertIds.length === 0) return [];
    const rows = await this.dataSource.query<
      {
        alertId: string;
        municipalityId: string;
        status: string;
        isDrill: boolean;
        byChannel: AlertCounters['byChannel'] | null;
        bySafety: AlertCounters['bySafety'] | null;
      }[]
    >(
      `SELECT a.id AS "alertId", a.municipality_id AS "municipalityId", a.status, a.is_drill AS "isDrill",
              (SELECT jsonb_object_agg(channel, statuses) FROM (
                 SELECT channel, jsonb_object_agg(status, n) AS statuses FROM (
                   SELECT channel, status, sum(n)::bigint AS n FROM delivery_counter
                    WHERE alert_id = a.id GROUP BY channel, status HAVING sum(n) <> 0) s
                  GROUP BY channel) c) AS "byChannel",
              (SELECT jsonb_object_agg(target_group, statuses) FROM (
                 SELECT target_group, jsonb_object_agg(status, n) AS statuses FROM (
                   SELECT target_group, status, sum(n)::bigint AS n FROM safety_counter
                    WHERE alert_id = a.id GROUP BY target_group, status HAVING sum(n) <> 0) s
                  GROUP BY target_group) g) AS "bySafety"
         FROM alert a WHERE a.id = ANY ($1::uuid[])`,
      [alertIds],
    );
    return rows.map((r) => ({ ...r, byChannel: numbers(r.byChannel), bySafety: numbers(r.bySafety) }));
  }
}

/** jsonb counts arrive as strings or numbers; the view wants numbers. */
function numbers(
  nested: Record<string, Record<string, number | string>> | null,
): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(nested ?? {}).map(([key, counts]) => [
      key,
      Object.fromEntries(Object.entries(counts).map(([s, n]) => [s, Number(n)])),
    ]),
  );
}
