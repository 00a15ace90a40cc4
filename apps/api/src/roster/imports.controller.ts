import {
  Controller,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { DomainError, ErrorCode, Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { CsvImportUseCase } from './import/csv-import.use-case';
import { ImportErrorCode } from './import/roster-csv.schema';
import { ImportQuery } from './roster.dto';

enum ImportKind {
  Households = 'households',
  Residents = 'residents',
  Supporters = 'supporters',
}

export class ImportRowErrorDto {
  @ApiProperty({ description: '1-based line of the file where the record starts; the header is line 1' })
  line: number;
  @ApiProperty({ enum: ImportErrorCode }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'the column as its header is written in the file' }) column?: string;
}

export class ImportReportDto {
  @ApiProperty({ enum: ImportKind }) kind: string;
  @ApiProperty({ enum: ['utf-8', 'shift_jis'], description: 'the encoding the file was read with' })
  encoding: string;
  @ApiProperty({ description: 'data records in the file' }) rows: number;
  @ApiProperty({ description: 'inserted + updated + unchanged' }) imported: number;
  @ApiProperty() inserted: number;
  @ApiProperty() updated: number;
  @ApiProperty({ description: 'rows identical to what was stored' }) unchanged: number;
  @ApiProperty({
    type: [String],
    description: 'header cells that name no column; their values were not read',
  })
  ignoredColumns: string[];
  @ApiProperty({ type: [ImportRowErrorDto], description: 'every row not imported, with why, by line' })
  errors: ImportRowErrorDto[];
}

@ApiTags('roster')
@Controller('v1/municipalities/:municipalityId/imports')
export class ImportsController {
  constructor(private readonly importCsv: CsvImportUseCase) {}

  /**
   * Bulk import of a municipal register export (UTF-8 with or without BOM, or Shift_JIS). Good rows are
   * imported; every bad row is reported with its line number and reason.
   */
  @Post(':kind')
  @Roles(Role.Operator)
  @Audit('roster.import')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @ApiCreatedResponse({
    type: ImportReportDto,
    description: 'the import report: counts and every rejected row with its line and reason',
  })
  async import(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Param('kind', new ParseEnumPipe(ImportKind)) kind: ImportKind,
    @Query() q: ImportQuery,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: AuditedRequest,
  ): Promise<ImportReportDto> {
    if (!file) throw new DomainError(ErrorCode.CsvInvalid, 'Upload the CSV as multipart form field "file"');
    const report = await this.importCsv.execute({
      municipalityId,
      kind,
      content: file.buffer,
      encoding: q.encoding,
    });
    req.auditDetails = {
      kind,
      encoding: report.encoding,
      rows: report.rows,
      inserted: report.inserted,
      updated: report.updated,
      rejected: report.errors.length,
    };
    return {
      kind: report.kind,
      encoding: report.encoding,
      rows: report.rows,
      imported: report.imported,
      inserted: report.inserted,
      updated: report.updated,
      unchanged: report.unchanged,
      ignoredColumns: report.ignoredColumns,
      errors: report.errors.map((e) => ({
        line: e.line,
        code: e.code,
        message: e.message,
        ...(e.column === undefined ? {} : { column: e.column }),
      })),
    };
  }
}
