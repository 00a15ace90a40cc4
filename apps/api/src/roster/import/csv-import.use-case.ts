import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@bousai/domain';
import {
  RosterImportRepository,
  type HouseholdOptionalField,
  type ResidentOptionalField,
  type RosterImportResult,
  type RosterRejection,
  type RosterRejectionCode,
  type SupporterOptionalField,
} from '@bousai/persistence';
import { decodeCsv, type CsvEncoding, type CsvEncodingChoice } from './csv-decoder';
import { readCsv, type CsvTable } from './csv-reader';
import {
  HOUSEHOLDS,
  ImportErrorCode,
  RESIDENTS,
  RowReader,
  SUPPORTERS,
  resolveHeader,
  type ImportRowError,
  type RosterKind,
  type RosterSchema,
} from './roster-csv.schema';

export type { ImportRowError, RosterKind } from './roster-csv.schema';
export { ImportErrorCode } from './roster-csv.schema';

export interface CsvImportInput {
  municipalityId: string;
  kind: RosterKind;
  content: Buffer;
  encoding?: CsvEncodingChoice;
}

export interface ImportReport {
  kind: RosterKind;
  /** The encoding the file was read with (detected unless given). */
  encoding: CsvEncoding;
  /** Data records in the file: the header and blank lines are not counted. */
  rows: number;
  /** Rows written or confirmed: inserted + updated + unchanged. */
  imported: number;
  inserted: number;
  updated: number;
  /** Rows identical to what was already stored. */
  unchanged: number;
  /** Header cells that name no column of this kind of file; their values were not read. */
  ignoredColumns: string[];
  /** Every row not imported, with why; ordered by line. A row may have several. */
  errors: ImportRowError[];
}

const REJECTION_CODES: Readonly<Record<RosterRejectionCode, ImportErrorCode>> = {
  UNKNOWN_AREA: ImportErrorCode.UnknownArea,
  UNKNOWN_HOUSEHOLD: ImportErrorCode.UnknownHousehold,
  UNKNOWN_RESIDENT: ImportErrorCode.UnknownResident,
  DUPLICATE_IN_FILE: ImportErrorCode.DuplicateInFile,
};

function rejectionMessage(code: RosterRejectionCode, value: unknown): string {
  switch (code) {
    case 'UNKNOWN_AREA':
      return `Area code "${String(value)}" is not an area of this municipality`;
    case 'UNKNOWN_HOUSEHOLD':
      return `Household "${String(value)}" is not registered: import the households first`;
    case 'UNKNOWN_RESIDENT':
      return `Resident "${String(value)}" is not registered: import the residents first`;
    case 'DUPLICATE_IN_FILE':
      return 'The same key appears on an earlier line';
  }
}

/**
 * Imports a municipal register export (households, residents or supporters). The file is decoded, every row
 * validated, and the valid ones handed to the repository in one go; nothing is dropped silently: each data row
 * is either imported or reported with its line and the reason. A file that cannot be read as a whole (encoding,
 * malformed CSV, missing columns, no data) is refused with `CsvInvalid` and nothing is written.
 */
@Injectable()
export class CsvImportUseCase {
  constructor(private readonly repository: RosterImportRepository) {}

  async execute(input: CsvImportInput): Promise<ImportReport> {
    const { text, encoding } = decodeCsv(input.content, input.encoding ?? 'auto');
    const table = readCsv(text);
    const { municipalityId } = input;
    switch (input.kind) {
      case 'households':
        return this.run(input.kind, encoding, table, HOUSEHOLDS, (rows, keep: HouseholdOptionalField[]) =>
          this.repository.importHouseholds(municipalityId, rows, { keep }),
        );
      case 'residents':
        return this.run(input.kind, encoding, table, RESIDENTS, (rows, keep: ResidentOptionalField[]) =>
          this.repository.importResidents(municipalityId, rows, { keep }),
        );
      case 'supporters':
        return this.run(input.kind, encoding, table, SUPPORTERS, (rows, keep: SupporterOptionalField[]) =>
          this.repository.importSupporters(municipalityId, rows, { keep }),
        );
    }
  }

  private async run<F extends string, R extends { line: number }, K extends string>(
    kind: RosterKind,
    encoding: CsvEncoding,
    table: CsvTable,
    schema: RosterSchema<F, R>,
    store: (rows: R[], keep: K[]) => Promise<RosterImportResult>,
  ): Promise<ImportReport> {
    const header = resolveHeader(schema.columns, table.header.cells);
    if (table.records.length === 0) {
      throw new DomainError(ErrorCode.CsvInvalid, 'The file has a header but no data rows', {
        headerLine: table.header.line,
      });
    }

    const errors: ImportRowError[] = [];
    const rows: R[] = [];
    const firstLineOf = new Map<string, number>();
    for (const record of table.records) {
      // a short record is usually an unquoted line break that split one row in two: never guess its columns
      const width = record.cells.length;
      if (width < header.width || record.cells.slice(header.width).some((c) => c.trim() !== '')) {
        errors.push({
          line: record.line,
          code: ImportErrorCode.ColumnCount,
          message: `Expected ${header.width} columns as in the header, found ${width}`,
        });
        continue;
      }
      const reader = new RowReader(header, record);
      const { key, row } = schema.build(reader);
      errors.push(...reader.errors);
      if (key !== undefined) {
        const first = firstLineOf.get(key);
        if (first !== undefined) {
          errors.push({
            line: record.line,
            code: ImportErrorCode.DuplicateInFile,
            message: `${schema.key.map((f) => reader.name(f)).join(' + ')} repeats line ${first}`,
            column: reader.name(schema.key[schema.key.length - 1]),
          });
          continue;
        }
        firstLineOf.set(key, record.line);
      }
      if (row) rows.push(row);
    }

    // columns the file does not carry are left as they are on rows already stored
    const keep = schema.columns.filter((c) => !c.required && !header.index.has(c.field)).map((c) => c.field);
    const result =
      rows.length > 0
        ? await store(rows, keep as string[] as K[])
        : { inserted: 0, updated: 0, unchanged: 0, rejected: [] };

    const byLine = new Map(rows.map((r) => [r.line, r]));
    errors.push(...result.rejected.map((rejection) => this.describe(rejection, byLine, header.label)));
    errors.sort((a, b) => a.line - b.line);

    return {
      kind,
      encoding,
      rows: table.records.length,
      imported: result.inserted + result.updated + result.unchanged,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      ignoredColumns: header.ignored,
      errors,
    };
  }

  private describe<R>(
    rejection: RosterRejection,
    rows: ReadonlyMap<number, R>,
    labels: ReadonlyMap<string, string>,
  ): ImportRowError {
    const row = rows.get(rejection.line) as Record<string, unknown> | undefined;
    return {
      line: rejection.line,
      code: REJECTION_CODES[rejection.code],
      message: rejectionMessage(rejection.code, row?.[rejection.field]),
      column: labels.get(rejection.field) ?? rejection.field,
    };
  }
}
