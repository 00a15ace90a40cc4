import { randomInt } from 'node:crypto';
import iconv from 'iconv-lite';
import { NotFoundError } from '@bousai/domain';
import { RosterImportRepository } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';
import { CsvImportUseCase, type ImportReport } from '../../../apps/api/src/roster/import/csv-import.use-case';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = (...lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
const utf8Bom = (...lines: string[]) => Buffer.concat([BOM, utf8(...lines)]);
const sjis = (...lines: string[]) => iconv.encode(lines.join('\r\n') + '\r\n', 'cp932');

/** Nothing dropped silently: every data row is either imported or named by at least one error. */
function expectEveryRowAccountedFor(report: ImportReport): void {
  expect(report.imported + new Set(report.errors.map((e) => e.line)).size).toBe(report.rows);
}

describe(CsvImportUseCase.name, () => {
  let db: TestDatabase;
  let repository: RosterImportRepository;
  let sut: CsvImportUseCase;

  const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
    db.dataSource.query<T[]>(sql, params);

  /** Each test imports into its own municipality, with districts A1 and A2. */
  async function municipality(): Promise<string> {
    const [m] = await q<{ id: string }>(
      `INSERT INTO municipality (code, name) VALUES ($1, 'テスト市') RETURNING id`,
      [String(randomInt(100000, 999999))],
    );
    await q(`INSERT INTO area (municipality_id, code, name) VALUES ($1, 'A1', '中央'), ($1, 'A2', '北')`, [
      m.id,
    ]);
    return m.id;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    repository = new RosterImportRepository(db.dataSource);
    sut = new CsvImportUseCase(repository);
  });
  afterAll(async () => {
    await db.drop();
  });

  describe('households', () => {
    it('imports every good row of a UTF-8 file and reports every bad one with its line and reason', async () => {
      const m = await municipality();
      const other = await municipality();
      await q(`INSERT INTO area (municipality_id, code, name) VALUES ($1, 'A9', '他市の地区')`, [other]);

      const report = await sut.execute({
        municipalityId: m,
        kind: 'households',
        content: utf8(
          'household_id,area_code,address,postal_code,phone,latitude,longitude', // 1
          'H1,A1,"浜松市中区元城町', // 2
          '103-2",430-0929,053-457-2111,34.7108,137.7261', // 3
          'H2,A2,鴨江3-1,,,,', // 4
          'H3,A9,他市の地区に住所,,,,', // 5: A9 belongs to another municipality
          'H4,A1,元城町,123,,,', // 6: bad postal code
          'H2,A1,重複,,,,', // 7: repeats H2
          'H5,ZZ,不明な地区,,,,', // 8
          'H6,A1,,,,,', // 9: no address
          'H7,A1,緯度だけ,,,34.7,', // 10
        ),
      });

      expect(report).toMatchObject({
        kind: 'households',
        encoding: 'utf-8',
        rows: 8,
        imported: 2,
        inserted: 2,
      });
      expect(report.errors.map((e) => [e.line, e.code, e.column])).toEqual([
        [5, 'UNKNOWN_AREA', 'area_code'],
        [6, 'INVALID_VALUE', 'postal_code'],
        [7, 'DUPLICATE_IN_FILE', 'household_id'],
        [8, 'UNKNOWN_AREA', 'area_code'],
        [9, 'MISSING_VALUE', 'address'],
        [10, 'MISSING_VALUE', 'longitude'],
      ]);
      expect(report.errors[0].message).toBe('Area code "A9" is not an area of this municipality');
      expectEveryRowAccountedFor(report);

      const rows = await q(
        `SELECT h.external_id, a.code AS area, h.address, h.postal_code, h.phone, h.latitude, h.longitude
         FROM household h JOIN area a ON a.id = h.area_id WHERE h.municipality_id = $1 ORDER BY 1`,
        [m],
      );
      expect(rows).toEqual([
        {
          external_id: 'H1',
          area: 'A1',
          address: '浜松市中区元城町 103-2',
          postal_code: '430-0929',
          phone: '053-457-2111',
          latitude: 34.7108,
          longitude: 137.7261,
        },
        {
          external_id: 'H2',
          area: 'A2',
          address: '鴨江3-1',
          postal_code: null,
          phone: null,
          latitude: null,
          longitude: null,
        },
      ]);
      expect(await q(`SELECT count(*)::int AS n FROM household WHERE municipality_id = $1`, [other])).toEqual(
        [{ n: 0 }],
      );
    });

    it('re-importing updates rather than duplicates, and leaves unchanged rows alone (UTF-8 BOM, Japanese headers)', async () => {
      const m = await municipality();
      await sut.execute({
        municipalityId: m,
        kind: 'households',
        content: utf8('household_id,area_code,address,phone', 'H1,A1,元城町1,053-000-0001', 'H2,A1,元城町2,'),
      });
      const [before] = await q<{ updated_at: Date }>(
        `SELECT updated_at FROM household WHERE municipality_id = $1 AND external_id = 'H2'`,
        [m],
      );

      const report = await sut.execute({
        municipalityId: m,
        kind: 'households',
        content: utf8Bom('世帯番号,地区コード,住所', 'H1,A2,元城町1-1', 'H2,A1,元城町2', 'H3,A1,元城町3'),
      });

      expect(report).toMatchObject({
        encoding: 'utf-8',
        rows: 3,
        imported: 3,
        inserted: 1,
        updated: 1,
        unchanged: 1,
        errors: [],
      });
      const rows = await q(
        `SELECT h.external_id, a.code AS area, h.address, h.phone, h.updated_at
         FROM household h JOIN area a ON a.id = h.area_id WHERE h.municipality_id = $1 ORDER BY 1`,
        [m],
      );
      expect(rows).toEqual([
        // the file had no 電話番号 column: the phone stored before is kept
        {
          external_id: 'H1',
          area: 'A2',
          address: '元城町1-1',
          phone: '053-000-0001',
          updated_at: expect.any(Date),
        },
        { external_id: 'H2', area: 'A1', address: '元城町2', phone: null, updated_at: before.updated_at },
        { external_id: 'H3', area: 'A1', address: '元城町3', phone: null, updated_at: expect.any(Date) },
      ]);
    });
  });

  describe('residents', () => {
    it('imports a Shift_JIS file with Japanese headers, flags and consent, and rejects unknown households', async () => {
      const m = await municipality();
      await sut.execute({
        municipalityId: m,
        kind: 'households',
        content: utf8('household_id,area_code,address', 'H1,A1,元城町1', 'H2,A2,鴨江2'),
      });

      const report = await sut.execute({
        municipalityId: m,
        kind: 'residents',
        content: sjis(
          '住民番号,世帯番号,氏名,ふりがな,言語,要援護者,職員,同意,生年月日', // 1
          'R1,H1,髙橋 一郎,たかはし いちろう,ja,○,,alerts;safety;share_with_supporters,1940/01/02', // 2
          'R2,H1,Nguyen Van A,,vi,いいえ,はい,,1990/05/06', // 3
          'R3,H9,浜松 花子,,ja,,,,', // 4: unknown household
          'R4,,世帯なし 次郎,,en,1,0,alerts,', // 5: no household is allowed
          'R5,H2,,,ja,,,,', // 6: no name
          'R6,H2,浜松 三郎,,xx,maybe,,,', // 7: two bad cells
          'R2,H2,重複,,,,,,', // 8
        ),
      });

      expect(report).toMatchObject({
        encoding: 'shift_jis',
        rows: 7,
        imported: 3,
        inserted: 3,
        ignoredColumns: ['生年月日'],
      });
      expect(report.errors.map((e) => [e.line, e.code, e.column])).toEqual([
        [4, 'UNKNOWN_HOUSEHOLD', '世帯番号'],
        [6, 'MISSING_VALUE', '氏名'],
        [7, 'INVALID_VALUE', '言語'],
        [7, 'INVALID_VALUE', '要援護者'],
        [8, 'DUPLICATE_IN_FILE', '住民番号'],
      ]);
      expectEveryRowAccountedFor(report);

      const rows = await q(
        `SELECT r.external_id, h.external_id AS household, r.name, r.name_kana, r.language, r.needs_assistance,
                r.staff, r.consent_scopes
         FROM resident r LEFT JOIN household h ON h.id = r.household_id
         WHERE r.municipality_id = $1 ORDER BY 1`,
        [m],
      );
      expect(rows).toEqual([
        {
          external_id: 'R1',
          household: 'H1',
          name: '髙橋 一郎',
          name_kana: 'たかはし いちろう',
          language: 'ja',
          needs_assistance: true,
          staff: false,
          consent_scopes: ['alerts', 'safety', 'share_with_supporters'],
        },
        {
          external_id: 'R2',
          household: 'H1',
          name: 'Nguyen Van A',
          name_kana: null,
          language: 'vi',
          needs_assistance: false,
          staff: true,
          consent_scopes: ['alerts'],
        },
        {
          external_id: 'R4',
          household: null,
          name: '世帯なし 次郎',
          name_kana: null,
          language: 'en',
          needs_assistance: true,
          staff: false,
          consent_scopes: ['alerts'],
        },
      ]);
    });

    it('keeps the consent a resident gave when the file has no consent column, and overwrites it when it has', async () => {
      const m = await municipality();
      await sut.execute({
        municipalityId: m,
        kind: 'residents',
        content: utf8('resident_id,name', 'R1,浜松 花子'),
      });
      await q(`UPDATE resident SET consent_scopes = '{alerts,safety}' WHERE municipality_id = $1`, [m]);

      const kept = await sut.execute({
        municipalityId: m,
        kind: 'residents',
        content: utf8('resident_id,name,needs_assistance', 'R1,浜松 花子,1'),
      });
      expect(kept).toMatchObject({ updated: 1, errors: [] });
      expect(
        await q(`SELECT consent_scopes, needs_assistance FROM resident WHERE municipality_id = $1`, [m]),
      ).toEqual([{ consent_scopes: ['alerts', 'safety'], needs_assistance: true }]);

      await sut.execute({
        municipalityId: m,
        kind: 'residents',
        content: utf8('resident_id,name,consent', 'R1,浜松 花子,alerts'),
      });
      expect(
        await q(`SELECT consent_scopes, needs_assistance FROM resident WHERE municipality_id = $1`, [m]),
      ).toEqual([{ consent_scopes: ['alerts'], needs_assistance: true }]);
    });

    it('imports 40k residents', async () => {
      const m = await municipality();
      const households = 16_000;
      const residents = 40_000;
      const householdCsv = ['世帯番号,地区コード,住所,郵便番号,電話番号,緯度,経度'];
      for (let i = 0; i < households; i++) {
        householdCsv.push(
          `H${i},A${(i % 2) + 1},浜松市中区元城町${i}番地,430-0929,053-457-${String(i % 10000).padStart(4, '0')},34.71,137.72`,
        );
      }
      const residentCsv = ['住民番号,世帯番号,氏名,ふりがな,言語,要援護者,職員,同意'];
      for (let i = 0; i < residents; i++) {
        residentCsv.push(
          `R${i},H${i % households},浜松 太郎${i},はままつ たろう,${i % 10 === 0 ? 'en' : 'ja'},${i % 7 === 0 ? '○' : ''},,alerts`,
        );
      }

      let started = performance.now();
      const h = await sut.execute({ municipalityId: m, kind: 'households', content: sjis(...householdCsv) });
      const householdMs = performance.now() - started;
      started = performance.now();
      const r = await sut.execute({ municipalityId: m, kind: 'residents', content: sjis(...residentCsv) });
      const residentMs = performance.now() - started;
      started = performance.now();
      const again = await sut.execute({
        municipalityId: m,
        kind: 'residents',
        content: sjis(...residentCsv),
      });
      const reimportMs = performance.now() - started;
      console.log(
        `CSV import (Shift_JIS): ${households} households ${householdMs.toFixed(0)} ms; ` +
          `${residents} residents ${residentMs.toFixed(0)} ms; re-import unchanged ${reimportMs.toFixed(0)} ms`,
      );

      expect(h).toMatchObject({ rows: households, inserted: households, errors: [] });
      expect(r).toMatchObject({ rows: residents, inserted: residents, errors: [] });
      expect(again).toMatchObject({
        rows: residents,
        inserted: 0,
        updated: 0,
        unchanged: residents,
        errors: [],
      });
      expect(
        await q(
          `SELECT count(*)::int AS n, count(household_id)::int AS with_household,
                  count(*) FILTER (WHERE needs_assistance)::int AS needs_assistance
           FROM resident WHERE municipality_id = $1`,
          [m],
        ),
      ).toEqual([{ n: residents, with_household: residents, needs_assistance: Math.ceil(residents / 7) }]);
    });
  });

  describe('supporters', () => {
    it('link supporters to the residents they support and to supporting residents, by 住民番号', async () => {
      const m = await municipality();
      await sut.execute({
        municipalityId: m,
        kind: 'residents',
        content: utf8(
          'resident_id,name,needs_assistance',
          'R1,要援護 一郎,1',
          'R2,近所 花子,0',
          'R3,職員 三郎,0',
        ),
      });

      const report = await sut.execute({
        municipalityId: m,
        kind: 'supporters',
        content: utf8Bom(
          '住民番号,順位,氏名,続柄,電話番号,メール,支援者住民番号', // 1
          'R1,1,近所 花子,近隣,090-1234-5678,,R2', // 2
          'R1,2,民生 委員,民生委員,,Minsei@Example.JP,', // 3
          'R1,3,職員 三郎,職員,,,R99', // 4: unknown supporting resident
          'R99,1,誰か,家族,,,', // 5: unknown resident
          'R1,2,重複,家族,,,', // 6: priority 2 again
          'R1,4,友人,友人,,,', // 7: unknown relation
        ),
      });

      expect(report).toMatchObject({ rows: 6, imported: 2, inserted: 2 });
      expect(report.errors.map((e) => [e.line, e.code, e.column])).toEqual([
        [4, 'UNKNOWN_RESIDENT', '支援者住民番号'],
        [5, 'UNKNOWN_RESIDENT', '住民番号'],
        [6, 'DUPLICATE_IN_FILE', '順位'],
        [7, 'INVALID_VALUE', '続柄'],
      ]);
      expectEveryRowAccountedFor(report);

      const supporters = () =>
        q(
          `SELECT r.external_id AS resident, s.priority, s.name, s.relation, s.phone, s.email,
                  sr.external_id AS supporter_resident
           FROM supporter s JOIN resident r ON r.id = s.resident_id
           LEFT JOIN resident sr ON sr.id = s.supporter_resident_id
           WHERE s.municipality_id = $1 ORDER BY 1, 2`,
          [m],
        );
      expect(await supporters()).toEqual([
        {
          resident: 'R1',
          priority: 1,
          name: '近所 花子',
          relation: 'neighbour',
          phone: '090-1234-5678',
          email: null,
          supporter_resident: 'R2',
        },
        {
          resident: 'R1',
          priority: 2,
          name: '民生 委員',
          relation: 'welfare_commissioner',
          phone: null,
          email: 'minsei@example.jp',
          supporter_resident: null,
        },
      ]);

      const again = await sut.execute({
        municipalityId: m,
        kind: 'supporters',
        content: utf8('resident_id,priority,name,relation,supporter_resident_id', 'R1,2,職員 三郎,staff,R3'),
      });
      expect(again).toMatchObject({ inserted: 0, updated: 1, errors: [] });
      expect(await supporters()).toEqual([
        expect.objectContaining({ priority: 1, supporter_resident: 'R2', phone: '090-1234-5678' }),
        // no 電話番号/メール columns this time: the stored ones are kept
        expect.objectContaining({
          priority: 2,
          name: '職員 三郎',
          relation: 'staff',
          supporter_resident: 'R3',
          email: 'minsei@example.jp',
        }),
      ]);
    });
  });

  describe(RosterImportRepository.name, () => {
    it('rejects a repeated key itself, keeping the first line', async () => {
      const m = await municipality();
      const row = {
        externalId: 'H1',
        areaCode: 'A1',
        address: 'x',
        postalCode: null,
        phone: null,
        latitude: null,
        longitude: null,
      };
      const result = await repository.importHouseholds(m, [
        { ...row, line: 2 },
        { ...row, line: 3, address: 'y' },
      ]);
      expect(result).toEqual({
        inserted: 1,
        updated: 0,
        unchanged: 0,
        rejected: [{ line: 3, code: 'DUPLICATE_IN_FILE', field: 'externalId' }],
      });
      expect(await q(`SELECT address FROM household WHERE municipality_id = $1`, [m])).toEqual([
        { address: 'x' },
      ]);
    });

    it('stages text with quotes, commas, line breaks and backslashes verbatim', async () => {
      const m = await municipality();
      const name = 'a "b", c\\d\ne';
      await repository.importResidents(m, [
        {
          line: 2,
          externalId: 'R,"1"',
          householdExternalId: null,
          name,
          nameKana: '',
          language: 'ja',
          needsAssistance: false,
          staff: false,
          consentScopes: ['alerts', 'safety'],
          phone: null,
        },
      ]);
      expect(
        await q(
          `SELECT external_id, name, name_kana, consent_scopes FROM resident WHERE municipality_id = $1`,
          [m],
        ),
      ).toEqual([{ external_id: 'R,"1"', name, name_kana: '', consent_scopes: ['alerts', 'safety'] }]);
    });

    it('refuses an unknown municipality', async () => {
      await expect(
        repository.importResidents('00000000-0000-4000-8000-000000000000', []),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
