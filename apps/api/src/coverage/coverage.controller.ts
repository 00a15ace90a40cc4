import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Role } from '@bousai/domain';
import { CoverageRepository, type UncoveredHousehold } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { PageQuery } from '../roster/roster.dto';

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
}

export class AreaCoverageDto {
  @ApiPropertyOptional({ format: 'uuid' }) areaId: string | null;
  @ApiPropertyOptional() areaName: string | null;
  @ApiProperty() households: number;
  @ApiProperty() covered: number;
  @ApiProperty({ description: 'covered / households (1 when there are none)' }) rate: number;
}

export class CoverageDto {
  @ApiProperty() days: number;
  @ApiProperty() households: number;
  @ApiProperty() covered: number;
  @ApiProperty() rate: number;
  @ApiProperty({ type: [AreaCoverageDto] }) areas: AreaCoverageDto[];
}

export class UncoveredHouseholdDto implements UncoveredHousehold {
  @ApiProperty({ format: 'uuid' }) householdId: string;
  @ApiProperty() externalId: string;
  @ApiProperty() address: string;
  @ApiPropertyOptional() areaName: string | null;
  @ApiProperty({ description: 'active endpoints, none of which proved delivery' }) endpoints: number;
  @ApiProperty({ description: 'a 要援護者 lives there' }) needsAssistance: boolean;
}

export class UncoveredPageDto {
  @ApiProperty({ type: [UncoveredHouseholdDto] }) items: UncoveredHouseholdDto[];
  @ApiPropertyOptional({ format: 'uuid' }) nextCursor: string | null;
}

const rate = (covered: number, households: number) =>
  households === 0 ? 1 : Math.round((covered / households) * 10_000) / 10_000;

/**
 * The plan's first target: every household reached by a working means. A household counts as covered when one of
 * its endpoints proved delivery within the window (a device ack, a played report, a read, a receiver heartbeat);
 * the rest are listed for follow-up, households with 要援護者 marked.
 */
@ApiTags('reports')
@Controller('v1/municipalities/:municipalityId/coverage')
export class CoverageController {
  constructor(private readonly coverage: CoverageRepository) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: CoverageDto })
  async summary(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Query() q: CoverageQuery,
  ): Promise<CoverageDto> {
    const areas = await this.coverage.byArea(municipalityId, new Date(Date.now() - q.days * 86_400_000));
    const households = areas.reduce((s, a) => s + a.households, 0);
    const covered = areas.reduce((s, a) => s + a.covered, 0);
    return {
      days: q.days,
      households,
      covered,
      rate: rate(covered, households),
      areas: areas.map((a) => ({ ...a, rate: rate(a.covered, a.households) })),
    };
  }

  @Get('uncovered')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: UncoveredPageDto })
  async uncovered(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Query() q: UncoveredQuery,
  ): Promise<UncoveredPageDto> {
    const items = await this.coverage.uncovered(municipalityId, new Date(Date.now() - q.days * 86_400_000), {
      after: q.cursor,
      limit: q.limit,
      areaId: q.areaId,
    });
    return { items, nextCursor: items.length === q.limit ? items[items.length - 1].householdId : null };
  }
}
