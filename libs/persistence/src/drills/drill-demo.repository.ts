import type { DataSource } from 'typeorm';
import { Channel, DeliveryStatus } from '@bousai/domain';

export interface AskedResident {
  residentId: string;
  group: string;
}

/**
 * What `npm run demo` needs to play the residents' part in a drill: who was asked (to answer for them through the
 * one-tap endpoint) and which app pushes the provider accepted (to acknowledge them as the devices would).
 * Used by the CLI only, never by a running app.
 */
export class DrillDemoRepository {
  constructor(private readonly dataSource: DataSource) {}

  async municipalityId(code: string): Promise<string | undefined> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM municipality WHERE code = $1`,
      [code],
    );
    return rows[0]?.id;
  }

  asked(alertId: string): Promise<AskedResident[]> {
    return this.dataSource.query<AskedResident[]>(
      `SELECT resident_id AS "residentId", target_group AS "group" FROM safety_request WHERE alert_id = $1`,
      [alertId],
    );
  }

  /** FCM deliveries of the alert the provider accepted and no device confirmed yet, after `afterId`, by id. */
  async acceptedPushes(alertId: string, afterId: string, limit = 5_000): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id::text AS id FROM delivery
        WHERE alert_id = $1 AND channel = $2 AND status = $3 AND id > $4::bigint
        ORDER BY id LIMIT $5`,
      [alertId, Channel.Fcm, DeliveryStatus.Sent, afterId, limit],
    );
    return rows.map((r) => r.id);
  }
}
