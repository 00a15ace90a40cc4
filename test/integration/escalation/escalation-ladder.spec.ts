import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ActorType,
  Channel,
  EscalationOutcome,
  OneTapPurpose,
  parseSupporterCheckAnswer,
  ResponseChannel,
  SafetyStatus,
  verifyOneTapToken,
} from '@bousai/domain';
import { EscalationRepository, SafetyRepository } from '@bousai/persistence';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '@bousai/testing';
import { ESCALATION_CLOCK, type EscalationClock } from '../../../apps/fanout/src/escalation/escalation.clock';
import {
  type EscalationReport,
  EscalationScanner,
} from '../../../apps/fanout/src/escalation/escalation.scanner';
import { FanoutModule } from '../../../apps/fanout/src/fanout.module';
import {
  deliveries,
  dropQueueKeys,
  eventually,
  FAST_FANOUT,
  RecordingAdapter,
  REDIS_URL,
  Seeder,
  waitForStatus,
  announcePlan,
} from '../fanout/support/fanout-harness';

jest.setTimeout(60_000);

const SECRET = 'escalation-one-tap-secret-0123456789abcdef';
const MINUTE = 60_000;

/** A clock the test moves by hand: the ladder's timings are checked without waiting for them. */
class ManualClock implements EscalationClock {
  private at = new Date();
  now(): Date {
    return this.at;
  }
  set(at: Date): void {
    this.at = at;
  }
}

describe(EscalationScanner.name, () => {
  let db: TestDatabase;
  let prefix: string;
  let app: INestApplication;
  let seed: Seeder;
  let sut: EscalationScanner;
  let safety: SafetyRepository;
  let escalation: EscalationRepository;
  const clock = new ManualClock();
  const adapters = {
    receiver: new RecordingAdapter(Channel.Receiver),
    fcm: new RecordingAdapter(Channel.Fcm),
    email: new RecordingAdapter(Channel.Email),
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testQueuePrefix();
    seed = new Seeder(db);
    const moduleRef = await Test.createTestingModule({
      imports: [
        FanoutModule.forRoot(
          {
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            DATABASE_URL: db.url,
            REDIS_URL,
            QUEUE_PREFIX: prefix,
            ...FAST_FANOUT,
            // the ladder only moves when a test calls scan() with the clock where it wants it
            FANOUT_ESCALATION_SCAN_MS: '3600000',
            ONE_TAP_SECRET: SECRET,
            PUBLIC_BASE_URL: 'https://bousai.example.jp',
          },
          { adapters: Object.values(adapters) },
        ),
      ],
    })
      .overrideProvider(ESCALATION_CLOCK)
      .useValue(clock)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    sut = app.get(EscalationScanner);
    safety = app.get(SafetyRepository);
    escalation = app.get(EscalationRepository);
  });
  afterAll(async () => {
    await app?.close();
    await dropQueueKeys(prefix);
    await db?.drop();
  });

  interface Person {
    residentId: string;
    fcm: string;
    email: string;
    receiver: string;
  }

  /** A 要援護者 reached by a household receiver and their own app, with a confirmed email address too. */
  async function vulnerable(mid: string, consentScopes?: string[]): Promise<Person> {
    const householdId = await seed.household(mid, null);
    const residentId = await seed.resident(mid, {
      householdId,
      needsAssistance: true,
      ...(consentScopes ? { consentScopes } : {}),
    });
    const [email] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
       VALUES ($1, $2, 'email', $3, now()) RETURNING id`,
      [mid, residentId, `p-${residentId}@example.jp`],
    );
    return {
      residentId,
      fcm: await seed.fcm(mid, residentId),
      email: email.id,
      receiver: await seed.receiver(mid, householdId),
    };
  }

  async function supporter(
    mid: string,
    residentId: string,
    priority: number,
    email: string | null,
  ): Promise<string> {
    const [row] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO supporter (municipality_id, resident_id, name, relation, email, priority)
       VALUES ($1, $2, $3, 'neighbour', $4, $5) RETURNING id`,
      [mid, residentId, `支援者${priority}`, email, priority],
    );
    return row.id;
  }

  /**
   * A municipality with the given timings and an alert with a safety request on receiver and app push, sent
   * through the real planner (which asks the residents). Resolves to the alert and when the request was made.
   */
  async function sentAlert(
    mid: string,
    o: { drill?: boolean; corrects?: string } = {},
  ): Promise<{ alertId: string; askedAt: Date }> {
    const alertId = await seed.alert(mid, { targeting: { all: true }, outbox: false });
    await db.dataSource.query(
      `UPDATE alert SET safety_request = true, is_drill = $2, supersedes_alert_id = $3 WHERE id = $1`,
      [alertId, o.drill ?? false, o.corrects ?? null],
    );
    // sending a correction supersedes the alert it corrects (the api's lifecycle does it in the same transaction)
    if (o.corrects)
      await db.dataSource.query(`UPDATE alert SET status = 'superseded' WHERE id = $1`, [o.corrects]);
    await announcePlan(db, alertId);
    await waitForStatus(db, alertId, 'sent');
    // timestamptz keeps microseconds, a Date milliseconds: round up so "askedAt + T" is never early
    const [row] = await db.dataSource.query<{ ms: string }[]>(
      `SELECT ceil(extract(epoch FROM max(created_at)) * 1000)::bigint AS ms FROM safety_request WHERE alert_id = $1`,
      [alertId],
    );
    return { alertId, askedAt: new Date(Number(row.ms)) };
  }

  async function municipality(): Promise<string> {
    const mid = await seed.municipality();
    await db.dataSource.query(`UPDATE municipality SET settings = $2 WHERE id = $1`, [
      mid,
      JSON.stringify({ escalation: { t1Minutes: 10, t2Minutes: 20, t3Minutes: 40 } }),
    ]);
    return mid;
  }

  const at = (askedAt: Date, ms: number) => clock.set(new Date(askedAt.getTime() + ms));

  async function scanAt(askedAt: Date, ms: number): Promise<EscalationReport> {
    at(askedAt, ms);
    return sut.scan();
  }

  async function audits(
    action: string,
    alertId: string,
  ): Promise<{ targetIds: string[]; details: Record<string, unknown> }[]> {
    return db.dataSource.query(
      `SELECT target_ids AS "targetIds", details FROM audit_log WHERE action = $1 AND details->>'alertId' = $2
        ORDER BY id`,
      [action, alertId],
    );
  }

  it('walks T1 (resend on another channel), T2 (supporter tasks in priority order), T3 (follow-up list) on time', async () => {
    const mid = await municipality();
    const person = await vulnerable(mid);
    const bystander = await seed.resident(mid, { householdId: await seed.household(mid, null) });
    await seed.fcm(mid, bystander);
    const second = await supporter(mid, person.residentId, 2, 'second@example.jp');
    const first = await supporter(mid, person.residentId, 1, 'first@example.jp');
    const third = await supporter(mid, person.residentId, 3, null);
    const { alertId, askedAt } = await sentAlert(mid);

    const asked = await db.dataSource.query<{ residentId: string; targetGroup: string }[]>(
      `SELECT resident_id AS "residentId", target_group AS "targetGroup" FROM safety_request WHERE alert_id = $1`,
      [alertId],
    );
    expect(asked).toEqual(
      expect.arrayContaining([
        { residentId: person.residentId, targetGroup: 'needs_assistance' },
        { residentId: bystander, targetGroup: 'everyone' },
      ]),
    );
    const firstRound = (await deliveries(db, alertId)).map((d) => d.endpointId);
    expect(firstRound).toEqual(expect.arrayContaining([person.fcm, person.receiver]));
    expect(firstRound).not.toContain(person.email);

    // just before T1: nothing
    expect(await scanAt(askedAt, 10 * MINUTE - 1_000)).toMatchObject({
      resent: 0,
      supporterTasks: 0,
      followUps: 0,
    });
    expect(await escalation.tasksOf(alertId, person.residentId)).toEqual([]);

    // T1: the alert again on the channel not used yet (email), on the usual batch queue
    expect(await scanAt(askedAt, 10 * MINUTE)).toMatchObject({
      resent: 1,
      deliveriesPlanned: 1,
      supporterTasks: 0,
    });
    const resent = (await deliveries(db, alertId)).filter((d) => d.endpointId === person.email);
    expect(resent).toHaveLength(1);
    await adapters.email.calledTimes(1);
    expect(adapters.email.sentEndpointIds()).toEqual([person.email]);
    await waitForStatus(db, alertId, 'sent');
    expect(await escalation.tasksOf(alertId, person.residentId)).toEqual([
      expect.objectContaining({ step: 'resend', state: 'done' }),
    ]);
    // repeating the scan does nothing twice
    expect(await scanAt(askedAt, 10 * MINUTE + 30_000)).toMatchObject({ resent: 0, deliveriesPlanned: 0 });

    // just before T2: nothing more
    expect(await scanAt(askedAt, 20 * MINUTE - 1_000)).toMatchObject({ supporterTasks: 0 });

    // T2: one open task per supporter; the mailable ones mailed in priority order with one-tap links
    const mailsBefore = adapters.email.calls.length;
    expect(await scanAt(askedAt, 20 * MINUTE)).toMatchObject({ supporterTasks: 3, supportersMailed: 2 });
    const tasks = await escalation.tasksOf(alertId, person.residentId);
    expect(tasks.filter((t) => t.step === 'supporter').map((t) => [t.supporterId, t.state])).toEqual([
      [first, 'open'],
      [second, 'open'],
      [third, 'open'],
    ]);
    const mails = adapters.email.calls.slice(mailsBefore);
    expect(mails.map((c) => c.targets[0].address)).toEqual(['first@example.jp', 'second@example.jp']);
    const links = [...mails[0].message.texts.ja.body.matchAll(/supporter-check\?token=(\S+)/g)].map(
      (m) => m[1],
    );
    expect(links).toHaveLength(3);
    const firstTask = tasks.find((t) => t.supporterId === first)!;
    expect(
      links.map((token) => {
        const claims = verifyOneTapToken(token, SECRET, { purpose: OneTapPurpose.SupporterCheck });
        expect(claims).toMatchObject({ residentId: person.residentId, alertId });
        return parseSupporterCheckAnswer(claims.answer);
      }),
    ).toEqual([
      { taskId: firstTask.id, outcome: EscalationOutcome.Safe },
      { taskId: firstTask.id, outcome: EscalationOutcome.NeedsHelp },
      { taskId: firstTask.id, outcome: EscalationOutcome.NotHome },
    ]);
    expect((await audits('escalation.supporter_notify', alertId)).map((a) => a.details.outcome)).toEqual([
      'sent',
      'sent',
      'no_address',
    ]);

    // T3: on the staff follow-up list
    expect(await scanAt(askedAt, 40 * MINUTE - 1_000)).toMatchObject({ followUps: 0 });
    expect(await escalation.followUpList(mid, alertId)).toEqual([]);
    expect(await scanAt(askedAt, 40 * MINUTE)).toMatchObject({ followUps: 1 });
    const list = await escalation.followUpList(mid, alertId);
    expect(list).toEqual([
      expect.objectContaining({
        residentId: person.residentId,
        supporterOutcomes: [
          { supporterId: first, priority: 1, outcome: null, state: 'open' },
          { supporterId: second, priority: 2, outcome: null, state: 'open' },
          { supporterId: third, priority: 3, outcome: null, state: 'open' },
        ],
      }),
    ]);
    // due 40 minutes after the request (to the millisecond the rounding above allows)
    expect(askedAt.getTime() + 40 * MINUTE - new Date(list[0].dueAt).getTime()).toBeLessThanOrEqual(1);
    // the bystander (not 要援護者) was never escalated
    expect(await escalation.tasksOf(alertId, bystander)).toEqual([]);

    // every rung is audited
    expect(await audits('escalation.resend', alertId)).toHaveLength(1);
    expect(await audits('escalation.supporter_task', alertId)).toHaveLength(3);
    expect(await audits('escalation.staff_follow_up', alertId)).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ residentId: person.residentId }) }),
    ]);
  });

  it('an answer stops the ladder at once: open supporter tasks cancelled, no follow-up later', async () => {
    const mid = await municipality();
    const person = await vulnerable(mid);
    await supporter(mid, person.residentId, 1, 'one@example.jp');
    const { alertId, askedAt } = await sentAlert(mid);
    await scanAt(askedAt, 20 * MINUTE);
    expect((await escalation.tasksOf(alertId, person.residentId)).map((t) => [t.step, t.state])).toEqual([
      ['resend', 'done'],
      ['supporter', 'open'],
    ]);

    const recorded = await safety.record({
      alertId,
      residentId: person.residentId,
      status: SafetyStatus.Safe,
      note: null,
      location: null,
      channel: ResponseChannel.App,
      recordedBy: null,
    });
    expect(recorded).toMatchObject({ stoppedTasks: 1, municipalityId: mid });
    expect((await escalation.tasksOf(alertId, person.residentId)).map((t) => [t.step, t.state])).toEqual([
      ['resend', 'done'],
      ['supporter', 'cancelled'],
    ]);
    expect(await audits('escalation.stop', alertId)).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ reason: 'answered', channel: 'app' }) }),
    ]);

    expect(await scanAt(askedAt, 90 * MINUTE)).toMatchObject({ followUps: 0 });
    expect(await escalation.followUpList(mid, alertId)).toEqual([]);
  });

  it('answers recorded together: each as if alone, two of one person in order, one not asked refused alone', async () => {
    const mid = await municipality();
    const [twice, once] = [await vulnerable(mid), await vulnerable(mid)];
    const stranger = await vulnerable(await municipality());
    await supporter(mid, once.residentId, 1, 'once@example.jp');
    const { alertId, askedAt } = await sentAlert(mid);
    await scanAt(askedAt, 20 * MINUTE);
    const answer = (residentId: string, status: SafetyStatus, audited = true) => ({
      alertId,
      residentId,
      status,
      note: null,
      location: null,
      channel: ResponseChannel.App,
      recordedBy: null,
      ...(audited
        ? {
            audit: {
              action: 'safety.answer',
              actorType: ActorType.Resident,
              actorId: residentId,
              targetIds: [alertId],
              requestId: `req-${status}`,
            },
          }
        : {}),
    });

    const recorded = await safety.recordMany([
      answer(twice.residentId, SafetyStatus.Safe),
      answer(stranger.residentId, SafetyStatus.Safe),
      answer(once.residentId, SafetyStatus.Injured, false),
      answer(twice.residentId, SafetyStatus.NeedHelp),
    ]);
    // only the one with a supporter had a task still open to stop
    expect(recorded.map((r) => r && [r.municipalityId, r.stoppedTasks])).toEqual([
      [mid, 0],
      undefined,
      [mid, 1],
      [mid, 0],
    ]);
    const history = await db.dataSource.query<{ status: string; current: string }[]>(
      `SELECT x.status, s.current_status AS current FROM safety_response x
         JOIN safety_request s ON s.id = x.safety_request_id
        WHERE s.alert_id = $1 AND s.resident_id = $2 ORDER BY x.responded_at, x.id`,
      [alertId, twice.residentId],
    );
    expect(history).toEqual([
      { status: 'safe', current: 'need_help' },
      { status: 'need_help', current: 'need_help' },
    ]);
    expect((await escalation.tasksOf(alertId, once.residentId)).map((t) => t.state)).toEqual([
      'done',
      'cancelled',
    ]);
    // the answers that carried an audit have their row, with the request, the person, the alert and the answer
    expect(await audits('safety.answer', alertId)).toEqual(
      recorded
        .filter((_, k) => k === 0 || k === 3)
        .map((r, k) =>
          expect.objectContaining({
            targetIds: [r?.requestId, twice.residentId, alertId, r?.responseId],
            details: expect.objectContaining({
              status: ['safe', 'need_help'][k],
              escalationStopped: 0,
            }),
          }),
        ),
    );
  });

  it('an answer before T1 means no rung ever runs', async () => {
    const mid = await municipality();
    const person = await vulnerable(mid);
    const { alertId, askedAt } = await sentAlert(mid);
    await safety.record({
      alertId,
      residentId: person.residentId,
      status: SafetyStatus.NeedHelp,
      note: '足が悪い',
      location: { lat: 35.43, lng: 133.25 },
      channel: ResponseChannel.Pwa,
      recordedBy: null,
    });
    await scanAt(askedAt, 90 * MINUTE);
    expect(await escalation.tasksOf(alertId, person.residentId)).toEqual([]);
  });

  it('a correction carries the answers given on the alert it corrects: no new request, no ladder for them', async () => {
    const mid = await municipality();
    const answered = await vulnerable(mid);
    const silent = await vulnerable(mid);
    await supporter(mid, answered.residentId, 1, 'a@example.jp');
    await supporter(mid, silent.residentId, 1, 's@example.jp');
    const first = await sentAlert(mid);
    await safety.record({
      alertId: first.alertId,
      residentId: answered.residentId,
      status: SafetyStatus.NeedHelp,
      note: '足が悪い',
      location: null,
      channel: ResponseChannel.Pwa,
      recordedBy: null,
    });

    const { alertId, askedAt } = await sentAlert(mid, { corrects: first.alertId });
    // the correction itself reaches both; the channels learn who has answered already (no answer links for them)
    const sentTo = adapters.fcm.calls
      .filter((c) => c.message.alertId === alertId)
      .flatMap((c) => c.targets)
      .map((t) => [t.endpointId, t.safetyStatus]);
    expect(sentTo).toEqual(
      expect.arrayContaining([
        [answered.fcm, 'need_help'],
        [silent.fcm, null],
      ]),
    );
    // the answer, with its history, is the correction's too
    expect(await safety.request(mid, alertId, answered.residentId)).toMatchObject({
      currentStatus: 'need_help',
      answeredAt: expect.any(Date),
      history: [expect.objectContaining({ status: 'need_help', channel: 'pwa', note: '足が悪い' })],
    });
    expect(await safety.request(mid, alertId, silent.residentId)).toMatchObject({
      currentStatus: null,
      history: [],
    });
    expect(await safety.summary(mid, alertId)).toEqual(
      expect.arrayContaining([
        { targetGroup: 'needs_assistance', status: 'need_help', count: 1 },
        { targetGroup: 'needs_assistance', status: 'unanswered', count: 1 },
      ]),
    );

    // the ladder runs for the silent one only
    await scanAt(askedAt, 40 * MINUTE);
    expect(await escalation.tasksOf(alertId, answered.residentId)).toEqual([]);
    expect((await escalation.tasksOf(alertId, silent.residentId)).map((t) => t.step)).toEqual([
      'resend',
      'supporter',
      'staff_follow_up',
    ]);
    const resent = (await deliveries(db, alertId)).map((d) => d.endpointId);
    expect(resent).toContain(silent.email);
    expect(resent).not.toContain(answered.email);
    expect((await escalation.followUpList(mid, alertId)).map((f) => f.residentId)).toEqual([
      silent.residentId,
    ]);
  });

  it("a supporter's check on the alert a correction replaced answers the correction and stops its ladder", async () => {
    const mid = await municipality();
    const person = await vulnerable(mid);
    await supporter(mid, person.residentId, 1, 'one@example.jp');
    const first = await sentAlert(mid);
    await scanAt(first.askedAt, 20 * MINUTE);
    const [task] = (await escalation.tasksOf(first.alertId, person.residentId)).filter(
      (t) => t.step === 'supporter',
    );
    const { alertId, askedAt } = await sentAlert(mid, { corrects: first.alertId });
    expect((await safety.request(mid, alertId, person.residentId))?.currentStatus).toBeNull();

    expect(
      await escalation.answerSupporterTask(
        task.id,
        first.alertId,
        person.residentId,
        EscalationOutcome.NeedsHelp,
        alertId,
      ),
    ).toMatchObject({ kind: 'recorded', followUp: true });
    expect(await safety.request(mid, alertId, person.residentId)).toMatchObject({
      currentStatus: 'need_help',
      history: [expect.objectContaining({ status: 'need_help', channel: 'visit' })],
    });
    // handed to staff on the correction's list; the correction's own ladder never starts for them
    expect((await escalation.followUpList(mid, alertId)).map((f) => f.residentId)).toEqual([
      person.residentId,
    ]);
    await scanAt(askedAt, 40 * MINUTE);
    expect((await escalation.tasksOf(alertId, person.residentId)).map((t) => t.step)).toEqual([
      'staff_follow_up',
    ]);
  });

  it("a supporter's report closes the ladder; needs_help hands the person to staff at once", async () => {
    const mid = await municipality();
    const calm = await vulnerable(mid);
    const worrying = await vulnerable(mid);
    const calmFirst = await supporter(mid, calm.residentId, 1, 'c1@example.jp');
    await supporter(mid, calm.residentId, 2, 'c2@example.jp');
    const worryingFirst = await supporter(mid, worrying.residentId, 1, 'w1@example.jp');
    const { alertId, askedAt } = await sentAlert(mid);
    await scanAt(askedAt, 20 * MINUTE);

    const taskOf = async (residentId: string, supporterId: string) =>
      (await escalation.tasksOf(alertId, residentId)).find((t) => t.supporterId === supporterId)!.id;

    const safe = await escalation.answerSupporterTask(
      await taskOf(calm.residentId, calmFirst),
      alertId,
      calm.residentId,
      EscalationOutcome.Safe,
    );
    expect(safe).toEqual({ kind: 'recorded', municipalityId: mid, followUp: false });
    expect(
      (await escalation.tasksOf(alertId, calm.residentId)).map((t) => [t.step, t.state, t.outcome]),
    ).toEqual([
      ['resend', 'done', null],
      ['supporter', 'done', 'safe'],
      ['supporter', 'cancelled', null],
    ]);
    // answering the same task again changes nothing
    expect(
      await escalation.answerSupporterTask(
        await taskOf(calm.residentId, calmFirst),
        alertId,
        calm.residentId,
        EscalationOutcome.NotHome,
      ),
    ).toEqual({ kind: 'closed', state: 'done', outcome: 'safe' });

    const help = await escalation.answerSupporterTask(
      await taskOf(worrying.residentId, worryingFirst),
      alertId,
      worrying.residentId,
      EscalationOutcome.NeedsHelp,
    );
    expect(help).toMatchObject({ kind: 'recorded', followUp: true });
    expect((await escalation.followUpList(mid, alertId)).map((e) => e.residentId)).toEqual([
      worrying.residentId,
    ]);

    // what the supporters found is the person's answer, taken on a visit; not finding them at home answers nothing
    const answers = await db.dataSource.query<{ residentId: string; current: string; statuses: string[] }[]>(
      `SELECT s.resident_id AS "residentId", s.current_status AS current,
              array_agg(r.status || '/' || r.channel ORDER BY r.id) FILTER (WHERE r.id IS NOT NULL) AS statuses
         FROM safety_request s LEFT JOIN safety_response r ON r.safety_request_id = s.id
        WHERE s.alert_id = $1 AND s.resident_id = ANY ($2::uuid[])
        GROUP BY s.resident_id, s.current_status`,
      [alertId, [calm.residentId, worrying.residentId]],
    );
    expect(Object.fromEntries(answers.map((a) => [a.residentId, [a.current, a.statuses]]))).toEqual({
      [calm.residentId]: ['safe', ['safe/visit']],
      [worrying.residentId]: ['need_help', ['need_help/visit']],
    });

    // T3 adds nobody: the calm one is closed, the worrying one is already on the list
    expect(await scanAt(askedAt, 40 * MINUTE)).toMatchObject({ followUps: 0 });
    expect((await escalation.followUpList(mid, alertId)).map((e) => e.residentId)).toEqual([
      worrying.residentId,
    ]);
    expect(await audits('escalation.supporter_answer', alertId)).toHaveLength(2);
  });

  it('a supporter who did not find the person at home answers nothing for them, and hands them to staff', async () => {
    const mid = await municipality();
    const absent = await vulnerable(mid);
    const neighbour = await supporter(mid, absent.residentId, 1, 'n1@example.jp');
    const { alertId, askedAt } = await sentAlert(mid);
    await scanAt(askedAt, 20 * MINUTE);
    const task = (await escalation.tasksOf(alertId, absent.residentId)).find(
      (t) => t.supporterId === neighbour,
    )!;

    expect(
      await escalation.answerSupporterTask(task.id, alertId, absent.residentId, EscalationOutcome.NotHome),
    ).toMatchObject({ kind: 'recorded', followUp: true });
    const [request] = await db.dataSource.query<{ current: string | null; responses: number }[]>(
      `SELECT s.current_status AS current,
              (SELECT count(*)::int FROM safety_response r WHERE r.safety_request_id = s.id) AS responses
         FROM safety_request s WHERE s.alert_id = $1 AND s.resident_id = $2`,
      [alertId, absent.residentId],
    );
    expect(request).toEqual({ current: null, responses: 0 });
    expect((await escalation.followUpList(mid, alertId)).map((e) => e.residentId)).toEqual([
      absent.residentId,
    ]);
  });

  it('in a drill asks supporters only about people who agreed to it; in a real alert about everyone', async () => {
    const mid = await municipality();
    const agreed = await vulnerable(mid, ['alerts', 'safety', 'share_with_supporters']);
    const private_ = await vulnerable(mid, ['alerts', 'safety']);
    const agreedHelper = await supporter(mid, agreed.residentId, 1, 'ok@example.jp');
    await supporter(mid, private_.residentId, 1, 'not-told@example.jp');
    const supporterSteps = async (alertId: string, residentId: string) =>
      (await escalation.tasksOf(alertId, residentId))
        .filter((t) => t.step === 'supporter')
        .map((t) => [t.supporterId, t.state]);

    const drill = await sentAlert(mid, { drill: true });
    const mailsBefore = adapters.email.calls.length;
    await scanAt(drill.askedAt, 20 * MINUTE);
    expect(await supporterSteps(drill.alertId, agreed.residentId)).toEqual([[agreedHelper, 'open']]);
    // recorded as a rung without supporters, so T3 follows as usual
    expect(await supporterSteps(drill.alertId, private_.residentId)).toEqual([[null, 'cancelled']]);
    // the supporter mails (the T1 resend to the people themselves goes out too)
    const mailed = adapters.email.calls.slice(mailsBefore).map((c) => c.targets[0].address);
    expect(mailed.filter((a) => !a.startsWith('p-'))).toEqual(['ok@example.jp']);
    const withheld = (await audits('escalation.supporter_task', drill.alertId)).find(
      (a) => a.details.residentId === private_.residentId,
    );
    expect(withheld?.details).toMatchObject({ consented: false, withheld: true, noSupporter: true });
    await scanAt(drill.askedAt, 40 * MINUTE);
    expect((await escalation.followUpList(mid, drill.alertId)).map((e) => e.residentId).sort()).toEqual(
      [agreed.residentId, private_.residentId].sort(),
    );

    const real = await sentAlert(mid);
    await scanAt(real.askedAt, 20 * MINUTE);
    expect((await supporterSteps(real.alertId, private_.residentId)).map(([, state]) => state)).toEqual([
      'open',
    ]);
    const shared = (await audits('escalation.supporter_task', real.alertId)).find(
      (a) => a.details.residentId === private_.residentId,
    );
    expect(shared?.details).toMatchObject({ consented: false, withheld: false });
  });

  it('two scans at once (two fanout processes) run each rung once', async () => {
    const mid = await municipality();
    const person = await vulnerable(mid);
    await supporter(mid, person.residentId, 1, 'a@example.jp');
    await supporter(mid, person.residentId, 2, 'b@example.jp');
    const { alertId, askedAt } = await sentAlert(mid);
    at(askedAt, 40 * MINUTE);
    await Promise.all([sut.scan(), sut.scan(), sut.scan()]);
    await sut.scan();
    expect((await escalation.tasksOf(alertId, person.residentId)).map((t) => t.step)).toEqual([
      'resend',
      'supporter',
      'supporter',
      'staff_follow_up',
    ]);
    expect((await deliveries(db, alertId)).filter((d) => d.endpointId === person.email)).toHaveLength(1);
  });

  it('falls back to the default timings when a municipality has none', async () => {
    const mid = await seed.municipality();
    const person = await vulnerable(mid);
    const { alertId, askedAt } = await sentAlert(mid);
    await eventually(async () => (await deliveries(db, alertId)).length >= 2);
    expect(await scanAt(askedAt, 10 * MINUTE)).toMatchObject({ resent: 1 });
    expect(await scanAt(askedAt, 20 * MINUTE - 1_000)).toMatchObject({ supporterTasks: 0, followUps: 0 });
    expect(await scanAt(askedAt, 40 * MINUTE)).toMatchObject({ followUps: 1 });
    expect((await escalation.followUpList(mid, alertId)).map((e) => e.residentId)).toEqual([
      person.residentId,
    ]);
  });
});
