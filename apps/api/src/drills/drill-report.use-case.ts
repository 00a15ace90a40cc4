import { Injectable } from '@nestjs/common';
import {
  AlertRepository,
  DrillRepository,
  LiveCountersRepository,
  RosterRepository,
} from '@bousai/persistence';
import { type DrillReport, districtResults, groupResults, nonResponders } from './drill-report';

/** A drill's report: per group and district, the confirmation curve, non-responders and earlier drills. */
@Injectable()
export class DrillReportUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly drills: DrillRepository,
    private readonly roster: RosterRepository,
    private readonly counters: LiveCountersRepository,
  ) {}

  async execute(municipalityId: string, alertId: string): Promise<DrillReport> {
    const alert = await this.alerts.get(municipalityId, alertId);
    const settings = (await this.roster.municipality(municipalityId)).settings ?? {};
    // earlier drills compare with a drill; an alert's report has no comparison
    const previous =
      alert.isDrill && alert.dispatchedAt
        ? await this.drills.previous(municipalityId, alertId, alert.dispatchedAt)
        : [];
    const [stats, districts, silent, [live]] = await Promise.all([
      this.drills.groupStats([alertId, ...previous.map((p) => p.alertId)]),
      this.drills.districtStats(alertId),
      this.drills.nonResponders(alertId),
      this.counters.counters([alertId]),
    ]);
    const of = (id: string) => stats.filter((s) => s.alertId === id);
    return {
      drill: {
        alertId,
        title: alert.texts.ja?.title ?? null,
        status: alert.status,
        launchedAt: alert.dispatchedAt,
      },
      generatedAt: new Date(),
      groups: groupResults(of(alertId), settings),
      districts: districtResults(districts, settings),
      deliveries: live?.byChannel ?? {},
      nonResponders: nonResponders(silent),
      comparison: previous.map((p) => ({ ...p, groups: groupResults(of(p.alertId), settings) })),
    };
  }
}
