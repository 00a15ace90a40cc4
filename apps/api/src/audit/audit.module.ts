import { Controller, Get, Module, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { ActorType, Role } from '@bousai/domain';
import { AuditPersistenceModule, type NamedAuditEntry } from '@bousai/persistence';
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

  @ApiPropertyOptional({ format: 'uuid', description: 'only what this operator (or resident) did' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({
    example: 'operator',
    description: 'an action (`operator.update`) or its family before the dot (`operator`)',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_.]{0,63}$/i)
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'entries at or after this time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'entries before this time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;
}

/** One audit entry: who did what to which records; never secrets or personal data. */
export class AuditLogEntryDto {
  @ApiProperty({ example: '1042', description: 'ascending; pass as `before` for older entries' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) municipalityId: string | null;
  @ApiProperty({ enum: ActorType }) actorType: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the acting operator’s name (display name, else e-mail); null for a resident or the system',
  })
  actorName: string | null;
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

  static of(e: NamedAuditEntry): AuditLogEntryDto {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      actorType: e.actorType,
      actorId: e.actorId,
      actorName: e.actorName,
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
  @ApiOkResponse({ type: [AuditLogEntryDto], description: 'newest first; every filter given must match' })
  async list(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Query() q: AuditQuery,
  ): Promise<AuditLogEntryDto[]> {
    const { limit, before, actorId, action, since, until } = q;
    const entries = await this.audit.list(mid, { limit, beforeId: before, actorId, action, since, until });
    return entries.map((e) => AuditLogEntryDto.of(e));
  }
}

@Module({
  imports: [AuditPersistenceModule],
  controllers: [AuditController],
  providers: [AuditLogUseCase, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
})
export class AuditModule {}
