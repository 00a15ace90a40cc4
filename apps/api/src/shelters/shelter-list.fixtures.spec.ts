import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseShelterList,
  ShelterFormat,
  ShelterHazard,
  ShelterKind,
  ShelterRowErrorCode,
} from '@bousai/domain';
import { decodeCsv } from '../roster/import/csv-decoder';
import { readCsv } from '../roster/import/csv-reader';

const FIXTURES = join(__dirname, '../../../../test/fixtures/shelters');
const YASUGI = '322067';

/** A sample list as the import reads it: bytes → text (encoding detected) → records with lines → rows. */
function read(file: string) {
  const { text, encoding } = decodeCsv(readFileSync(join(FIXTURES, file)));
  return { encoding, ...parseShelterList(readCsv(text), { municipalityCode: YASUGI }) };
}

describe('the sample shelter lists (test/fixtures/shelters)', () => {
  it('Digital Agency 指定緊急避難場所一覧, UTF-8 with BOM: 3 rows, 4 bad lines, 1 of another town', () => {
    const list = read('da-emergency-sites.utf8.csv');
    expect(list).toMatchObject({
      encoding: 'utf-8',
      format: ShelterFormat.DigitalAgency,
      kind: ShelterKind.EmergencySite,
      otherMunicipality: 1,
    });
    expect(list.rows.map((r) => [r.line, r.externalId, r.capacity])).toEqual([
      [2, 'E001', 400],
      [3, 'E002', 1200],
      [9, 'E006', null],
    ]);
    expect(list.rows[0]).toMatchObject({
      name: 'さくら台小学校（架空）',
      hazards: [
        ShelterHazard.Flood,
        ShelterHazard.Landslide,
        ShelterHazard.Earthquake,
        ShelterHazard.LargeFire,
        ShelterHazard.InlandFlood,
      ],
      districts: ['飯島町', '荒島町'],
      latitude: 35.4301,
    });
    expect(list.errors.map((e) => [e.line, e.code, e.column])).toEqual([
      [4, ShelterRowErrorCode.InvalidValue, '緯度'],
      [5, ShelterRowErrorCode.MissingValue, '名称'],
      [6, ShelterRowErrorCode.InvalidValue, '災害種別_地震'],
      [7, ShelterRowErrorCode.DuplicateInFile, 'ID'],
    ]);
  });

  it('Digital Agency 指定避難所一覧, Shift_JIS (CP932): told by its overlap column, 髙 read right', () => {
    const list = read('da-shelters.sjis.csv');
    expect(list).toMatchObject({ encoding: 'shift_jis', kind: ShelterKind.Shelter });
    expect(list.rows.map((r) => [r.name, r.capacity, r.hazards])).toEqual([
      ['さくら台小学校 体育館（架空）', 200, []],
      ['髙田交流センター（架空）', 120, []],
    ]);
    expect(list.errors).toEqual([expect.objectContaining({ line: 4, column: '想定収容人数' })]);
  });

  it.each(['gsi-emergency-sites.sjis.csv', 'gsi-emergency-sites.utf8.csv'])(
    'GSI 指定緊急避難場所データ (%s): 2 rows, a bad longitude, a row of 松江市 left out',
    (file) => {
      const list = read(file);
      expect(list).toMatchObject({
        format: ShelterFormat.Gsi,
        kind: ShelterKind.EmergencySite,
        otherMunicipality: 1,
      });
      expect(list.encoding).toBe(file.includes('sjis') ? 'shift_jis' : 'utf-8');
      expect(list.rows.map((r) => r.externalId)).toEqual(['E3220600000101', 'E3220600000102']);
      expect(list.rows[1].hazards).toEqual([
        ShelterHazard.Flood,
        ShelterHazard.Landslide,
        ShelterHazard.Earthquake,
        ShelterHazard.InlandFlood,
      ]);
      expect(list.errors.map((e) => [e.line, e.code, e.column])).toEqual([
        [4, ShelterRowErrorCode.InvalidValue, '経度'],
      ]);
    },
  );
});
