import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Channel, NotFoundError } from '@bousai/domain';
import {
  AreaEntity,
  EndpointEntity,
  HouseholdEntity,
  MunicipalityEntity,
  ResidentEntity,
  SupporterEntity,
} from '../entities';
import { copyRowsIn } from '../bulk-copy';
import { returnedRows, translatePgError } from '../sql/pg-errors';
import { ScopedCrud } from '../sql/scoped-crud';
import type {
  AreaIdentity,
  MunicipalityIdentity,
  NewEndpoint,
  NewHousehold,
  NewResident,
  NewSupporter,
  RosterCounts,
} from './roster-rows';

/** The municipality's roster: districts, households, residents, supporters and their endpoints. */
@Injectable()
export class RosterRepository {
  readonly areas: ScopedCrud<AreaEntity>;
  readonly households: ScopedCrud<HouseholdEntity>;
  readonly residents: ScopedCrud<ResidentEntity>;
  readonly supporters: ScopedCrud<SupporterEntity>;
  readonly endpoints: ScopedCrud<EndpointEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.areas = new ScopedCrud(dataSource.getRepository(AreaEntity), 'area');
    this.households = new ScopedCrud(dataSource.getRepository(HouseholdEntity), 'household');
    this.residents = new ScopedCrud(dataSource.getRepository(ResidentEntity), 'resident');
    this.supporters = new ScopedCrud(dataSource.getRepository(SupporterEntity), 'supporter');
    this.endpoints = new ScopedCrud(dataSource.getRepository(EndpointEntity), 'endpoint');
  }

  async municipality(id: string): Promise<MunicipalityEntity> {
    const row = await this.dataSource
      .getRepository(MunicipalityEntity)
      .findOneBy({ id })
      .catch(translatePgError);
    if (!row) throw new NotFoundError('municipality', id);
    return row;
  }

  async updateMunicipality(id: string, patch: Partial<MunicipalityEntity>): Promise<MunicipalityEntity> {
    const row = await this.municipality(id);
    const { id: _id, code: _code, ...rest } = patch;
    Object.assign(row, rest);
    return this.dataSource.getRepository(MunicipalityEntity).save(row).catch(translatePgError);
  }

  /**
   * Marks a resident's email endpoint confirmed (the address proved it can read our mail). Resolves to false when
   * there is no such endpoint of that resident; confirming twice keeps the first time.
   */
  async confirmEmailEndpoint(residentId: string, endpointId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown>(
      `UPDATE endpoint SET confirmed_at = COALESCE(confirmed_at, now()), updated_at = now()
        WHERE id = $1 AND resident_id = $2 AND channel = $3 RETURNING id`,
      [endpointId, residentId, Channel.Email],
    );
    return returnedRows(rows).length > 0;
  }

  /** The language a resident chose (or the import set), for the pages their one-tap links open; null if gone. */
  async residentLanguage(residentId: string): Promise<string | null> {
    const row = await this.dataSource
      .getRepository(ResidentEntity)
      .findOne({ where: { id: residentId }, select: { id: true, language: true } })
      .catch(translatePgError);
    return row?.language ?? null;
  }

  /** Endpoint by (channel, address), whoever owns it: registration must not steal another resident's token. */
  findEndpointByAddress(channel: Channel, address: string): Promise<EndpointEntity | null> {
    return this.dataSource.getRepository(EndpointEntity).findOneBy({ channel, address });
  }

  /*
   * Bulk writes, each in the caller's transaction `em`: set-based upserts of a municipality and its districts by
   * their codes, a whole roster cleared or COPYed in (tens of thousands of rows a second).
   */

  /** Creates the municipality of `m.code` or updates its name and JMA codes; its id survives. */
  async upsertMunicipality(
    em: EntityManager,
    m: MunicipalityIdentity,
  ): Promise<{ id: string; created: boolean }> {
    const [row] = returnedRows<{ id: string; created: boolean }>(
      await em.query(
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
      ),
    );
    return row;
  }

  /** Creates or updates the municipality's districts by code, in one statement; resolves to their ids by code. */
  async upsertAreas(
    em: EntityManager,
    municipalityId: string,
    areas: readonly AreaIdentity[],
  ): Promise<Map<string, string>> {
    const rows = returnedRows<{ id: string; code: string }>(
      await em.query(
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
      ),
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * Deletes the municipality's whole roster — households, residents, their supporters and endpoints, and through
   * the foreign keys what pointed at them (deliveries, safety requests, escalation tasks) — children first,
   * set-based, so the cascades have little left to do row by row. Resolves to the rows deleted per table.
   */
  async deleteRoster(em: EntityManager, municipalityId: string): Promise<RosterCounts> {
    const del = async (table: 'supporter' | 'endpoint' | 'resident' | 'household') =>
      returnedRows<{ n: number }>(
        await em.query(
          `WITH gone AS (DELETE FROM ${table} WHERE municipality_id = $1 RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [municipalityId],
        ),
      )[0].n;
    const supporters = await del('supporter');
    const endpoints = await del('endpoint');
    const residents = await del('resident');
    const households = await del('household');
    return { households, residents, supporters, endpoints };
  }

  /** COPYs households into the municipality; resolves to the number written. */
  bulkInsertHouseholds(
    em: EntityManager,
    municipalityId: string,
    rows: readonly NewHousehold[],
  ): Promise<number> {
    return copyRowsIn(
      em,
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
      rows.map((h) => [
        h.id,
        municipalityId,
        h.externalId,
        h.areaId,
        h.address,
        h.postalCode,
        h.phone,
        h.latitude,
        h.longitude,
      ]),
    );
  }

  /** COPYs residents (of households already written) into the municipality; resolves to the number written. */
  bulkInsertResidents(
    em: EntityManager,
    municipalityId: string,
    rows: readonly NewResident[],
  ): Promise<number> {
    return copyRowsIn(
      em,
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
      rows.map((r) => [
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
  }

  /** COPYs the supporters of residents already written; resolves to the number written. */
  bulkInsertSupporters(
    em: EntityManager,
    municipalityId: string,
    rows: readonly NewSupporter[],
  ): Promise<number> {
    return copyRowsIn(
      em,
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
      rows.map((s) => [
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
  }

  /** COPYs endpoints of residents and households already written; resolves to the number written. */
  bulkInsertEndpoints(
    em: EntityManager,
    municipalityId: string,
    rows: readonly NewEndpoint[],
  ): Promise<number> {
    return copyRowsIn(
      em,
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
      rows.map((e) => [
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
  }
}
