import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@bousai/domain';
import { DrillRepository, type DrillListItem } from '@bousai/persistence';

/** A municipality's drills with their schedule and answer counts. */
@Injectable()
export class DrillQueriesUseCase {
  constructor(private readonly drills: DrillRepository) {}

  list(municipalityId: string): Promise<DrillListItem[]> {
    return this.drills.list(municipalityId);
  }

  async get(municipalityId: string, alertId: string): Promise<DrillListItem> {
    const drill = await this.drills.get(municipalityId, alertId);
    if (!drill) throw new NotFoundError('drill', alertId);
    return drill;
  }
}
