import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import {
  ActorType,
  Channel,
  DEFAULT_ESCALATION,
  escalationTimings,
  type EscalationTimings,
} from '@bousai/domain';
import {
  AuditRepository,
  DeliveryPlanRepository,
  type EscalationCandidate,
  EscalationRepository,
  FanoutAlertRepository,
  type SupporterTask,
} from '@bousai/persistence';
import { DeliverBatchJobs, QueueProducer } from '@bousai/queue';
import { ChannelRegistry } from '../channels/channel-registry';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PeriodicService } from '../workers/periodic-task';
import { ESCALATION_CLOCK, type EscalationClock } from './escalation.clock';
import { supporterNotice } from './supporter-notice';

export interface EscalationReport {
  alerts: number;
  resent: number;
  deliveriesPlanned: number;
  supporterTasks: number;
  supportersMailed: number;
  followUps: number;
}

const MINUTE_MS = 60_000;

/**
 * The escalation ladder for 要援護者 who were asked to confirm their safety and stay silent (issue 6 item 3),
 * timed per municipality (`settings.escalation`, minutes after the request):
 * - T1: the alert again on every other channel that reaches them or their household (new delivery rows, new
 *   batches on the usual queues);
 * - T2: a task for each of their supporters, mailed in priority order with one-tap outcome links;
 * - T3: the staff follow-up list.
 * Every rung is one set-based statement per alert that moves the requests it works on to the rung
 * (`safety_request.escalation_rung`) and writes their tasks and audit rows together, so repeating a scan, or
 * several fanout processes scanning, does nothing twice. Any answer, or a supporter's report, stops the ladder (see the repositories).
 */
@Injectable()
export class EscalationScanner extends PeriodicService {
  private readonly logger = new Logger(EscalationScanner.name);

  constructor(
    private readonly escalation: EscalationRepository,
    private readonly plans: DeliveryPlanRepository,
    private readonly alerts: FanoutAlertRepository,
    private readonly producer: QueueProducer,
    private readonly channels: ChannelRegistry,
    private readonly audit: AuditRepository,
    @Inject(ESCALATION_CLOCK) private readonly clock: EscalationClock,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
    @Inject(APP_CONFIG) private readonly config: FanoutConfig,
  ) {
    super();
    this.runEvery('escalation', config.FANOUT_ESCALATION_SCAN_MS, () => this.scan(), this.logger);
  }

  async scan(): Promise<EscalationReport> {
    const report: EscalationReport = {
      alerts: 0,
      resent: 0,
      deliveriesPlanned: 0,
      supporterTasks: 0,
      supportersMailed: 0,
      followUps: 0,
    };
    const now = this.clock.now();
    for (const alert of await this.escalation.candidates(now)) {
      report.alerts++;
      const t = this.timings(alert);
      const rung = (minutes: number) => ({
        alertId: alert.id,
        now,
        cutoff: new Date(now.getTime() - minutes * MINUTE_MS),
        afterMinutes: minutes,
      });
      // rungs in order: a scan that comes late (or a clock that jumped) still walks T1 before T2 before T3
      const resent = await this.resend(alert, rung(t.t1Minutes));
      report.resent += resent.residents;
      report.deliveriesPlanned += resent.inserted;
      const tasks = await this.escalation.supporterTasks(rung(t.t2Minutes));
      report.supporterTasks += tasks.length;
      report.supportersMailed += await this.notify(alert, tasks, now);
      report.followUps += await this.escalation.followUps(rung(t.t3Minutes));
    }
    if (report.resent + report.supporterTasks + report.followUps > 0) this.logger.log(report, 'escalation');
    return report;
  }

  private timings(alert: EscalationCandidate): EscalationTimings {
    try {
      return escalationTimings(alert.municipalitySettings);
    } catch (err) {
      // the api validates settings before storing them; a row edited by hand must not stop the ladder
      this.logger.warn(
        { municipalityId: alert.municipalityId, err: (err as Error).message },
        'invalid escalation settings: using the defaults',
      );
      return { ...DEFAULT_ESCALATION };
    }
  }

  private async resend(
    alert: EscalationCandidate,
    rung: { alertId: string; now: Date; cutoff: Date; afterMinutes: number },
  ): Promise<{ residents: number; inserted: number }> {
    const channels = this.channels.channels();
    const next = await this.plans.nextBatchNumbers(alert.id);
    const result = await this.escalation.resend({
      ...rung,
      channels,
      firstBatchNo: new Map(channels.map((c) => [c as string, next.get(c) ?? 0])),
      batchSize: this.settings.batchSize,
    });
    if (result.inserted === 0) return result;
    for (const channel of new Set(result.batches.map((b) => b.channel))) {
      await this.producer.enqueueMany(
        DeliverBatchJobs[channel],
        result.batches
          .filter((b) => b.channel === channel)
          .map((b) => ({ alertId: alert.id, channel, batchNo: b.batchNo })),
      );
    }
    // the planner's per-channel totals, now over the alert's own channels and the ones the resend added
    await this.alerts.recordPlanned(
      alert.id,
      channels.filter((c) => alert.channels.includes(c) || result.batches.some((b) => b.channel === c)),
    );
    this.logger.log(
      { alertId: alert.id, residents: result.residents, planned: result.inserted },
      'escalation T1: resent on other channels',
    );
    return result;
  }

  /** Mails each new supporter task in priority order; a task without a mailable supporter stays open on the list. */
  private async notify(alert: EscalationCandidate, tasks: SupporterTask[], now: Date): Promise<number> {
    const email = this.channels.get(Channel.Email);
    const secret = this.config.ONE_TAP_SECRET;
    const baseUrl = this.config.PUBLIC_BASE_URL;
    let mailed = 0;
    for (const task of tasks) {
      let outcome: string;
      if (!task.email) outcome = 'no_address';
      else if (!email || !secret || !baseUrl) outcome = 'unavailable';
      else {
        const [result] = await email.send(
          [
            {
              deliveryId: task.taskId,
              endpointId: task.supporterId,
              address: task.email,
              language: task.language,
            },
          ],
          supporterNotice(alert, task, { secret, baseUrl, now: now.getTime() }),
        );
        outcome = result?.kind ?? 'failed';
        if (outcome === 'sent' || outcome === 'delivered') mailed++;
      }
      await this.audit.append({
        municipalityId: alert.municipalityId,
        actorType: ActorType.System,
        actorId: null,
        action: 'escalation.supporter_notify',
        targetType: 'escalation_task',
        targetIds: [task.taskId],
        details: { alertId: alert.id, supporterId: task.supporterId, priority: task.priority, outcome },
        requestId: null,
      });
    }
    if (tasks.length > mailed) {
      this.logger.warn(
        { alertId: alert.id, tasks: tasks.length, mailed },
        'escalation T2: some supporters could not be mailed (no address, no email sender, ONE_TAP_SECRET or PUBLIC_BASE_URL)',
      );
    }
    return mailed;
  }
}
