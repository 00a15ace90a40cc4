import { randomBytes } from 'node:crypto';
import type { TestDatabase } from '@bousai/testing';

type DataSource = TestDatabase['dataSource'];

/** A resident with a device-bound credential (as `/v1/resident/enrol` issues) and endpoints of their own. */
export interface SeededResident {
  residentId: string;
  credential: string;
  endpointIds: string[];
}

/**
 * `count` residents of `municipalityId`, set-based: each with a credential (stored as its SHA-256, as the enrolment
 * stores it) and `endpointsPerResident` endpoints of `channel`. Used by the e2e tests and by `bench:acks`.
 */
export async function seedResidents(
  ds: DataSource,
  municipalityId: string,
  count: number,
  options: { endpointsPerResident?: number; channel?: 'fcm' | 'webpush' | 'email' } = {},
): Promise<SeededResident[]> {
  const run = randomBytes(4).toString('hex');
  const perResident = options.endpointsPerResident ?? 1;
  const channel = options.channel ?? 'fcm';
  const residents = await ds.query<{ id: string; n: number; credential: string }[]>(
    `WITH r AS (
       INSERT INTO resident (municipality_id, external_id, name, consent_scopes)
       SELECT $1, 'ack-' || $2 || '-' || i, '住民', '{alerts}' FROM generate_series(1, $3::int) AS i
       RETURNING id, substr(external_id, length('ack-' || $2 || '-') + 1)::int AS n
     ),
     c AS (
       INSERT INTO resident_credential (resident_id, municipality_id, token_hash)
       SELECT r.id, $1, encode(sha256(convert_to('rc_' || $2 || '_' || r.n, 'UTF8')), 'hex') FROM r
     )
     SELECT id, n, 'rc_' || $2 || '_' || n AS credential FROM r ORDER BY n`,
    [municipalityId, run, count],
  );
  const endpoints = await ds.query<{ id: string; residentId: string }[]>(
    `INSERT INTO endpoint (municipality_id, resident_id, channel, address)
     SELECT $1, r.id, $3, 'ack-' || $2 || ':' || r.id || ':' || k || ':' || repeat(md5(r.id::text), 3)
       FROM unnest($4::uuid[]) AS r(id), generate_series(1, $5::int) AS k
     RETURNING id, resident_id AS "residentId"`,
    [municipalityId, run, channel, residents.map((r) => r.id), perResident],
  );
  const byResident = new Map<string, string[]>(residents.map((r) => [r.id, []]));
  for (const e of endpoints) byResident.get(e.residentId)?.push(e.id);
  return residents.map((r) => ({
    residentId: r.id,
    credential: r.credential,
    endpointIds: byResident.get(r.id) ?? [],
  }));
}

/** An alert on its way out (`dispatching`), expiring in an hour unless told otherwise. */
export async function seedAlert(
  ds: DataSource,
  municipalityId: string,
  overrides: { status?: string; channels?: string[] } = {},
): Promise<string> {
  const [row] = await ds.query<{ id: string }[]>(
    `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, expires_at)
     VALUES ($1, 'operator', $2, 'extreme', '{"all":true}', $3, $4, now() + interval '1 hour') RETURNING id`,
    [
      municipalityId,
      JSON.stringify({ ja: { title: '避難指示', body: '直ちに避難してください。' } }),
      overrides.channels ?? ['fcm'],
      overrides.status ?? 'dispatching',
    ],
  );
  return row.id;
}

/** One delivery of `alertId` per endpoint (`status` default `sent`), ids in the order of `endpointIds`. */
export async function seedDeliveries(
  ds: DataSource,
  alertId: string,
  endpointIds: readonly string[],
  options: { status?: string; channel?: string } = {},
): Promise<string[]> {
  const rows = await ds.query<{ id: string; endpointId: string }[]>(
    `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, status, language, sent_at)
     SELECT $1, e.id, $3, 0, $4, 'ja', now() FROM unnest($2::uuid[]) AS e(id)
     RETURNING id::text AS id, endpoint_id AS "endpointId"`,
    [alertId, endpointIds, options.channel ?? 'fcm', options.status ?? 'sent'],
  );
  const byEndpoint = new Map(rows.map((r) => [r.endpointId, r.id]));
  return endpointIds.map((e) => {
    const id = byEndpoint.get(e);
    if (!id) throw new Error(`no delivery for endpoint ${e}`);
    return id;
  });
}
