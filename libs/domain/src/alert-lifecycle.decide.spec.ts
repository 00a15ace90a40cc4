import {
  type Actor,
  AlertAction,
  AlertJob,
  type AlertState,
  announcedJobs,
  CANCELLABLE,
  type CancelledAlert,
  decide,
  decideCancellationNotice,
  decideCorrection,
  decideSupersede,
  IN_FLIGHT,
  type LifecycleCommand,
  STOPPED,
  SYSTEM_ACTOR,
} from './alert-lifecycle';
import { AlertSource, AlertStatus, Channel, Role, Severity } from './enums';
import { DomainError, ErrorCode } from './errors';

const ID = '3f0c2a9e-1b2c-4d5e-8f90-123456789abc';
const ORIGINAL = '4f0c2a9e-1b2c-4d5e-8f90-123456789abc';
const CREATOR = 'c0000000-0000-4000-8000-000000000001';
const APPROVER = 'c0000000-0000-4000-8000-000000000002';
const now = new Date('2030-01-01T01:00:00Z');

const alert = (status: AlertStatus, o: Partial<AlertState> = {}): AlertState => ({
  id: ID,
  status,
  createdBy: CREATOR,
  isDrill: false,
  templateKey: null,
  supersedesId: null,
  ...o,
});
const operator = (id: string, role: Role): Actor => ({ kind: 'operator', id, role });
const approve = (actor: Actor, singleStepKinds: string[] = []): LifecycleCommand => ({
  action: AlertAction.Approve,
  actor,
  singleStepKinds,
});

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('the lifecycle decision', () => {
  it('names its state sets once: in flight, cancellable, stopped', () => {
    expect(IN_FLIGHT).toEqual([AlertStatus.Dispatching, AlertStatus.Sent]);
    expect(CANCELLABLE).toEqual([
      AlertStatus.Draft,
      AlertStatus.PendingApproval,
      AlertStatus.Approved,
      AlertStatus.Dispatching,
      AlertStatus.Sent,
    ]);
    expect(STOPPED).toEqual([AlertStatus.Cancelled, AlertStatus.Superseded, AlertStatus.Closed]);
  });

  it('submits a draft, stamping when, announcing nothing', () => {
    expect(decide(alert(AlertStatus.Draft), { action: AlertAction.Submit }, now)).toEqual({
      status: AlertStatus.PendingApproval,
      changes: { submittedAt: now },
      jobs: [],
      supersedes: null,
    });
  });

  it('approves by someone other than the creator, recording who', () => {
    expect(
      decide(alert(AlertStatus.PendingApproval), approve(operator(APPROVER, Role.Approver)), now),
    ).toEqual({
      status: AlertStatus.Approved,
      changes: { approvedBy: APPROVER, approvedAt: now },
      jobs: [],
      supersedes: null,
    });
  });

  it('refuses the creator approving their own alert, unless an admin on a single-step kind', () => {
    const own = refusal(() =>
      decide(alert(AlertStatus.PendingApproval), approve(operator(CREATOR, Role.Admin)), now),
    );
    expect(own.code).toBe(ErrorCode.Forbidden);
    expect(own.message).toMatch(/Two-person/);
    const drill = alert(AlertStatus.PendingApproval, { isDrill: true });
    expect(decide(drill, approve(operator(CREATOR, Role.Admin), ['drill']), now).status).toBe(
      AlertStatus.Approved,
    );
    const template = alert(AlertStatus.PendingApproval, { templateKey: 'evacuation_order' });
    expect(decide(template, approve(operator(CREATOR, Role.Admin), ['evacuation_order']), now).status).toBe(
      AlertStatus.Approved,
    );
    expect(refusal(() => decide(drill, approve(operator(CREATOR, Role.Approver), ['drill']), now)).code).toBe(
      ErrorCode.Forbidden,
    );
    expect(
      refusal(() =>
        decide(alert(AlertStatus.PendingApproval), approve(operator(APPROVER, Role.Operator)), now),
      ).message,
    ).toMatch(/approvers/);
  });

  it('lets the system approve what its feed rules send on their own, with no approver recorded', () => {
    const fromFeed = alert(AlertStatus.PendingApproval, { createdBy: null });
    expect(decide(fromFeed, approve(SYSTEM_ACTOR), now).changes).toEqual({
      approvedBy: null,
      approvedAt: now,
    });
  });

  it('sends an approved alert: dispatching, announcing its plan', () => {
    expect(decide(alert(AlertStatus.Approved), { action: AlertAction.Send }, now)).toEqual({
      status: AlertStatus.Dispatching,
      changes: { dispatchedAt: now },
      jobs: [{ job: AlertJob.Plan, payload: { alertId: ID } }],
      supersedes: null,
    });
  });

  it('sending a correction names the alert it supersedes', () => {
    const correction = alert(AlertStatus.Approved, { supersedesId: ORIGINAL });
    expect(decide(correction, { action: AlertAction.Send }, now).supersedes).toBe(ORIGINAL);
  });

  it.each(CANCELLABLE.filter((s) => !IN_FLIGHT.includes(s)))(
    'cancels a %s alert quietly: nobody was reached, nothing is announced',
    (status) => {
      expect(
        decide(alert(status), { action: AlertAction.Cancel, actor: operator(APPROVER, Role.Operator) }, now),
      ).toEqual({
        status: AlertStatus.Cancelled,
        changes: { cancelledBy: APPROVER, cancelledAt: now },
        jobs: [],
        supersedes: null,
      });
    },
  );

  it.each(IN_FLIGHT)(
    'cancels a %s alert announcing alert.cancel (stop batches, notify who was reached)',
    (s) => {
      const d = decide(alert(s), { action: AlertAction.Cancel, actor: SYSTEM_ACTOR }, now);
      expect(d.status).toBe(AlertStatus.Cancelled);
      expect(d.changes).toEqual({ cancelledBy: null, cancelledAt: now });
      expect(d.jobs).toEqual([{ job: AlertJob.Cancel, payload: { alertId: ID } }]);
    },
  );

  it.each(IN_FLIGHT)('supersedes a %s alert, announcing nothing', (s) => {
    expect(decide(alert(s), { action: AlertAction.Supersede }, now)).toEqual({
      status: AlertStatus.Superseded,
      changes: {},
      jobs: [],
      supersedes: null,
    });
  });

  it.each<[AlertStatus, LifecycleCommand]>([
    [AlertStatus.PendingApproval, { action: AlertAction.Submit }],
    [AlertStatus.Draft, approve(operator(APPROVER, Role.Approver))],
    [AlertStatus.PendingApproval, { action: AlertAction.Send }],
    [AlertStatus.Dispatching, { action: AlertAction.Send }],
    [AlertStatus.Closed, { action: AlertAction.Cancel, actor: SYSTEM_ACTOR }],
    [AlertStatus.Cancelled, { action: AlertAction.Cancel, actor: SYSTEM_ACTOR }],
    [AlertStatus.Superseded, { action: AlertAction.Send }],
    [AlertStatus.Approved, { action: AlertAction.Supersede }],
  ])('refuses %s → %j as an illegal transition', (status, command) => {
    const err = refusal(() => decide(alert(status), command, now));
    expect(err.code).toBe(ErrorCode.IllegalTransition);
    expect(err.details).toMatchObject({ action: command.action, from: status });
  });

  it('announces a plan on entering dispatching and a cancel only when leaving flight', () => {
    expect(announcedJobs(ID, null, AlertStatus.Dispatching)).toEqual([
      { job: AlertJob.Plan, payload: { alertId: ID } },
    ]);
    expect(announcedJobs(ID, AlertStatus.Approved, AlertStatus.Cancelled)).toEqual([]);
    expect(announcedJobs(ID, AlertStatus.Dispatching, AlertStatus.Sent)).toEqual([]);
  });
});

describe(decideSupersede.name, () => {
  it('supersedes an original that went out, and leaves one that did not alone', () => {
    expect(decideSupersede(alert(AlertStatus.Sent), now)?.status).toBe(AlertStatus.Superseded);
    expect(decideSupersede(alert(AlertStatus.Cancelled), now)).toBeNull();
    expect(decideSupersede(alert(AlertStatus.PendingApproval), now)).toBeNull();
  });
});

describe(decideCorrection.name, () => {
  it('links a correction to an original that went out', () => {
    expect(decideCorrection(alert(AlertStatus.Sent), 'refuse')).toEqual({
      kind: 'supersedes',
      supersedesId: ID,
    });
    expect(decideCorrection(alert(AlertStatus.Dispatching), 'replace').kind).toBe('supersedes');
  });

  it('refuses an operator correcting what did not go out; the feed rules replace it instead', () => {
    expect(refusal(() => decideCorrection(alert(AlertStatus.Approved), 'refuse')).code).toBe(
      ErrorCode.IllegalTransition,
    );
    expect(decideCorrection(alert(AlertStatus.Approved), 'replace')).toEqual({ kind: 'replaces' });
  });
});

describe(decideCancellationNotice.name, () => {
  const cancelled = (o: Partial<CancelledAlert> = {}): CancelledAlert => ({
    id: ID,
    municipalityId: '9a0c2a9e-1b2c-4d5e-8f90-123456789abc',
    status: AlertStatus.Cancelled,
    source: AlertSource.Jma,
    severity: Severity.Extreme,
    texts: {
      ja: { title: '避難指示', body: '避難してください。' },
      en: { title: 'Evacuation order', body: 'Evacuate.' },
      ko: { title: '대피 지시', body: '대피하십시오.' },
    },
    targeting: { areaIds: [ORIGINAL] },
    channels: [Channel.Receiver, Channel.Fcm],
    isDrill: false,
    expiresAt: new Date('2030-01-01T03:00:00Z'),
    cancelledBy: APPROVER,
    cancelsAlertId: null,
    ...o,
  });

  it('withdraws the original to the same channels and audience, in its languages, straight into dispatching', () => {
    expect(decideCancellationNotice(cancelled(), { reached: true, now })).toEqual({
      municipalityId: cancelled().municipalityId,
      source: 'jma',
      templateKey: 'cancellation_notice',
      texts: {
        ja: { title: '【取消】避難指示', body: '先ほどお知らせした「避難指示」は取り消されました。' },
        en: {
          title: '[Cancelled] Evacuation order',
          body: 'The earlier alert "Evacuation order" has been cancelled.',
        },
        ko: { title: '[Cancelled] 대피 지시', body: 'The earlier alert "대피 지시" has been cancelled.' },
      },
      severity: Severity.Extreme,
      targeting: { areaIds: [ORIGINAL] },
      channels: ['receiver', 'fcm'],
      isDrill: false,
      safetyRequest: false,
      createdBy: APPROVER,
      idempotencyKey: `fanout-cancellation-notice-${ID}`,
      expiresAt: new Date('2030-01-01T03:00:00Z'),
      cancelsAlertId: ID,
      status: AlertStatus.Dispatching,
    });
  });

  it('marks a drill notice once, and outlives an original that expires soon', () => {
    const notice = decideCancellationNotice(
      cancelled({
        isDrill: true,
        texts: { ja: { title: '【訓練】避難指示', body: '【訓練】避難してください。' } },
        expiresAt: new Date('2030-01-01T01:10:00Z'),
      }),
      { reached: true, now },
    );
    expect(notice?.texts.ja).toEqual({
      title: '【訓練】【取消】避難指示',
      body: '【訓練】先ほどお知らせした「避難指示」は取り消されました。',
    });
    expect(notice?.expiresAt).toEqual(new Date('2030-01-01T02:00:00Z'));
  });

  it('sends none for an alert that reached nobody, is not cancelled, or is itself a notice', () => {
    expect(decideCancellationNotice(cancelled(), { reached: false, now })).toBeNull();
    expect(
      decideCancellationNotice(cancelled({ status: AlertStatus.Sent }), { reached: true, now }),
    ).toBeNull();
    expect(
      decideCancellationNotice(cancelled({ cancelsAlertId: ORIGINAL }), { reached: true, now }),
    ).toBeNull();
  });
});
