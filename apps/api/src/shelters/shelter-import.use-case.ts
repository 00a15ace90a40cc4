import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, parseShelterList, type ShelterKind } from '@bousai/domain';
import { ShelterRepository } from '@bousai/persistence';
import { decodeCsv, type CsvEncodingChoice } from '../roster/import/csv-decoder';
import { readCsv } from '../roster/import/csv-reader';
import type { ShelterImportIssueDto, ShelterImportReportDto } from './shelters.dto';

export interface ShelterImportInput {
  municipalityId: string;
  content: Buffer;
  encoding?: CsvEncodingChoice;
  kind?: ShelterKind;
}

/**
 * Imports a municipality's shelter list in either open-data layout (docs/shelters.md §1), UTF-8 or Shift_JIS,
 * with the roster imports' decoder and reader: every data row is imported or reported with its line and why. A
 * file that cannot be read as a whole (encoding, malformed CSV, neither layout, no data) is refused and nothing
 * is written. Importing the same list again updates the shelters in place.
 */
@Injectable()
export class ShelterImportUseCase {
  constructor(private readonly shelters: ShelterRepository) {}

  async execute(input: ShelterImportInput): Promise<ShelterImportReportDto> {
    const { text, encoding } = decodeCsv(input.content, input.encoding ?? 'auto');
    const table = readCsv(text);
    const municipalityCode = await this.shelters.municipalityCode(input.municipalityId);
    const parsed = parseShelterList(table, { municipalityCode, kind: input.kind });
    if (table.records.length === 0) {
      throw new DomainError(ErrorCode.CsvInvalid, 'The file has a header but no data rows', {
        headerLine: table.header.line,
      });
    }
    const result =
      parsed.rows.length > 0
        ? await this.shelters.importRows(input.municipalityId, parsed.rows)
        : { inserted: 0, updated: 0, unchanged: 0, unmatchedDistricts: [] };
    const districtColumn = '対象となる町会・自治会';
    const warnings: ShelterImportIssueDto[] = result.unmatchedDistricts.map(({ line, districts }) => ({
      line,
      code: 'UNKNOWN_DISTRICT',
      message: `No district of this municipality is named or coded ${districts.map((d) => `"${d}"`).join(', ')}: imported without it`,
      column: districtColumn,
    }));
    return {
      format: parsed.format,
      kind: parsed.kind,
      encoding,
      rows: table.records.length,
      imported: result.inserted + result.updated + result.unchanged,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      otherMunicipality: parsed.otherMunicipality,
      ignoredColumns: parsed.ignoredColumns,
      errors: parsed.errors,
      warnings,
    };
  }
}
