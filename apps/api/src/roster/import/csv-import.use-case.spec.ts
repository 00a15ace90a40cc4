import iconv from 'iconv-lite';
import { DomainError, ErrorCode } from '@bousai/domain';
import type {
  HouseholdImportRow,
  ResidentImportRow,
  RosterImportRepository,
  RosterImportResult,
  SupporterImportRow,
} from '@bousai/persistence';
import { CsvImportUseCase, ImportErrorCode } from './csv-import.use-case';

const MUNICIPALITY = '6f1c9a52-4c8e-4a8e-9a51-4c1f0b3f8a11';

/** Stands in for the repository (covered against Postgres in test/integration/roster): accepts every row. */
class RecordingRepository {
  readonly calls: { kind: string; rows: unknown[]; keep: readonly string[] }[] = [];
  result: Partial<RosterImportResult> = {};

  private record(kind: string, rows: readonly { line: number }[], keep: readonly string[] = []) {
    this.calls.push({ kind, rows: [...rows], keep });
    return Promise.resolve({ inserted: rows.length, updated: 0, unchanged: 0, rejected: [], ...this.result });
  }
  importHouseholds(_m: string, rows: readonly HouseholdImportRow[], o: { keep?: readonly string[] } = {}) {
    return this.record('households', rows, o.keep);
  }
  importResidents(_m: string, rows: readonly ResidentImportRow[], o: { keep?: readonly string[] } = {}) {
    return this.record('residents', rows, o.keep);
  }
  importSupporters(_m: string, rows: readonly SupporterImportRow[], o: { keep?: readonly string[] } = {}) {
    return this.record('supporters', rows, o.keep);
  }
}

describe(CsvImportUseCase.name, () => {
  let repository: RecordingRepository;
  let sut: CsvImportUseCase;

  beforeEach(() => {
    repository = new RecordingRepository();
    sut = new CsvImportUseCase(repository as unknown as RosterImportRepository);
  });

  const csv = (...lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');

  it('imports the good rows and reports each bad one with its line, even after a multi-line quoted field', async () => {
    const report = await sut.execute({
      municipalityId: MUNICIPALITY,
      kind: 'households',
      content: csv(
        '世帯番号,地区コード,住所,郵便番号', // 1
        'H1,A1,"浜松市中区', // 2
        '元城町103-2",430-0929', // 3
        'H2,A1,,', // 4: address missing
        'H3,A1,元城町,12345', // 5: bad postal code
        'H1,A2,again,', // 6: duplicate of line 2
        'H4,A1', // 7: short row
        'H5,A2,"鴨江', // 8
        '', // 9
        '3-1",', // 10
      ),
    });
    expect(report).toEqual({
      kind: 'households',
      encoding: 'utf-8',
      rows: 6,
      imported: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      ignoredColumns: [],
      errors: [
        { line: 4, code: ImportErrorCode.MissingValue, column: '住所', message: '住所 is required' },
        {
          line: 5,
          code: ImportErrorCode.InvalidValue,
          column: '郵便番号',
          message: expect.stringContaining('postal code'),
        },
        {
          line: 6,
          code: ImportErrorCode.DuplicateInFile,
          column: '世帯番号',
          message: '世帯番号 repeats line 2',
        },
        {
          line: 7,
          code: ImportErrorCode.ColumnCount,
          message: 'Expected 4 columns as in the header, found 2',
        },
      ],
    });
    expect(repository.calls[0].rows).toEqual([
      expect.objectContaining({
        line: 2,
        externalId: 'H1',
        address: '浜松市中区 元城町103-2',
        postalCode: '430-0929',
      }),
      expect.objectContaining({ line: 8, externalId: 'H5', address: '鴨江 3-1', postalCode: null }),
    ]);
  });

  it('reads Shift_JIS files and says so', async () => {
    const content = iconv.encode('住民番号,氏名,要援護者\r\nR1,髙橋 一郎,○\r\nR2,浜松 花子,\r\n', 'cp932');
    const report = await sut.execute({ municipalityId: MUNICIPALITY, kind: 'residents', content });
    expect(report).toMatchObject({ encoding: 'shift_jis', rows: 2, imported: 2, errors: [] });
    expect(repository.calls[0].rows).toEqual([
      expect.objectContaining({ externalId: 'R1', name: '髙橋 一郎', needsAssistance: true }),
      expect.objectContaining({ externalId: 'R2', name: '浜松 花子', needsAssistance: false }),
    ]);
  });

  it('asks the repository to keep the stored values of optional columns the file does not have', async () => {
    await sut.execute({
      municipalityId: MUNICIPALITY,
      kind: 'residents',
      content: csv('resident_id,name,language', 'R1,A,en'),
    });
    expect(repository.calls[0].keep).toEqual([
      'householdExternalId',
      'nameKana',
      'needsAssistance',
      'staff',
      'consentScopes',
      'phone',
    ]);
  });

  it('turns the rows the repository rejects into errors against their column, with the value at fault', async () => {
    repository.result = {
      inserted: 1,
      rejected: [
        { line: 3, code: 'UNKNOWN_RESIDENT', field: 'residentExternalId' },
        { line: 3, code: 'UNKNOWN_RESIDENT', field: 'supporterResidentExternalId' },
      ],
    };
    const report = await sut.execute({
      municipalityId: MUNICIPALITY,
      kind: 'supporters',
      content: csv('住民番号,順位,氏名,続柄,支援者住民番号', 'R1,1,浜松 太郎,家族,', 'R9,1,x,近隣,R8'),
    });
    expect(report.errors).toEqual([
      { line: 3, code: 'UNKNOWN_RESIDENT', column: '住民番号', message: expect.stringContaining('"R9"') },
      {
        line: 3,
        code: 'UNKNOWN_RESIDENT',
        column: '支援者住民番号',
        message: expect.stringContaining('"R8"'),
      },
    ]);
    expect(report.rows).toBe(2);
  });

  it('reports duplicate supporters by resident and priority', async () => {
    const report = await sut.execute({
      municipalityId: MUNICIPALITY,
      kind: 'supporters',
      content: csv('resident_id,priority,name,relation', 'R1,1,a,family', 'R1,2,b,family', 'R1,１,c,family'),
    });
    expect(report.errors).toEqual([
      {
        line: 4,
        code: 'DUPLICATE_IN_FILE',
        column: 'priority',
        message: 'resident_id + priority repeats line 2',
      },
    ]);
  });

  it('does not call the repository when no row is valid', async () => {
    const report = await sut.execute({
      municipalityId: MUNICIPALITY,
      kind: 'residents',
      content: csv('resident_id,name', 'R1,'),
    });
    expect(repository.calls).toEqual([]);
    expect(report).toMatchObject({ rows: 1, imported: 0, errors: [{ line: 2, code: 'MISSING_VALUE' }] });
  });

  it.each([
    ['an empty file', ''],
    ['a header without data', 'household_id,area_code,address\r\n\r\n'],
    ['a file without the required columns', 'household_id,name\r\nH1,x\r\n'],
  ])('refuses %s as a whole', async (_case, text) => {
    const run = sut.execute({ municipalityId: MUNICIPALITY, kind: 'households', content: Buffer.from(text) });
    await expect(run).rejects.toBeInstanceOf(DomainError);
    await expect(run).rejects.toMatchObject({ code: ErrorCode.CsvInvalid });
    expect(repository.calls).toEqual([]);
  });
});
