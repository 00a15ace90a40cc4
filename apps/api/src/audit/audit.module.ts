import { Controller, Get, Module, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ActorType, Role } from '@bousai/domain';
import { type AuditLogEntity, AuditPersistenceModule } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { AuditInterceptor } from './audit.interceptor';
import { AuditLogUseCase } from './audit-log.use-case';

class AuditQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'return entries older than this id' })
  @IsOptional()
  @Matches(/^\d{1,19}$/)
  before?: string;
}

/** One audit entry: who did what to which records; never secrets or personal data. */
export class AuditLogEntryDto {
  @ApiProperty({ example: '1042', description: 'ascending; pass as `before` for older entries' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) municipalityId: string | null;
  @ApiProperty({ enum: ActorType }) actorType: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ example: 'household.update' }) action: string;
  @ApiProperty({ nullable: true, type: String }) targetType: string | null;
  @ApiProperty({ type: [String] }) targetIds: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'non-personal facts: counts, outcome',
  })
  details: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty() createdAt: Date;

  static of(e: AuditLogEntity): AuditLogEntryDto {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      actorType: e.actorType,
      actorId: e.actorId,
      action: e.action,
      targetType: e.targetType,
      targetIds: e.targetIds,
      details: e.details,
      requestId: e.requestId,
      createdAt: e.createdAt,
    };
  }
}

@ApiTags('audit')
@Controller('v1/municipalities/:municipalityId/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditLogUseCase) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOkResponse({ type: [AuditLogEntryDto], description: 'newest first' })
  async list(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Query() q: AuditQuery,
  ): Promise<AuditLogEntryDto[]> {
    return (await this.audit.list(mid, q.limit, q.before)).map((e) => AuditLogEntryDto.of(e));
  }
}

@Module({
  imports: [AuditPersistenceModule],
  controllers: [AuditController],
  providers: [AuditLogUseCase, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
})
export class AuditModule {}
