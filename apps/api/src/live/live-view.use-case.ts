import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@bousai/domain';
import { LiveCountersRepository } from '@bousai/persistence';
import { liveView, type LiveView } from './live-view';

/** One alert's live counters as the `/operators` namespace pushes them, for a page load. */
@Injectable()
export class LiveViewUseCase {
  constructor(private readonly counters: LiveCountersRepository) {}

  async snapshot(municipalityId: string, alertId: string): Promise<LiveView> {
    const [counters] = await this.counters.counters([alertId]);
    if (!counters || counters.municipalityId !== municipalityId) throw new NotFoundError('alert', alertId);
    return liveView(counters);
  }
}
