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
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { CsvImportUseCase, type ImportReport } from './import/csv-import.use-case';
import { ImportQuery } from './roster.dto';

enum ImportKind {
  Households = 'households',
  Residents = 'residents',
  Supporters = 'supporters',
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
  @ApiOkResponse({ description: 'the import report: counts and every rejected row with its line and reason' })
  async import(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Param('kind', new ParseEnumPipe(ImportKind)) kind: ImportKind,
    @Query() q: ImportQuery,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: AuditedRequest,
  ): Promise<ImportReport> {
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
    return report;
  }
}
