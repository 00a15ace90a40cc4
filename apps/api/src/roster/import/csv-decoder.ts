import iconv from 'iconv-lite';
import { DomainError, ErrorCode } from '@bousai/domain';

export type CsvEncoding = 'utf-8' | 'shift_jis';
export type CsvEncodingChoice = 'auto' | CsvEncoding;

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    // ignoreBOM keeps the BOM in the output, so the caller sees what it strips
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Shift_JIS as Windows writes it (CP932: NEC and IBM extensions such as ①, ㈱, 髙), which is what municipal
 * systems and Excel export. iconv-lite puts U+FFFD where a byte sequence is not CP932.
 */
function cp932(bytes: Uint8Array): string | undefined {
  const text = iconv.decode(Buffer.from(bytes), 'cp932');
  return text.includes('\uFFFD') ? undefined : text;
}

function undecodable(message: string, encoding: CsvEncodingChoice): DomainError {
  return new DomainError(ErrorCode.CsvInvalid, message, { encoding });
}

/**
 * Decodes an uploaded CSV. `auto`: a UTF-8 BOM means UTF-8; else bytes that are valid UTF-8 are UTF-8 (a
 * Japanese Shift_JIS text is practically never valid UTF-8); else CP932. Nothing is ever decoded with
 * replacement characters: a file that is neither fails as a whole rather than importing mangled names.
 */
export function decodeCsv(content: Uint8Array, encoding: CsvEncodingChoice = 'auto'): DecodedCsv {
  if (startsWith(content, [0xff, 0xfe]) || startsWith(content, [0xfe, 0xff])) {
    throw undecodable(
      'UTF-16 files are not supported: save the file as "CSV UTF-8" or Shift_JIS CSV',
      encoding,
    );
  }
  const bom = startsWith(content, UTF8_BOM);
  switch (encoding) {
    case 'utf-8': {
      const text = strictUtf8(content);
      if (text === undefined) throw undecodable('The file is not valid UTF-8', encoding);
      return { text: bom ? text.slice(1) : text, encoding: 'utf-8' };
    }
    case 'shift_jis': {
      const text = cp932(content);
      if (text === undefined) throw undecodable('The file is not valid Shift_JIS (CP932)', encoding);
      return { text, encoding: 'shift_jis' };
    }
    case 'auto': {
      const utf8 = strictUtf8(content);
      if (utf8 !== undefined) return { text: bom ? utf8.slice(1) : utf8, encoding: 'utf-8' };
      if (bom) throw undecodable('The file starts with a UTF-8 BOM but is not valid UTF-8', encoding);
      const sjis = cp932(content);
      if (sjis !== undefined) return { text: sjis, encoding: 'shift_jis' };
      throw undecodable('The file is neither UTF-8 nor Shift_JIS (CP932)', encoding);
    }
  }
}
