import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotFoundError, Role } from '@bousai/domain';
import { LiveCountersRepository } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { liveView, type LiveView } from './live-view';

/** The same counters the `/operators` namespace pushes, for a page load or a client without websockets. */
@ApiTags('alerts')
@Controller('v1/municipalities/:municipalityId/alerts')
export class LiveController {
  constructor(private readonly counters: LiveCountersRepository) {}

  @Get(':alertId/live')
  @Roles(Role.Viewer)
  @ApiOkResponse({ description: 'deliveries per channel and status, totals and rates' })
  async snapshot(
    @Param('municipalityId', ParseUUIDPipe) municipalityId: string,
    @Param('alertId', ParseUUIDPipe) alertId: string,
  ): Promise<LiveView> {
    const [counters] = await this.counters.counters([alertId]);
    if (!counters || counters.municipalityId !== municipalityId) throw new NotFoundError('alert', alertId);
    return liveView(counters);
  }
}
