import { Injectable } from '@nestjs/common';
import { type AlertEntity, AlertRepository, type Page, type PageRequest } from '@bousai/persistence';

/** Reading alerts: a municipality's list, newest first, and one alert. */
@Injectable()
export class AlertQueriesUseCase {
  constructor(private readonly alerts: AlertRepository) {}

  list(municipalityId: string, page: PageRequest & { status?: string }): Promise<Page<AlertEntity>> {
    return this.alerts.list(municipalityId, page);
  }

  /** One alert, with the operators who moved it (for their names). */
  get(municipalityId: string, alertId: string): Promise<AlertEntity> {
    return this.alerts.getNamed(municipalityId, alertId);
  }

  /** The alert as a command left it, with the operators who moved it loaded beside (its state is kept as is). */
  async withOperators(alert: AlertEntity): Promise<AlertEntity> {
    const { creator, approver, canceller } = await this.alerts.getNamed(alert.municipalityId, alert.id);
    return Object.assign(alert, { creator, approver, canceller });
  }
}
