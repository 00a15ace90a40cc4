import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { LiveViewDto, SafetyGroupLiveDto } from './live-view.dto';
import { LiveViewUseCase } from './live-view.use-case';

/** The same counters the `/operators` namespace pushes, for a page load or a client without websockets. */
@ApiTags('alerts')
@ApiExtraModels(SafetyGroupLiveDto)
@Controller('v1/municipalities/:municipalityId/alerts')
export class LiveController {
  constructor(private readonly live: LiveViewUseCase) {}

  @Get(':alertId/live')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: LiveViewDto, description: 'deliveries per channel and status, totals and rates' })
  async snapshot(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Param('alertId', ParseUUIDPipe) alertId: string,
  ): Promise<LiveViewDto> {
    return LiveViewDto.of(await this.live.snapshot(municipalityId, alertId));
  }
}
