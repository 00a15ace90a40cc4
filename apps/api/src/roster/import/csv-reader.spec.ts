import { DomainError, ErrorCode } from '@bousai/domain';
import { readCsv } from './csv-reader';

describe(readCsv.name, () => {
  it('numbers records by the physical line they start on, across quoted fields that span lines', () => {
    const text = [
      'household_id,address', // 1
      'H1,"静岡県浜松市', // 2
      '中区元城町103-2"', // 3
      'H2,"a ""quoted"" street"', // 4
      '', // 5
      'H3,"three', // 6
      '', // 7
      'lines"', // 8
      'H4,last', // 9
    ].join('\r\n');
    const { header, records } = readCsv(text);
    expect(header).toEqual({ line: 1, cells: ['household_id', 'address'] });
    expect(records).toEqual([
      { line: 2, cells: ['H1', '静岡県浜松市\n中区元城町103-2'] },
      { line: 4, cells: ['H2', 'a "quoted" street'] },
      { line: 6, cells: ['H3', 'three\n\nlines'] },
      { line: 9, cells: ['H4', 'last'] },
    ]);
  });

  it('treats LF, CR LF and lone CR as line breaks alike', () => {
    const { records } = readCsv('a,b\n1,2\r\n3,"x\ry"\r5,6');
    expect(records.map((r) => r.line)).toEqual([2, 3, 5]);
  });

  it('skips blank lines and rows whose every field is blank, keeping later line numbers', () => {
    const { records } = readCsv('a,b\n\n,\n , \n1,2\n,,\n');
    expect(records).toEqual([{ line: 5, cells: ['1', '2'] }]);
  });

  it('keeps records with a different number of fields for the caller to report', () => {
    const { records } = readCsv('a,b\n1\n1,2,3\n');
    expect(records).toEqual([
      { line: 2, cells: ['1'] },
      { line: 3, cells: ['1', '2', '3'] },
    ]);
  });

  it('refuses malformed CSV as a whole, naming the line', () => {
    expect.assertions(3);
    try {
      readCsv('a,b\n1,2\n3,"unclosed\n4,5\n');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(ErrorCode.CsvInvalid);
      expect((err as DomainError).details).toMatchObject({ line: expect.any(Number) });
    }
  });

  it('refuses an empty file', () => {
    expect(() => readCsv('')).toThrow(DomainError);
    expect(() => readCsv('\n\n,,\n')).toThrow(DomainError);
  });
});
