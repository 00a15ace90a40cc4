import { CsvError, type Info, parse } from 'csv-parse/sync';
import { DomainError, ErrorCode } from '@bousai/domain';

/** One CSV record and the 1-based physical line it starts on (the header is line 1 unless blank lines precede it). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: CsvRecord;
  records: CsvRecord[];
}

function newlines(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Splits decoded CSV text into records, each with the line it starts on, so a quoted field spanning lines
 * (an address with a line break) does not shift the line numbers reported for the rows after it.
 *
 * Blank lines and records whose every field is blank (Excel leaves `,,,` rows behind) carry no data and are
 * skipped; a malformed file (an unclosed quote) is rejected as a whole with the line where parsing failed.
 */
export function readCsv(text: string): CsvTable {
  // csv-parse counts lines reliably for LF only; CR LF and lone CR are line breaks too in every editor,
  // and inside a quoted field the value then carries LF, which the importer treats as whitespace anyway
  const normalised = text.replace(/\r\n?/g, '\n');
  let parsed: { record: string[]; info: Info }[];
  try {
    // with `info` each record comes as { record, info }; the typings do not model that option
    parsed = parse(normalised, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as { record: string[]; info: Info }[];
  } catch (err) {
    if (err instanceof CsvError) {
      throw new DomainError(ErrorCode.CsvInvalid, `The file is not well-formed CSV: ${err.message}`, {
        line: typeof err.lines === 'number' ? err.lines : undefined,
        reason: err.code,
      });
    }
    throw err;
  }
  // `info.lines` is the line a record ends on; a record spans one line more per line break inside its fields
  const records = parsed.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, cell) => n + newlines(cell), 0),
    cells: record,
  }));
  const [header, ...rest] = records;
  if (!header) throw new DomainError(ErrorCode.CsvInvalid, 'The file is empty');
  return { header, records: rest };
}
