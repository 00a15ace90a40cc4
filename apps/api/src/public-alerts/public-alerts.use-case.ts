import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@bousai/domain';
import { type PublicAlert, PublicAlertRepository } from '@bousai/persistence';

/** Entries per feed: the recent past is what feed readers poll for. */
const FEED_SIZE = 50;

/** What the public CAP feed shows: a municipality's alerts sent to places, and one such alert. */
@Injectable()
export class PublicAlertsUseCase {
  constructor(private readonly alerts: PublicAlertRepository) {}

  /** The municipality's name and its newest alerts (real ones, or drills on their own feed). */
  async feed(code: string, drills: boolean): Promise<{ name: string; alerts: PublicAlert[] }> {
    const name = /^\d{6}$/.test(code) ? await this.alerts.municipalityName(code) : null;
    if (!name) throw new NotFoundError('municipality', code);
    return { name, alerts: await this.alerts.list(code, drills, FEED_SIZE) };
  }

  /** One alert, and the alert whose places it concerns (a cancellation notice: the alert it withdraws). */
  async alert(id: string): Promise<{ alert: PublicAlert; places: PublicAlert }> {
    const alert = await this.alerts.get(id);
    if (!alert) throw new NotFoundError('public alert', id);
    const places = alert.cancels ? ((await this.alerts.get(alert.cancels.id)) ?? alert) : alert;
    return { alert, places };
  }
}
