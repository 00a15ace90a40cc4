import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@bousai/domain';
import { copyRows, type CopyValue, transactionClient } from '../bulk-copy';

/** Every row carries the 1-based physical line of the file it came from, so rejections can point at it. */
interface SourceLine {
  line: number;
}

export interface HouseholdImportRow extends SourceLine {
  /** 世帯番号. */
  externalId: string;
  /** The municipality's own district code (`area.code`). */
  areaCode: string;
  address: string;
  postalCode: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface ResidentImportRow extends SourceLine {
  /** 住民番号 / 宛名番号. */
  externalId: string;
  /** The household's 世帯番号, or null for a resident without one. */
  householdExternalId: string | null;
  name: string;
  nameKana: string | null;
  language: string;
  needsAssistance: boolean;
  staff: boolean;
  consentScopes: readonly string[];
  phone: string | null;
}

export interface SupporterImportRow extends SourceLine {
  /** 住民番号 of the person supported. */
  residentExternalId: string;
  priority: number;
  name: string;
  relation: string;
  phone: string | null;
  email: string | null;
  /** 住民番号 of the supporter, when they are a registered resident too. */
  supporterResidentExternalId: string | null;
}

/** Fields a file may leave out; the others are always written. */
export type HouseholdOptionalField = 'postalCode' | 'phone' | 'latitude' | 'longitude';
export type ResidentOptionalField =
  'householdExternalId' | 'nameKana' | 'language' | 'needsAssistance' | 'staff' | 'consentScopes' | 'phone';
export type SupporterOptionalField = 'phone' | 'email' | 'supporterResidentExternalId';

export interface RosterImportOptions<F extends string> {
  /**
   * Fields the file did not carry. A new row gets their defaults; an existing row keeps what it has, so a file
   * without a 同意 column does not reset the consent a resident gave in the app.
   */
  keep?: readonly F[];
}

export type RosterRejectionCode =
  'UNKNOWN_AREA' | 'UNKNOWN_HOUSEHOLD' | 'UNKNOWN_RESIDENT' | 'DUPLICATE_IN_FILE';

/** A row left out because what it refers to is not registered (or its key came twice). */
export interface RosterRejection {
  line: number;
  code: RosterRejectionCode;
  /** The row field at fault, e.g. `areaCode`. */
  field: string;
}

export interface RosterImportResult {
  inserted: number;
  updated: number;
  /** Rows that matched an existing one and changed nothing. */
  unchanged: number;
  /** Ordered by line. */
  rejected: RosterRejection[];
}

interface StageColumn<R> {
  name: string;
  type: string;
  value: (row: R) => CopyValue;
}

interface Assignment<F extends string> {
  /** Present when a file may omit the field; see {@link RosterImportOptions.keep}. */
  field?: F;
  column: string;
}

function setList<F extends string>(assignments: readonly Assignment<F>[], keep: readonly F[] = []) {
  const written = assignments.filter((a) => !a.field || !keep.includes(a.field)).map((a) => a.column);
  return {
    set: written.map((c) => `${c} = EXCLUDED.${c}`).join(', '),
    // a row whose values are all equal is left alone: no new tuple, no updated_at bump, counted as unchanged
    changed: `(${written.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${written.map((c) => `EXCLUDED.${c}`).join(', ')})`,
  };
}

const HOUSEHOLD_STAGE: readonly StageColumn<HouseholdImportRow>[] = [
  { name: 'line', type: 'integer NOT NULL', value: (r) => r.line },
  { name: 'external_id', type: 'text NOT NULL', value: (r) => r.externalId },
  { name: 'area_code', type: 'text NOT NULL', value: (r) => r.areaCode },
  { name: 'address', type: 'text NOT NULL', value: (r) => r.address },
  { name: 'postal_code', type: 'text', value: (r) => r.postalCode },
  { name: 'phone', type: 'text', value: (r) => r.phone },
  { name: 'latitude', type: 'double precision', value: (r) => r.latitude },
  { name: 'longitude', type: 'double precision', value: (r) => r.longitude },
];

const HOUSEHOLD_SET: readonly Assignment<HouseholdOptionalField>[] = [
  { column: 'area_id' },
  { column: 'address' },
  { column: 'postal_code', field: 'postalCode' },
  { column: 'phone', field: 'phone' },
  { column: 'latitude', field: 'latitude' },
  { column: 'longitude', field: 'longitude' },
];

const RESIDENT_STAGE: readonly StageColumn<ResidentImportRow>[] = [
  { name: 'line', type: 'integer NOT NULL', value: (r) => r.line },
  { name: 'external_id', type: 'text NOT NULL', value: (r) => r.externalId },
  { name: 'household_external_id', type: 'text', value: (r) => r.householdExternalId },
  { name: 'name', type: 'text NOT NULL', value: (r) => r.name },
  { name: 'name_kana', type: 'text', value: (r) => r.nameKana },
  { name: 'language', type: 'text NOT NULL', value: (r) => r.language },
  { name: 'needs_assistance', type: 'boolean NOT NULL', value: (r) => r.needsAssistance },
  { name: 'staff', type: 'boolean NOT NULL', value: (r) => r.staff },
  { name: 'consent_scopes', type: 'text[] NOT NULL', value: (r) => r.consentScopes },
  { name: 'phone', type: 'text', value: (r) => r.phone },
];

const RESIDENT_SET: readonly Assignment<ResidentOptionalField>[] = [
  { column: 'household_id', field: 'householdExternalId' },
  { column: 'name' },
  { column: 'name_kana', field: 'nameKana' },
  { column: 'language', field: 'language' },
  { column: 'needs_assistance', field: 'needsAssistance' },
  { column: 'staff', field: 'staff' },
  { column: 'consent_scopes', field: 'consentScopes' },
  { column: 'phone', field: 'phone' },
];

const SUPPORTER_STAGE: readonly StageColumn<SupporterImportRow>[] = [
  { name: 'line', type: 'integer NOT NULL', value: (r) => r.line },
  { name: 'resident_external_id', type: 'text NOT NULL', value: (r) => r.residentExternalId },
  { name: 'priority', type: 'smallint NOT NULL', value: (r) => r.priority },
  { name: 'name', type: 'text NOT NULL', value: (r) => r.name },
  { name: 'relation', type: 'text NOT NULL', value: (r) => r.relation },
  { name: 'phone', type: 'text', value: (r) => r.phone },
  { name: 'email', type: 'text', value: (r) => r.email },
  { name: 'supporter_resident_external_id', type: 'text', value: (r) => r.supporterResidentExternalId },
];

const SUPPORTER_SET: readonly Assignment<SupporterOptionalField>[] = [
  { column: 'name' },
  { column: 'relation' },
  { column: 'phone', field: 'phone' },
  { column: 'email', field: 'email' },
  { column: 'supporter_resident_id', field: 'supporterResidentExternalId' },
];

/**
 * Bulk roster import: the validated rows are COPYed into a temporary staging table, then references are
 * resolved and the rows upserted with one statement each, all in one transaction. Rows whose references do not
 * resolve are rejected by line; a rejection never aborts the others. Rows absent from the file are left as
 * they are: an import adds and updates, it never deletes.
 */
@Injectable()
export class RosterImportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Households by 世帯番号; the area is found by its code within the municipality. */
  importHouseholds(
    municipalityId: string,
    rows: readonly HouseholdImportRow[],
    options: RosterImportOptions<HouseholdOptionalField> = {},
  ): Promise<RosterImportResult> {
    const { set, changed } = setList(HOUSEHOLD_SET, options.keep);
    return this.run(municipalityId, rows, {
      stage: 'roster_stage_household',
      columns: HOUSEHOLD_STAGE,
      key: { columns: ['external_id'], field: 'externalId' },
      rejections: `
        SELECT s.line, 'UNKNOWN_AREA' AS code, 'areaCode' AS field
        FROM roster_stage_household s
        WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.municipality_id = $1 AND a.code = s.area_code)`,
      upsert: `
        INSERT INTO household AS t
          (municipality_id, external_id, area_id, address, postal_code, phone, latitude, longitude)
        SELECT $1, s.external_id, a.id, s.address, s.postal_code, s.phone, s.latitude, s.longitude
        FROM roster_stage_household s
        JOIN area a ON a.municipality_id = $1 AND a.code = s.area_code
        ORDER BY s.external_id
        ON CONFLICT (municipality_id, external_id) DO UPDATE SET ${set}, updated_at = now()
        WHERE ${changed}`,
    });
  }

  /** Residents by 住民番号; the household, when given, is found by its 世帯番号 within the municipality. */
  importResidents(
    municipalityId: string,
    rows: readonly ResidentImportRow[],
    options: RosterImportOptions<ResidentOptionalField> = {},
  ): Promise<RosterImportResult> {
    const { set, changed } = setList(RESIDENT_SET, options.keep);
    return this.run(municipalityId, rows, {
      stage: 'roster_stage_resident',
      columns: RESIDENT_STAGE,
      key: { columns: ['external_id'], field: 'externalId' },
      rejections: `
        SELECT s.line, 'UNKNOWN_HOUSEHOLD' AS code, 'householdExternalId' AS field
        FROM roster_stage_resident s
        WHERE s.household_external_id IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM household h WHERE h.municipality_id = $1 AND h.external_id = s.household_external_id
          )`,
      upsert: `
        INSERT INTO resident AS t (municipality_id, external_id, household_id, name, name_kana, language,
          needs_assistance, staff, consent_scopes, phone)
        SELECT $1, s.external_id, h.id, s.name, s.name_kana, s.language,
          s.needs_assistance, s.staff, s.consent_scopes, s.phone
        FROM roster_stage_resident s
        LEFT JOIN household h ON h.municipality_id = $1 AND h.external_id = s.household_external_id
        ORDER BY s.external_id
        ON CONFLICT (municipality_id, external_id) DO UPDATE SET ${set}, updated_at = now()
        WHERE ${changed}`,
    });
  }

  /**
   * Supporters by (resident, priority): the supported resident and, when given, the supporting resident are
   * found by 住民番号 within the municipality.
   */
  importSupporters(
    municipalityId: string,
    rows: readonly SupporterImportRow[],
    options: RosterImportOptions<SupporterOptionalField> = {},
  ): Promise<RosterImportResult> {
    const { set, changed } = setList(SUPPORTER_SET, options.keep);
    return this.run(municipalityId, rows, {
      stage: 'roster_stage_supporter',
      columns: SUPPORTER_STAGE,
      key: { columns: ['resident_external_id', 'priority'], field: 'priority' },
      rejections: `
        SELECT s.line, 'UNKNOWN_RESIDENT' AS code, 'residentExternalId' AS field
        FROM roster_stage_supporter s
        WHERE NOT EXISTS (
          SELECT 1 FROM resident r WHERE r.municipality_id = $1 AND r.external_id = s.resident_external_id
        )
        UNION ALL
        SELECT s.line, 'UNKNOWN_RESIDENT', 'supporterResidentExternalId'
        FROM roster_stage_supporter s
        WHERE s.supporter_resident_external_id IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM resident r
            WHERE r.municipality_id = $1 AND r.external_id = s.supporter_resident_external_id
          )`,
      upsert: `
        INSERT INTO supporter AS t (municipality_id, resident_id, supporter_resident_id, name, relation, phone,
          email, priority)
        SELECT $1, r.id, sr.id, s.name, s.relation, s.phone, s.email, s.priority
        FROM roster_stage_supporter s
        JOIN resident r ON r.municipality_id = $1 AND r.external_id = s.resident_external_id
        LEFT JOIN resident sr ON sr.municipality_id = $1 AND sr.external_id = s.supporter_resident_external_id
        ORDER BY r.id, s.priority
        ON CONFLICT (resident_id, priority) DO UPDATE SET ${set}, updated_at = now()
        WHERE ${changed}`,
    });
  }

  private run<R extends SourceLine>(
    municipalityId: string,
    rows: readonly R[],
    plan: {
      stage: string;
      columns: readonly StageColumn<R>[];
      /** The in-file identity; a later line repeating it is rejected. */
      key: { columns: readonly string[]; field: string };
      /** `(line, code, field)` of staged rows whose references do not resolve; `$1` is the municipality. */
      rejections: string;
      /** `INSERT … SELECT` from the stage, without RETURNING; `$1` is the municipality. */
      upsert: string;
    },
  ): Promise<RosterImportResult> {
    return this.dataSource.transaction(async (em) => {
      const client = await transactionClient(em);

      const found = await client.query('SELECT 1 FROM municipality WHERE id = $1', [municipalityId]);
      if (found.rows.length === 0) throw new NotFoundError('municipality', municipalityId);

      const { stage, columns, key } = plan;
      await client.query(
        `CREATE TEMP TABLE ${stage} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')}) ON COMMIT DROP`,
      );
      await copyRows(
        client,
        stage,
        columns.map((c) => c.name),
        rows.map((row) => columns.map((c) => c.value(row))),
      );
      // temporary tables are never auto-analysed; without statistics the planner guesses the joins below blind
      await client.query(`ANALYZE ${stage}`);

      const duplicates = await client.query<RosterRejection>(
        `DELETE FROM ${stage} s USING ${stage} e
         WHERE ${key.columns.map((c) => `e.${c} = s.${c}`).join(' AND ')} AND e.line < s.line
         RETURNING s.line, 'DUPLICATE_IN_FILE' AS code, $1::text AS field`,
        [key.field],
      );
      const unresolved = await client.query<RosterRejection>(
        `WITH bad AS (${plan.rejections}),
         gone AS (DELETE FROM ${stage} s USING bad WHERE s.line = bad.line)
         SELECT line, code, field FROM bad`,
        [municipalityId],
      );
      const counts = await client.query<{ staged: number; inserted: number; updated: number }>(
        `WITH up AS (${plan.upsert} RETURNING (t.xmax = 0) AS inserted)
         SELECT (SELECT count(*) FROM ${stage})::int AS staged,
                count(*) FILTER (WHERE inserted)::int AS inserted,
                count(*) FILTER (WHERE NOT inserted)::int AS updated
         FROM up`,
        [municipalityId],
      );
      const { staged, inserted, updated } = counts.rows[0];
      return {
        inserted,
        updated,
        unchanged: staged - inserted - updated,
        rejected: [...duplicates.rows, ...unresolved.rows].sort((a, b) => a.line - b.line),
      };
    });
  }
}
