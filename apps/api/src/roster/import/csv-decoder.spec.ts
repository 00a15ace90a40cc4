import iconv from 'iconv-lite';
import { DomainError, ErrorCode } from '@bousai/domain';
import { decodeCsv } from './csv-decoder';

const CSV = '世帯番号,住所\nH-001,静岡県浜松市中区元城町103-2 ①号棟\n';

describe(decodeCsv.name, () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodeCsv(Buffer.from(CSV, 'utf8'))).toEqual({ text: CSV, encoding: 'utf-8' });
  });

  it('reads UTF-8 with a BOM and strips it', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]);
    expect(decodeCsv(bytes)).toEqual({ text: CSV, encoding: 'utf-8' });
  });

  it('falls back to Shift_JIS (CP932, with its NEC extensions such as ① and 髙) when the bytes are not UTF-8', () => {
    const text = `${CSV}H-002,髙橋方 ㈱\n`;
    const bytes = iconv.encode(text, 'cp932');
    expect(decodeCsv(bytes)).toEqual({ text, encoding: 'shift_jis' });
  });

  it('takes an explicit encoding', () => {
    expect(decodeCsv(iconv.encode(CSV, 'cp932'), 'shift_jis')).toEqual({ text: CSV, encoding: 'shift_jis' });
    expect(decodeCsv(Buffer.from(CSV, 'utf8'), 'utf-8')).toEqual({ text: CSV, encoding: 'utf-8' });
  });

  it('reads plain ASCII as UTF-8', () => {
    expect(decodeCsv(Buffer.from('household_id,address\n1,x\n')).encoding).toBe('utf-8');
  });

  it.each([
    ['Shift_JIS bytes declared as UTF-8', iconv.encode(CSV, 'cp932'), 'utf-8' as const],
    [
      'bytes that are neither UTF-8 nor CP932',
      Buffer.from([0x61, 0x2c, 0x82, 0x0a, 0xfd, 0xfd]),
      'auto' as const,
    ],
    [
      'a UTF-8 BOM followed by Shift_JIS',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(CSV, 'cp932')]),
      'auto' as const,
    ],
    [
      'UTF-16 with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]),
      'auto' as const,
    ],
  ])('refuses %s rather than importing mangled text', (_case, bytes, encoding) => {
    expect(() => decodeCsv(bytes, encoding)).toThrow(DomainError);
    try {
      decodeCsv(bytes, encoding);
    } catch (err) {
      expect((err as DomainError).code).toBe(ErrorCode.CsvInvalid);
    }
  });
});
