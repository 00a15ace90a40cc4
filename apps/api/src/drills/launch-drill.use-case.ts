import { Injectable, Logger } from '@nestjs/common';
import {
  DomainError,
  DrillScheduleState,
  ErrorCode,
  NotFoundError,
  Role,
  Severity,
  type Targeting,
} from '@bousai/domain';
import {
  type AudienceFilter,
  type DrillListItem,
  DrillRepository,
  type DueDrill,
  SafetyRepository,
} from '@bousai/persistence';
import { AlertLifecycleUseCase } from '../alerts/alert-lifecycle.use-case';
import type { CreateAlertDto } from '../alerts/alerts.dto';
import type { OperatorPrincipal } from '../auth/principal';
import type { LaunchDrillDto } from './drills.dto';

const DEFAULT_TITLE = '安否確認訓練';
const DEFAULT_BODY = 'これは訓練です。安否確認に回答してください。';

/** The drill's targeting as the safety request's audience (the same rules the fan-out applies to the alert). */
function audienceOf(targeting: Targeting): AudienceFilter {
  const areaIds = targeting.areaIds ?? [];
  const groups = targeting.groups ?? [];
  return {
    everywhere: targeting.all === true || areaIds.length === 0,
    areaIds,
    jmaCodes: [],
    householdIds: [],
    groups,
  };
}

/**
 * Launches a drill now or at a set time (issue 6 item 5): an alert marked as a drill (every text carries 【訓練】,
 * CAP `Exercise`) that asks the chosen groups to confirm their safety. Every drill is a `drill_schedule` row (due
 * now, or later); it goes out once its time has come AND its alert is approved, so the two-person rule applies to
 * drills as to any alert unless the municipality lets admins single-step them (`singleStepKinds: ['drill']`).
 */
@Injectable()
export class LaunchDrillUseCase {
  private readonly logger = new Logger(LaunchDrillUseCase.name);

  constructor(
    private readonly lifecycle: AlertLifecycleUseCase,
    private readonly drills: DrillRepository,
    private readonly safety: SafetyRepository,
  ) {}

  async execute(op: OperatorPrincipal, dto: LaunchDrillDto): Promise<DrillListItem> {
    const scheduledAt = dto.scheduledAt ? new Date(dto.scheduledAt) : new Date();
    if (dto.scheduledAt && scheduledAt.getTime() < Date.now() - 60_000) {
      throw new DomainError(ErrorCode.ValidationFailed, 'scheduledAt is in the past', {
        field: 'scheduledAt',
      });
    }
    const targeting = {
      all: dto.targeting?.all ?? !dto.targeting?.areaIds?.length,
      areaIds: dto.targeting?.areaIds ?? [],
      groups: dto.targeting?.groups ?? [],
    };
    const create: CreateAlertDto = {
      texts: { ja: { title: dto.title ?? DEFAULT_TITLE, body: dto.body ?? DEFAULT_BODY } },
      severity: Severity.Minor,
      targeting,
      channels: dto.channels,
      isDrill: true,
      safetyRequest: true,
    };
    const { alert } = await this.lifecycle.create(op, create, undefined);
    await this.lifecycle.submit(op, alert.id);
    try {
      await this.lifecycle.approve(op, alert.id);
    } catch (err) {
      // the two-person rule decides: a drill that needs a second person waits for their approval (alerts API)
      if (!(err instanceof DomainError && err.code === ErrorCode.Forbidden)) throw err;
    }
    const scheduleId = await this.drills.schedule({
      municipalityId: op.municipalityId,
      alertId: alert.id,
      scheduledAt,
      createdBy: op.operatorId,
    });
    if (!dto.scheduledAt) await this.launchDue(new Date(), scheduleId);
    return this.view(op.municipalityId, alert.id);
  }

  /** Cancels a drill that has not gone out: its schedule and its alert. */
  async cancel(op: OperatorPrincipal, alertId: string): Promise<DrillListItem> {
    const drill = await this.view(op.municipalityId, alertId);
    if (!drill.scheduleId || !(await this.drills.cancel(op.municipalityId, drill.scheduleId))) {
      throw new DomainError(
        ErrorCode.IllegalTransition,
        `Only a scheduled drill can be cancelled here; this one is ${drill.scheduleState ?? drill.alertStatus} (cancel a launched drill as an alert)`,
      );
    }
    await this.lifecycle.cancel(op, alertId);
    return this.view(op.municipalityId, alertId);
  }

  /**
   * Sends every approved drill whose time has come (or only `scheduleId`) and asks its audience: the request
   * rows exist from the launch on, so the report's clock starts there (the fan-out's planning asks again, which
   * adds nobody twice). Resolves to how many went out.
   */
  async launchDue(now: Date, scheduleId?: string): Promise<number> {
    const due = await this.drills.claimDue(now, scheduleId);
    let launched = 0;
    for (const drill of due) {
      try {
        await this.launch(drill);
        launched++;
      } catch (err) {
        this.logger.error({ err, alertId: drill.alertId }, 'drill launch failed');
        await this.drills.markFailed(drill.scheduleId, err instanceof Error ? err.message : String(err));
      }
    }
    return launched;
  }

  private async launch(drill: DueDrill): Promise<void> {
    // sent in the name of the operator who scheduled it; the scheduler has no session of its own
    const principal: OperatorPrincipal = {
      kind: 'operator',
      sessionId: `drill-schedule:${drill.scheduleId}`,
      operatorId: drill.createdBy ?? '',
      municipalityId: drill.municipalityId,
      role: Role.Viewer, // sending checks no role; the least one, should anything ever read it
      email: '',
    };
    const alert = await this.lifecycle.send(principal, drill.alertId, undefined);
    const { asked, carried } = await this.safety.ask(
      alert.id,
      alert.municipalityId,
      audienceOf(alert.targeting),
    );
    this.logger.log(
      { alertId: alert.id, asked, carried, state: DrillScheduleState.Launched },
      'drill launched',
    );
  }

  async view(municipalityId: string, alertId: string): Promise<DrillListItem> {
    const drill = await this.drills.get(municipalityId, alertId);
    if (!drill) throw new NotFoundError('drill', alertId);
    return drill;
  }
}
