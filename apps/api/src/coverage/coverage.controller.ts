import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Role } from '@bousai/domain';
import type { UncoveredHousehold } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { PageQuery, toBool } from '../roster/roster.dto';
import { CoverageReportUseCase } from './coverage-report.use-case';

export class CoverageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30, description: 'proof of delivery within N days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  days: number = 30;
}

export class UncoveredQuery extends PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  days: number = 30;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() areaId?: string;

  @ApiPropertyOptional({
    description: 'true: only households with a 要援護者 (list them first); false: only the others',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  needsAssistance?: boolean;
}

export class AreaCoverageDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: households without a district' })
  areaId: string | null;
  @ApiProperty({ nullable: true, type: String }) areaName: string | null;
  @ApiProperty() households: number;
  @ApiProperty() covered: number;
  @ApiProperty({ description: 'covered / households (1 when there are none)' }) rate: number;
  @ApiProperty({ description: 'active visitor subscriptions that chose this district (not households)' })
  visitorSubscriptions: number;
}

export class CoverageDto {
  @ApiProperty() days: number;
  @ApiProperty() households: number;
  @ApiProperty() covered: number;
  @ApiProperty() rate: number;
  @ApiProperty({
    description: 'active visitor subscriptions (issue 21), counted apart: never in covered or rate',
  })
  visitorSubscriptions: number;
  @ApiProperty({ type: [AreaCoverageDto] }) areas: AreaCoverageDto[];
}

export class UncoveredHouseholdDto implements UncoveredHousehold {
  @ApiProperty({ format: 'uuid' }) householdId: string;
  @ApiProperty() externalId: string;
  @ApiProperty() address: string;
  @ApiProperty({ nullable: true, type: String }) areaName: string | null;
  @ApiProperty({ description: 'active endpoints, none of which proved delivery' }) endpoints: number;
  @ApiProperty({ description: 'a 要援護者 lives there' }) needsAssistance: boolean;
}

export class UncoveredPageDto {
  @ApiProperty({ type: [UncoveredHouseholdDto] }) items: UncoveredHouseholdDto[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null on the last page' })
  nextCursor: string | null;
}

/** Coverage of the municipality's households by a working means, and the households to follow up. */
@ApiTags('reports')
@Controller('v1/municipalities/:municipalityId/coverage')
export class CoverageController {
  constructor(private readonly coverage: CoverageReportUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: CoverageDto })
  async summary(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Query() q: CoverageQuery,
  ): Promise<CoverageDto> {
    const s = await this.coverage.summary(municipalityId, q.days);
    return {
      days: s.days,
      households: s.households,
      covered: s.covered,
      rate: s.rate,
      visitorSubscriptions: s.visitorSubscriptions,
      areas: s.areas.map((a) => ({
        areaId: a.areaId,
        areaName: a.areaName,
        households: a.households,
        covered: a.covered,
        rate: a.rate,
        visitorSubscriptions: a.visitorSubscriptions,
      })),
    };
  }

  @Get('uncovered')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: UncoveredPageDto })
  async uncovered(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Query() q: UncoveredQuery,
  ): Promise<UncoveredPageDto> {
    const page = await this.coverage.uncovered(municipalityId, q.days, q);
    return {
      items: page.items.map((h) => ({
        householdId: h.householdId,
        externalId: h.externalId,
        address: h.address,
        areaName: h.areaName,
        endpoints: h.endpoints,
        needsAssistance: h.needsAssistance,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
