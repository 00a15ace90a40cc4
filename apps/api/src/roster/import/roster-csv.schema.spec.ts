import { DomainError, ErrorCode } from '@bousai/domain';
import {
  HOUSEHOLDS,
  ImportErrorCode,
  RESIDENTS,
  RowReader,
  SUPPORTERS,
  parseConsent,
  parseFlag,
  parseLanguage,
  parsePhone,
  parsePostalCode,
  parseRelation,
  resolveHeader,
} from './roster-csv.schema';

function header<F extends string>(columns: Parameters<typeof resolveHeader<F>>[0], line: string) {
  return resolveHeader(columns, line.split(','));
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe(resolveHeader.name, () => {
  it('accepts the English headers', () => {
    const h = header(
      HOUSEHOLDS.columns,
      'household_id,area_code,address,postal_code,phone,latitude,longitude',
    );
    expect([...h.index.keys()]).toEqual([
      'externalId',
      'areaCode',
      'address',
      'postalCode',
      'phone',
      'latitude',
      'longitude',
    ]);
  });

  it('accepts the Japanese headers of a municipal export, in any order, with full-width or spaced spellings', () => {
    const h = header(RESIDENTS.columns, '氏名,住民番号,ﾌﾘｶﾞﾅ,世帯 番号,要援護者,職員,言語,同意,電話番号');
    expect(h.index.get('externalId')).toBe(1);
    expect(h.index.get('name')).toBe(0);
    expect(h.index.get('nameKana')).toBe(2);
    expect(h.index.get('householdExternalId')).toBe(3);
    expect(h.label.get('householdExternalId')).toBe('世帯 番号');
    expect(header(HOUSEHOLDS.columns, 'Household ID,ＡＲＥＡ＿ＣＯＤＥ,Address').index.size).toBe(3);
  });

  it('reports unknown columns as ignored', () => {
    expect(header(HOUSEHOLDS.columns, '世帯番号,地区コード,住所,備考,').ignored).toEqual(['備考']);
  });

  it('refuses a file without a required column, listing every missing one', () => {
    const err = thrown(() => header(SUPPORTERS.columns, '住民番号,氏名'));
    expect(err.code).toBe(ErrorCode.CsvInvalid);
    expect(err.details).toEqual({
      missingColumns: [
        { column: 'priority', accepted: ['priority', '順位', '優先順位'] },
        { column: 'relation', accepted: ['relation', '続柄', '関係'] },
      ],
    });
  });

  it('refuses a column given twice', () => {
    expect(thrown(() => header(HOUSEHOLDS.columns, '世帯番号,地区コード,住所,address')).details).toEqual({
      duplicateColumns: ['address'],
    });
  });

  it('refuses a file carrying 個人番号', () => {
    const err = thrown(() => header(RESIDENTS.columns, '住民番号,個人番号,氏名'));
    expect(err.code).toBe(ErrorCode.CsvInvalid);
    expect(err.details).toEqual({ forbiddenColumns: ['個人番号'] });
  });
});

describe('cell parsers', () => {
  it.each([
    ['1', true],
    ['0', false],
    ['true', true],
    ['FALSE', false],
    ['yes', true],
    ['No', false],
    ['はい', true],
    ['いいえ', false],
    ['○', true],
    ['◯', true],
    ['１', true],
    ['×', false],
  ])('reads the flag %s as %s', (cell, value) => {
    expect(parseFlag(cell)).toBe(value);
  });

  it('refuses a flag it cannot read', () => {
    expect(() => parseFlag('maybe')).toThrow(/expected 1\/0/);
  });

  it('reads languages by tag in any case, or by their Japanese name', () => {
    expect(parseLanguage('EN')).toBe('en');
    expect(parseLanguage('zh_cn')).toBe('zh-CN');
    expect(parseLanguage('やさしい日本語')).toBe('ja-easy');
    expect(() => parseLanguage('klingon')).toThrow(/expected one of ja, ja-easy/);
  });

  it('reads consent as a semicolon list, full-width ； too, without repeats', () => {
    expect(parseConsent('alerts;safety；alerts')).toEqual(['alerts', 'safety']);
    expect(() => parseConsent('alerts;marketing')).toThrow(/"marketing" is not a consent scope/);
  });

  it('reads relations in English or Japanese', () => {
    expect(parseRelation('民生委員')).toBe('welfare_commissioner');
    expect(parseRelation('近隣')).toBe('neighbour');
    expect(parseRelation('Family')).toBe('family');
    expect(() => parseRelation('友人')).toThrow(/expected one of/);
  });

  it('normalises postal codes and full-width phone numbers', () => {
    expect(parsePostalCode('〒４３０－０９２９')).toBe('430-0929');
    expect(parsePostalCode('4300929')).toBe('430-0929');
    expect(() => parsePostalCode('43-0929')).toThrow();
    expect(parsePhone('０５３－４５７－２１１１')).toBe('053-457-2111');
    expect(() => parsePhone('call me')).toThrow();
  });
});

describe('row builders', () => {
  const residents = resolveHeader(RESIDENTS.columns, [
    '住民番号',
    '世帯番号',
    '氏名',
    '要援護者',
    '職員',
    '言語',
    '同意',
  ]);

  it('fill the defaults for blank optional cells', () => {
    const built = RESIDENTS.build(
      new RowReader(residents, { line: 7, cells: ['R1', '', '浜松 花子', '', '', '', ''] }),
    );
    expect(built).toEqual({
      key: 'R1',
      row: {
        line: 7,
        externalId: 'R1',
        householdExternalId: null,
        name: '浜松 花子',
        nameKana: null,
        language: 'ja',
        needsAssistance: false,
        staff: false,
        consentScopes: ['alerts'],
        phone: null,
      },
    });
  });

  it('report every bad cell of a row against its column, and still give the key', () => {
    const reader = new RowReader(residents, {
      line: 9,
      cells: ['R2', 'H1', '', 'たぶん', '1', 'xx', 'alerts'],
    });
    const built = RESIDENTS.build(reader);
    expect(built).toEqual({ key: 'R2', row: undefined });
    expect(reader.errors).toEqual([
      { line: 9, code: ImportErrorCode.MissingValue, column: '氏名', message: '氏名 is required' },
      {
        line: 9,
        code: ImportErrorCode.InvalidValue,
        column: '要援護者',
        message: expect.stringContaining('要援護者: expected'),
      },
      {
        line: 9,
        code: ImportErrorCode.InvalidValue,
        column: '言語',
        message: expect.stringContaining('言語: expected'),
      },
    ]);
  });

  it('require both coordinates of a household or neither', () => {
    const h = resolveHeader(HOUSEHOLDS.columns, ['世帯番号', '地区コード', '住所', '緯度', '経度']);
    const reader = new RowReader(h, { line: 2, cells: ['H1', 'A1', '元城町', '34.71', ''] });
    expect(HOUSEHOLDS.build(reader).row).toBeUndefined();
    expect(reader.errors).toEqual([
      {
        line: 2,
        code: ImportErrorCode.MissingValue,
        column: '経度',
        message: '経度 is required when 緯度 is given',
      },
    ]);
  });

  it('refuse a supporter who is the resident they support', () => {
    const h = resolveHeader(SUPPORTERS.columns, ['住民番号', '順位', '氏名', '続柄', '支援者住民番号']);
    const reader = new RowReader(h, { line: 3, cells: ['R1', '1', '浜松 太郎', '家族', 'R1'] });
    expect(SUPPORTERS.build(reader)).toEqual({ key: 'R1\u00001', row: undefined });
    expect(reader.errors[0]).toMatchObject({ code: ImportErrorCode.InvalidValue, column: '支援者住民番号' });
  });
});
