import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { FeedSource, ParseStatus, Role } from '@bousai/domain';
import { FeedDocumentsUseCase } from './feed-documents.use-case';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';

export class FailuresQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;
}

export class FeedFailureDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: FeedSource }) source: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: String }) feedName: string | null;
  @ApiProperty() receivedAt: Date;
  @ApiProperty({ nullable: true, type: String, example: 'XML_DOCTYPE_FORBIDDEN' }) parseErrorCode:
    string | null;
  @ApiProperty({ nullable: true, type: String }) parseError: string | null;
}

export class FeedDocumentSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: FeedSource }) source: string;
  @ApiProperty({ nullable: true, type: String }) feedName: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'what the document is, once parsed (e.g. the JMA info kind)',
  })
  kind: string | null;
  @ApiProperty() receivedAt: Date;
  @ApiProperty({ enum: ParseStatus }) parseStatus: string;
  @ApiProperty({ nullable: true, type: String, example: 'XML_DOCTYPE_FORBIDDEN' }) parseErrorCode:
    string | null;
}

/**
 * Documents ingest received but could not parse, newest first: the national feeds' (the same for every operator)
 * and those the operator's own municipality relayed. The raw bytes stay in the database (they may be hostile);
 * this shows where they came from and why.
 */
@ApiTags('feeds')
@Controller('v1/feed-documents')
export class FeedDocumentsController {
  constructor(private readonly documents: FeedDocumentsUseCase) {}

  /** The newest documents received, parsed or not, newest first (the console's "latest feed documents"). */
  @Get()
  @Roles(Role.Operator)
  @ApiOkResponse({ type: [FeedDocumentSummaryDto] })
  async recent(
    @Query() q: FailuresQuery,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<FeedDocumentSummaryDto[]> {
    const rows = await this.documents.latest(q.limit, op.municipalityId);
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      feedName: r.feedName,
      kind: r.kind,
      receivedAt: r.receivedAt,
      parseStatus: r.parseStatus,
      parseErrorCode: r.parseErrorCode,
    }));
  }

  @Get('failures')
  @Roles(Role.Operator)
  @ApiOkResponse({ type: [FeedFailureDto] })
  async failures(
    @Query() q: FailuresQuery,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<FeedFailureDto[]> {
    const rows = await this.documents.failures(q.limit, op.municipalityId);
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      sha256: r.sha256,
      url: r.url,
      feedName: r.feedName,
      receivedAt: r.receivedAt,
      parseErrorCode: r.parseErrorCode,
      parseError: r.parseError,
    }));
  }
}
