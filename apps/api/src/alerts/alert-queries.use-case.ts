import { Injectable } from '@nestjs/common';
import { type AlertEntity, AlertRepository, type Page, type PageRequest } from '@bousai/persistence';

/** Reading alerts: a municipality's list, newest first, and one alert. */
@Injectable()
export class AlertQueriesUseCase {
  constructor(private readonly alerts: AlertRepository) {}

  list(municipalityId: string, page: PageRequest & { status?: string }): Promise<Page<AlertEntity>> {
    return this.alerts.list(municipalityId, page);
  }

  get(municipalityId: string, alertId: string): Promise<AlertEntity> {
    return this.alerts.get(municipalityId, alertId);
  }
}
