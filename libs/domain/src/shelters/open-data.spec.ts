import { ErrorCode } from '../errors';
import { parseShelterList, ShelterFormat, ShelterRowErrorCode } from './open-data';
import { ShelterHazard, ShelterKind } from './shelter';

const YASUGI = '322067';

/** Records as the CSV reader gives them: the header on line 1, each row on the next line. */
function table(header: string, ...rows: string[]) {
  return {
    header: { line: 1, cells: header.split(',') },
    records: rows.map((r, i) => ({ line: i + 2, cells: r.split(',') })),
  };
}

const DA =
  '全国地方公共団体コード,ID,名称,名称_カナ,所在地_連結表記,緯度,経度,災害種別_洪水,災害種別_崖崩れ、土石流及び地滑り,災害種別_高潮,災害種別_地震,災害種別_津波,災害種別_大規模な火事,災害種別_内水氾濫,災害種別_火山現象,指定避難所との重複,想定収容人数,対象となる町会・自治会';
const GSI =
  'NO,共通ID,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考';

describe(parseShelterList.name, () => {
  it('reads a Digital Agency 指定緊急避難場所一覧 row: flags, capacity, districts', () => {
    const parsed = parseShelterList(
      table(
        DA,
        '322067,E1,中央小学校,チュウオウ,島根県安来市飯島町1,35.43,133.24,1,,,1,,,1,,1,1200,飯島町;荒島町',
      ),
      { municipalityCode: YASUGI },
    );
    expect(parsed).toMatchObject({
      format: ShelterFormat.DigitalAgency,
      kind: ShelterKind.EmergencySite,
      errors: [],
    });
    expect(parsed.rows).toEqual([
      {
        line: 2,
        externalId: 'E1',
        kind: ShelterKind.EmergencySite,
        name: '中央小学校',
        nameKana: 'チュウオウ',
        address: '島根県安来市飯島町1',
        latitude: 35.43,
        longitude: 133.24,
        capacity: 1200,
        hazards: [ShelterHazard.Flood, ShelterHazard.Earthquake, ShelterHazard.InlandFlood],
        districts: ['飯島町', '荒島町'],
      },
    ]);
  });

  it('reports every bad row by line and keeps the good ones', () => {
    const parsed = parseShelterList(
      table(
        DA,
        '322067,E1,良い行,,住所,35.4,133.2,1,,,,,,,,,10,',
        '322067,E2,,,住所,35.4,133.2,1,,,,,,,,,10,',
        '322067,E3,緯度が変,,住所,北緯35度,133.2,1,,,,,,,,,10,',
        '322067,E4,旗が変,,住所,35.4,133.2,2,,,,,,,,,10,',
        '322067,E5,人数が変,,住所,35.4,133.2,1,,,,,,,,,たくさん,',
        '322067,E6,経度がない,,住所,35.4,,1,,,,,,,,,10,',
        '322067,E1,同じID,,住所,35.4,133.2,1,,,,,,,,,10,',
        '322067,E7,列が足りない',
      ),
      { municipalityCode: YASUGI },
    );
    expect(parsed.rows.map((r) => r.externalId)).toEqual(['E1']);
    expect(parsed.errors.map((e) => [e.line, e.code, e.column])).toEqual([
      [3, ShelterRowErrorCode.MissingValue, '名称'],
      [4, ShelterRowErrorCode.InvalidValue, '緯度'],
      [5, ShelterRowErrorCode.InvalidValue, '災害種別_洪水'],
      [6, ShelterRowErrorCode.InvalidValue, '想定収容人数'],
      [7, ShelterRowErrorCode.MissingValue, '経度'],
      [8, ShelterRowErrorCode.DuplicateInFile, 'ID'],
      [9, ShelterRowErrorCode.ColumnCount, undefined],
    ]);
  });

  it('leaves out rows of another municipality without calling them bad (prefecture-wide files)', () => {
    const parsed = parseShelterList(
      table(
        DA,
        '322016,M1,松江の広場,,住所,35.4,133.0,,,,1,,,,,,,',
        '32206,E1,安来の広場,,住所,35.4,133.2,,,,1,,,,,,,',
      ),
      { municipalityCode: YASUGI },
    );
    expect(parsed.otherMunicipality).toBe(1);
    expect(parsed.rows.map((r) => r.externalId)).toEqual(['E1']);
  });

  it('reads GSI’s layout, the municipality from the 共通ID', () => {
    const parsed = parseShelterList(
      table(
        GSI,
        '1,E3220600000101,かわせみ公園,島根県安来市飯島町9,,,,1,,1,,,,35.43,133.24,',
        '2,E3220100000102,松江の公園,島根県松江市,,,,1,,,,,,35.47,133.05,',
      ),
      { municipalityCode: YASUGI },
    );
    expect(parsed).toMatchObject({
      format: ShelterFormat.Gsi,
      kind: ShelterKind.EmergencySite,
      otherMunicipality: 1,
    });
    expect(parsed.rows[0]).toMatchObject({
      externalId: 'E3220600000101',
      name: 'かわせみ公園',
      capacity: null,
      districts: [],
      hazards: [ShelterHazard.Earthquake, ShelterHazard.LargeFire],
    });
    expect(parsed.ignoredColumns).toEqual(['NO', '指定避難所との住所同一', '備考']);
  });

  it('tells a 指定避難所一覧 by its overlap column, and takes the kind when told', () => {
    const header = '全国地方公共団体コード,ID,名称,所在地_連結表記,指定緊急避難場所との重複,想定収容人数';
    expect(
      parseShelterList(table(header, '322067,S1,体育館,住所,1,200'), { municipalityCode: YASUGI }),
    ).toMatchObject({
      kind: ShelterKind.Shelter,
      rows: [{ externalId: 'S1', capacity: 200, hazards: [] }],
    });
    const bare = 'ID,名称,住所';
    expect(() => parseShelterList(table(bare, 'S1,体育館,住所'), { municipalityCode: YASUGI })).toThrow(
      expect.objectContaining({ code: ErrorCode.CsvInvalid }),
    );
    expect(
      parseShelterList(table(bare, 'S1,体育館,住所'), { municipalityCode: YASUGI, kind: ShelterKind.Shelter })
        .kind,
    ).toBe(ShelterKind.Shelter);
  });

  it('refuses a file in neither layout as a whole', () => {
    expect(() => parseShelterList(table('施設名,所在地', 'a,b'), { municipalityCode: YASUGI })).toThrow(
      expect.objectContaining({ code: ErrorCode.CsvInvalid }),
    );
  });
});
