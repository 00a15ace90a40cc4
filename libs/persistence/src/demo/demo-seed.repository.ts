import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Channel } from '@bousai/domain';
import { copyRows } from '../bulk-copy';

/** The demo municipality's identity and JMA codes (docs/feeds.md §2). */
export interface DemoMunicipality {
  code: string;
  name: string;
  nameKana: string | null;
  jmaCityCodes: string[];
  jmaQuakeAreaCodes: string[];
  jmaTsunamiAreaCodes: string[];
  jmaEewAreaCodes: string[];
}

export interface DemoArea {
  code: string;
  name: string;
  nameKana: string | null;
  jmaCityCode: string | null;
  jmaQuakeAreaCode: string | null;
  jmaTsunamiAreaCode: string | null;
  jmaEewAreaCode: string | null;
}

/** Rows carry client-side uuids so they can reference each other before anything is written. */
export interface DemoHousehold {
  id: string;
  externalId: string;
  /** `DemoArea.code`; resolved to the area's id when written. */
  areaCode: string;
  address: string;
  postalCode: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface DemoResident {
  id: string;
  externalId: string;
  householdId: string;
  name: string;
  nameKana: string | null;
  language: string;
  needsAssistance: boolean;
  staff: boolean;
  consentScopes: string[];
  consentAt: Date | null;
  phone: string | null;
}

export interface DemoSupporter {
  id: string;
  residentId: string;
  supporterResidentId: string | null;
  name: string;
  relation: string;
  phone: string | null;
  email: string | null;
  priority: number;
}

export interface DemoEndpoint {
  id: string;
  residentId: string | null;
  householdId: string | null;
  channel: Channel;
  address: string;
  subscription: Record<string, unknown> | null;
  secretHash: string | null;
  lastSeenAt: Date | null;
  confirmedAt: Date | null;
  batteryPercent: number | null;
  signalDbm: number | null;
  firmware: string | null;
  label: string | null;
}

/** The synthetic resident register of the demo municipality. */
export interface DemoRoster {
  households: DemoHousehold[];
  residents: DemoResident[];
  supporters: DemoSupporter[];
  endpoints: DemoEndpoint[];
}

export interface DemoOperator {
  email: string;
  displayName: string;
  role: string;
}

export interface DemoSeedInput {
  municipality: DemoMunicipality;
  areas: DemoArea[];
  roster: DemoRoster;
  operators: DemoOperator[];
  /** argon2id hash given to operators that are created (and, with `resetOperatorPasswords`, to existing ones). */
  operatorPasswordHash: string;
  resetOperatorPasswords: boolean;
}

export interface DemoRosterCounts {
  households: number;
  residents: number;
  supporters: number;
  endpoints: number;
}

export interface DemoSeedResult {
  municipalityId: string;
  municipalityCreated: boolean;
  areas: number;
  /** The previous roster of the municipality, deleted before the new one was written. */
  removed: DemoRosterCounts;
  inserted: DemoRosterCounts;
  operators: {
    created: string[];
    /** Existing demo operators whose password was reset. */
    reset: string[];
    /** Existing demo operators left as they were. */
    kept: string[];
    /** Emails already used by an operator of another municipality: left alone. */
    taken: string[];
  };
}

/**
 * Writes the demo data set in one transaction. Re-running replaces the municipality's roster (households,
 * residents, their supporters and endpoints — and with them, through the foreign keys, any deliveries, safety
 * requests and escalation tasks that pointed at them); the municipality, its areas and operators are upserted,
 * so their ids, and alerts that reference them, survive.
 */
export class DemoSeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  async seed(input: DemoSeedInput): Promise<DemoSeedResult> {
    const qr = this.dataSource.createQueryRunner();
    // TypeORM's postgres QueryRunner hands out the pg PoolClient it holds; COPY must run on that same connection
    const client = (await qr.connect()) as PoolClient;
    try {
      await qr.startTransaction();
      try {
        const result = await this.seedIn(client, input);
        await qr.commitTransaction();
        return result;
      } catch (err) {
        await qr.rollbackTransaction();
        throw err;
      }
    } finally {
      await qr.release();
    }
  }

  /** The demo municipality's roster size, or undefined when it does not exist. */
  async rosterCounts(municipalityCode: string): Promise<DemoRosterCounts | undefined> {
    const rows: { households: string; residents: string; supporters: string; endpoints: string }[] =
      await this.dataSource.query(
        `SELECT (SELECT count(*) FROM household h WHERE h.municipality_id = m.id) AS households,
                (SELECT count(*) FROM resident r WHERE r.municipality_id = m.id) AS residents,
                (SELECT count(*) FROM supporter s WHERE s.municipality_id = m.id) AS supporters,
                (SELECT count(*) FROM endpoint e WHERE e.municipality_id = m.id) AS endpoints
           FROM municipality m WHERE m.code = $1`,
        [municipalityCode],
      );
    const [row] = rows;
    return row
      ? {
          households: Number(row.households),
          residents: Number(row.residents),
          supporters: Number(row.supporters),
          endpoints: Number(row.endpoints),
        }
      : undefined;
  }

  private async seedIn(client: PoolClient, input: DemoSeedInput): Promise<DemoSeedResult> {
    const m = input.municipality;
    const {
      rows: [municipality],
    } = await client.query<{ id: string; created: boolean }>(
      `INSERT INTO municipality (code, name, name_kana, jma_city_codes, jma_quake_area_codes,
                                 jma_tsunami_area_codes, jma_eew_area_codes)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (code) DO UPDATE SET
         name = EXCLUDED.name, name_kana = EXCLUDED.name_kana, jma_city_codes = EXCLUDED.jma_city_codes,
         jma_quake_area_codes = EXCLUDED.jma_quake_area_codes,
         jma_tsunami_area_codes = EXCLUDED.jma_tsunami_area_codes,
         jma_eew_area_codes = EXCLUDED.jma_eew_area_codes, updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        m.code,
        m.name,
        m.nameKana,
        m.jmaCityCodes,
        m.jmaQuakeAreaCodes,
        m.jmaTsunamiAreaCodes,
        m.jmaEewAreaCodes,
      ],
    );
    const municipalityId = municipality.id;

    const areaIds = await this.upsertAreas(client, municipalityId, input.areas);
    const removed = await this.deleteRoster(client, municipalityId);
    const inserted = await this.copyRoster(client, municipalityId, areaIds, input.roster);
    const operators = await this.upsertOperators(client, municipalityId, input);

    return {
      municipalityId,
      municipalityCreated: municipality.created,
      areas: areaIds.size,
      removed,
      inserted,
      operators,
    };
  }

  private async upsertAreas(
    client: PoolClient,
    municipalityId: string,
    areas: DemoArea[],
  ): Promise<Map<string, string>> {
    const { rows } = await client.query<{ id: string; code: string }>(
      `INSERT INTO area (municipality_id, code, name, name_kana, jma_city_code, jma_quake_area_code,
                         jma_tsunami_area_code, jma_eew_area_code)
       SELECT $1::uuid, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       ON CONFLICT (municipality_id, code) DO UPDATE SET
         name = EXCLUDED.name, name_kana = EXCLUDED.name_kana, jma_city_code = EXCLUDED.jma_city_code,
         jma_quake_area_code = EXCLUDED.jma_quake_area_code,
         jma_tsunami_area_code = EXCLUDED.jma_tsunami_area_code,
         jma_eew_area_code = EXCLUDED.jma_eew_area_code, updated_at = now()
       RETURNING id, code`,
      [
        municipalityId,
        areas.map((a) => a.code),
        areas.map((a) => a.name),
        areas.map((a) => a.nameKana),
        areas.map((a) => a.jmaCityCode),
        areas.map((a) => a.jmaQuakeAreaCode),
        areas.map((a) => a.jmaTsunamiAreaCode),
        areas.map((a) => a.jmaEewAreaCode),
      ],
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /** Children first, set-based, so the cascades have little left to do row by row. */
  private async deleteRoster(client: PoolClient, municipalityId: string): Promise<DemoRosterCounts> {
    const del = async (table: 'supporter' | 'endpoint' | 'resident' | 'household') =>
      (await client.query(`DELETE FROM ${table} WHERE municipality_id = $1`, [municipalityId])).rowCount ?? 0;
    const supporters = await del('supporter');
    const endpoints = await del('endpoint');
    const residents = await del('resident');
    const households = await del('household');
    return { households, residents, supporters, endpoints };
  }

  private async copyRoster(
    client: PoolClient,
    municipalityId: string,
    areaIds: Map<string, string>,
    roster: DemoRoster,
  ): Promise<DemoRosterCounts> {
    const areaId = (code: string): string => {
      const id = areaIds.get(code);
      if (!id) throw new Error(`household refers to an unknown area code ${code}`);
      return id;
    };
    const households = await copyRows(
      client,
      'household',
      [
        'id',
        'municipality_id',
        'external_id',
        'area_id',
        'address',
        'postal_code',
        'phone',
        'latitude',
        'longitude',
      ],
      roster.households.map((h) => [
        h.id,
        municipalityId,
        h.externalId,
        areaId(h.areaCode),
        h.address,
        h.postalCode,
        h.phone,
        h.latitude,
        h.longitude,
      ]),
    );
    const residents = await copyRows(
      client,
      'resident',
      [
        'id',
        'municipality_id',
        'external_id',
        'household_id',
        'name',
        'name_kana',
        'language',
        'needs_assistance',
        'staff',
        'consent_scopes',
        'consent_at',
        'phone',
      ],
      roster.residents.map((r) => [
        r.id,
        municipalityId,
        r.externalId,
        r.householdId,
        r.name,
        r.nameKana,
        r.language,
        r.needsAssistance,
        r.staff,
        r.consentScopes,
        r.consentAt,
        r.phone,
      ]),
    );
    const supporters = await copyRows(
      client,
      'supporter',
      [
        'id',
        'municipality_id',
        'resident_id',
        'supporter_resident_id',
        'name',
        'relation',
        'phone',
        'email',
        'priority',
      ],
      roster.supporters.map((s) => [
        s.id,
        municipalityId,
        s.residentId,
        s.supporterResidentId,
        s.name,
        s.relation,
        s.phone,
        s.email,
        s.priority,
      ]),
    );
    const endpoints = await copyRows(
      client,
      'endpoint',
      [
        'id',
        'municipality_id',
        'resident_id',
        'household_id',
        'channel',
        'address',
        'subscription',
        'secret_hash',
        'last_seen_at',
        'confirmed_at',
        'battery_percent',
        'signal_dbm',
        'firmware',
        'label',
      ],
      roster.endpoints.map((e) => [
        e.id,
        municipalityId,
        e.residentId,
        e.householdId,
        e.channel,
        e.address,
        e.subscription,
        e.secretHash,
        e.lastSeenAt,
        e.confirmedAt,
        e.batteryPercent,
        e.signalDbm,
        e.firmware,
        e.label,
      ]),
    );
    return { households, residents, supporters, endpoints };
  }

  private async upsertOperators(
    client: PoolClient,
    municipalityId: string,
    input: DemoSeedInput,
  ): Promise<DemoSeedResult['operators']> {
    const result: DemoSeedResult['operators'] = { created: [], reset: [], kept: [], taken: [] };
    for (const op of input.operators) {
      // the unique index is on lower(email): the conflict target names that expression
      const { rows } = await client.query<{ created: boolean; municipality_id: string }>(
        `INSERT INTO operator (municipality_id, email, display_name, password_hash, role)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (lower(email)) DO UPDATE SET
           password_hash = CASE WHEN $6::boolean THEN EXCLUDED.password_hash ELSE operator.password_hash END,
           display_name = EXCLUDED.display_name, role = EXCLUDED.role, disabled = false, updated_at = now()
         WHERE operator.municipality_id = EXCLUDED.municipality_id
         RETURNING (xmax = 0) AS created, municipality_id`,
        [
          municipalityId,
          op.email,
          op.displayName,
          input.operatorPasswordHash,
          op.role,
          input.resetOperatorPasswords,
        ],
      );
      const [row] = rows;
      if (!row) result.taken.push(op.email);
      else if (row.created) result.created.push(op.email);
      else if (input.resetOperatorPasswords) result.reset.push(op.email);
      else result.kept.push(op.email);
    }
    return result;
  }
}
