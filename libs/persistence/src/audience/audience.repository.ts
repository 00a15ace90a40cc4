import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  Channel,
  ConsentScope,
  EndpointStatus,
  type UnknownTargets,
  type VisitorAudience,
} from '@bousai/domain';
import { type AudienceFilter, audienceSql, visitorAudienceSql } from './audience-sql';

/** Endpoints, the people they reach and their households. */
export interface AudienceCount {
  endpoints: number;
  residents: number;
  households: number;
}

/** Per group: `everyone`, and `needs_assistance` (要援護者) and `staff` among them. */
export type AudienceGroupCounts = Record<'everyone' | 'needs_assistance' | 'staff', AudienceCount>;

export interface AudienceCounts {
  /** Every channel together: each person and household once, however many of their endpoints are reached. */
  total: AudienceGroupCounts;
  byChannel: Partial<Record<Channel, AudienceGroupCounts>>;
}

const GROUPS = ['everyone', 'needs_assistance', 'staff'] as const;

function zero(): AudienceGroupCounts {
  return Object.fromEntries(
    GROUPS.map((g) => [g, { endpoints: 0, residents: 0, households: 0 }]),
  ) as AudienceGroupCounts;
}

const UUID_TEXT = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;

/** Who an alert would reach, counted before it is sent, with the planner's own definition of its audience. */
@Injectable()
export class AudienceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The named districts, households and JMA codes the municipality does not have, in ONE statement. A JMA code is
   * known when one of the municipality's districts carries it in any code system: the planner matches codes
   * against districts, so any other code would reach nobody.
   */
  async unknownTargets(municipalityId: string, named: UnknownTargets): Promise<UnknownTargets> {
    const rows = await this.dataSource.query<UnknownTargets[]>(
      `SELECT
         ARRAY(SELECT x FROM unnest($2::text[]) WITH ORDINALITY AS u(x, i)
                WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.municipality_id = $1
                                     AND a.id = (CASE WHEN x ~ ${UUID_TEXT} THEN x::uuid END))
                ORDER BY i) AS "areaIds",
         ARRAY(SELECT x FROM unnest($3::text[]) WITH ORDINALITY AS u(x, i)
                WHERE NOT EXISTS (SELECT 1 FROM household h WHERE h.municipality_id = $1
                                     AND h.id = (CASE WHEN x ~ ${UUID_TEXT} THEN x::uuid END))
                ORDER BY i) AS "householdIds",
         ARRAY(SELECT x FROM unnest($4::text[]) WITH ORDINALITY AS u(x, i)
                WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.municipality_id = $1
                                     AND x IN (a.jma_city_code, a.jma_quake_area_code, a.jma_tsunami_area_code,
                                               a.jma_eew_area_code))
                ORDER BY i) AS "jmaCodes"`,
      [municipalityId, named.areaIds, named.householdIds, named.jmaCodes],
    );
    return rows[0];
  }

  /**
   * The audience on `channels`, per channel and group, in ONE statement over the municipality's active endpoints
   * (the same predicate the planner plans with, `audienceSql`). The people an endpoint reaches are its resident,
   * or for a household endpoint (a receiver) everyone registered in that household; a group counts the endpoints
   * that reach at least one of its people. `ordered`: the municipality plans this alert in ordered fallback mode,
   * so each resident counts on their first usable channel only, as the first round of the plan does.
   */
  async counts(
    municipalityId: string,
    audience: AudienceFilter,
    channels: readonly Channel[],
    ordered?: { channels: readonly Channel[]; order: readonly Channel[] },
  ): Promise<AudienceCounts> {
    const sql = audienceSql('p.channel', {
      alertsScope: '$4',
      email: '$5',
      active: '$3',
      everywhere: '$6',
      areaIds: '$7',
      householdIds: '$8',
      jmaCodes: '$9',
      groups: '$10',
      orderedChannels: '$11',
      order: '$12',
    });
    const rows = await this.dataSource.query<
      {
        channel: Channel | null;
        grp: keyof AudienceGroupCounts;
        endpoints: number;
        residents: number;
        households: number;
      }[]
    >(
      `WITH members AS (
         SELECT p.id, p.channel, p.resident_id, COALESCE(r.household_id, p.household_id) AS household_id,
                r.needs_assistance, r.staff
           FROM endpoint p
           ${sql.joins}
          WHERE p.municipality_id = $1 AND p.channel = ANY ($2::text[]) AND p.status = $3 AND ${sql.where}
       ),
       people AS (
         SELECT m.id, m.channel, m.household_id, x.person, x.needs_assistance, x.staff
           FROM members m
           LEFT JOIN LATERAL (
             SELECT m.resident_id AS person, m.needs_assistance, m.staff WHERE m.resident_id IS NOT NULL
             UNION ALL
             SELECT hr.id, hr.needs_assistance, hr.staff FROM resident hr
              WHERE m.resident_id IS NULL AND hr.household_id = m.household_id
           ) x ON true
       ),
       tagged AS (
         SELECT p.id, p.channel, p.household_id, p.person, g.grp
           FROM people p
           CROSS JOIN LATERAL (VALUES ('everyone'),
                                      (CASE WHEN p.needs_assistance THEN 'needs_assistance' END),
                                      (CASE WHEN p.staff THEN 'staff' END)) AS g(grp)
          WHERE g.grp IS NOT NULL
       )
       SELECT channel, grp, count(DISTINCT id)::int AS endpoints, count(DISTINCT person)::int AS residents,
              count(DISTINCT household_id)::int AS households
         FROM tagged
        GROUP BY GROUPING SETS ((channel, grp), (grp))`,
      [
        municipalityId,
        channels,
        EndpointStatus.Active,
        ConsentScope.Alerts,
        Channel.Email,
        audience.everywhere,
        audience.areaIds,
        audience.householdIds,
        audience.jmaCodes,
        audience.groups,
        ordered?.channels ?? null,
        ordered?.order ?? null,
      ],
    );
    const out: AudienceCounts = { total: zero(), byChannel: {} };
    for (const c of channels) out.byChannel[c] = zero();
    for (const row of rows) {
      const target = row.channel === null ? out.total : out.byChannel[row.channel];
      if (!target) continue;
      target[row.grp] = { endpoints: row.endpoints, residents: row.residents, households: row.households };
    }
    return out;
  }

  /**
   * The municipality's active visitor subscriptions (旅行者) an alert's `VisitorAudience` reaches, with the
   * planner's own predicate (`visitorAudienceSql`); whether an alert reaches visitors at all is the domain's
   * `visitorAudience`.
   */
  async visitors(municipalityId: string, audience: VisitorAudience): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM visitor_subscription v
        WHERE v.municipality_id = $1 AND v.status = $2
          AND ${visitorAudienceSql('v', { everywhere: '$3', areaIds: '$4', jmaCodes: '$5' })}`,
      [municipalityId, EndpointStatus.Active, audience.everywhere, audience.areaIds, audience.jmaCodes],
    );
    return row.n;
  }
}
