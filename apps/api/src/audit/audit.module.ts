import { Controller, Get, Module, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Role } from '@bousai/domain';
import { type AuditLogEntity, AuditPersistenceModule, AuditRepository } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { AuditInterceptor } from './audit.interceptor';

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

@ApiTags('audit')
@Controller('v1/municipalities/:municipalityId/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @Roles(Role.Admin)
  list(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Query() q: AuditQuery,
  ): Promise<AuditLogEntity[]> {
    return this.audit.list(mid, q.limit, q.before);
  }
}

@Module({
  imports: [AuditPersistenceModule],
  controllers: [AuditController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
})
export class AuditModule {}
