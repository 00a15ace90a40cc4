import { parse } from 'csv-parse/sync';
import {
  CONFIRMATION_MILESTONES,
  EscalationOutcome,
  ResponseChannel,
  Role,
  SafetyStatus,
} from '@bousai/domain';
import { EscalationRepository, SafetyRepository } from '@bousai/persistence';
import type { DrillReport } from '../../../apps/api/src/drills/drill-report';
import { LaunchDrillUseCase } from '../../../apps/api/src/drills/launch-drill.use-case';
import { startApi, type ApiHarness } from '../support/api-harness';

/** Residents seeded by number n = 1…N: 要援護者 every 20th, staff every 50th (+1), three districts by n % 3. */
const N = 5_000;
const isNeedsAssistance = (n: number) => n % 20 === 0;
const isStaff = (n: number) => n % 50 === 1;
/** Who answers: 要援護者 except every 60th, staff except every 150th (+1), others 8 in 10. */
function answers(n: number): boolean {
  if (isNeedsAssistance(n)) return n % 60 !== 0;
  if (isStaff(n)) return n % 150 !== 1;
  return ![3, 7].includes(n % 10);
}

describe('drills: launch, report, CSV (訓練)', () => {
  let sut: ApiHarness;
  let mid: string;
  let base: string;
  let q: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

  const bearer = async (role: Role) =>
    ['Authorization', `Bearer ${await sut.token(sut.tenants[0], role)}`] as const;

  beforeAll(async () => {
    sut = await startApi();
    mid = sut.tenants[0].municipalityId;
    base = `/v1/municipalities/${mid}/drills`;
    q = (sql, params) => sut.db.dataSource.query(sql, params);
    await q(`UPDATE municipality SET settings = settings || '{"singleStepKinds":["drill"]}' WHERE id = $1`, [
      mid,
    ]);
    // the town, set-based: 3 districts, 2,500 households of two, 5,000 residents, 1–2 supporters per 要援護者
    await q(
      `INSERT INTO area (municipality_id, code, name)
       SELECT $1, 'D' || i, (ARRAY['荒島','赤江','広瀬'])[i + 1] FROM generate_series(0, 2) i`,
      [mid],
    );
    await q(
      `INSERT INTO household (municipality_id, external_id, area_id, address)
       SELECT $1, 'H' || h, (SELECT id FROM area WHERE municipality_id = $1 AND code = 'D' || (h % 3)), '安来市' || h
         FROM generate_series(1, $2::int / 2) h`,
      [mid, N],
    );
    await q(
      `INSERT INTO resident (municipality_id, external_id, household_id, name, needs_assistance, staff, consent_scopes)
       SELECT $1, 'R' || lpad(n::text, 5, '0'),
              (SELECT id FROM household WHERE municipality_id = $1 AND external_id = 'H' || ((n + 1) / 2)),
              '住民' || n, n % 20 = 0, n % 50 = 1,
              -- the 要援護者 on the list agreed to have their supporters told (a drill asks supporters only then)
              CASE WHEN n % 20 = 0 THEN '{alerts,safety,share_with_supporters}'::text[] ELSE '{alerts,safety}' END
         FROM generate_series(1, $2::int) n`,
      [mid, N],
    );
    await q(
      `INSERT INTO supporter (municipality_id, resident_id, name, relation, phone, priority)
       SELECT $1, r.id, '支援者' || p || '-' || r.external_id, CASE p WHEN 1 THEN 'family' ELSE 'neighbour' END,
              '090' || p, p
         FROM resident r CROSS JOIN generate_series(1, 2) p
        WHERE r.municipality_id = $1 AND r.needs_assistance
          AND (p = 1 OR substring(r.external_id, 2)::int % 40 = 0)`,
      [mid],
    );
  });
  afterAll(() => sut.close());

  async function launch(body: object, role = Role.Admin) {
    const res = await sut.http
      .post(base)
      .set(...(await bearer(role)))
      .send(body);
    expect(res.status).toBe(201);
    return res.body as { alertId: string; alertStatus: string; scheduleState: string; asked: number };
  }

  async function report(alertId: string): Promise<DrillReport> {
    const res = await sut.http.get(`${base}/${alertId}/report`).set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as DrillReport;
  }

  /** Answers through the real repository (the one every answer endpoint uses), then spreads them in time. */
  async function answerAll(alertId: string, who: (n: number) => boolean): Promise<void> {
    const safety = sut.app.get(SafetyRepository);
    const residents = await q<{ id: string; n: number }>(
      `SELECT id, substring(external_id, 2)::int AS n FROM resident WHERE municipality_id = $1 ORDER BY 2`,
      [mid],
    );
    const todo = residents.filter((r) => who(r.n));
    for (let i = 0; i < todo.length; i += 5) {
      await Promise.all(
        todo.slice(i, i + 5).map((r) =>
          safety.record({
            municipalityId: mid,
            alertId,
            residentId: r.id,
            status: r.n % 97 === 0 ? SafetyStatus.NeedHelp : SafetyStatus.Safe,
            note: null,
            location: null,
            channel: ResponseChannel.App,
            recordedBy: null,
          }),
        ),
      );
    }
    // a test cannot wait two hours: each answer's time moves to its simulated delay after the launch, spread over
    // 90 minutes by resident number, 要援護者 half an hour slower
    await q(
      `WITH t AS (
         SELECT s.id, a.dispatched_at + make_interval(secs => (((n * 37) % 90) + CASE WHEN n % 20 = 0 THEN 30 ELSE 0 END + 0.5) * 60) AS at
           FROM safety_request s JOIN alert a ON a.id = s.alert_id
           JOIN resident r ON r.id = s.resident_id, LATERAL (SELECT substring(r.external_id, 2)::int AS n) x
          WHERE s.alert_id = $1 AND s.current_status IS NOT NULL
       ),
       req AS (UPDATE safety_request s SET answered_at = t.at FROM t WHERE s.id = t.id RETURNING s.id)
       UPDATE safety_response x SET responded_at = t.at FROM t WHERE x.safety_request_id = t.id`,
      [alertId],
    );
  }

  /** Independent SQL: asked and answered of a group (null: all). */
  async function counted(alertId: string, group: string | null) {
    const [row] = await q<{ asked: number; answered: number }>(
      `SELECT count(*)::int AS asked, count(*) FILTER (WHERE current_status IS NOT NULL)::int AS answered
         FROM safety_request WHERE alert_id = $1 AND ($2::text IS NULL OR target_group = $2)`,
      [alertId, group],
    );
    return row;
  }

  /** Independent SQL: minutes from dispatch to the k-th first answer of a group, k = ceil(share × asked). */
  async function minutesTo(alertId: string, group: string | null, share: number): Promise<number | null> {
    const { asked } = await counted(alertId, group);
    const k = Math.ceil(share * asked);
    const rows = await q<{ minutes: string }>(
      `SELECT round((extract(epoch FROM f.first_at - a.dispatched_at) / 60)::numeric, 2) AS minutes
         FROM (SELECT s.alert_id, min(x.responded_at) AS first_at
                 FROM safety_request s JOIN safety_response x ON x.safety_request_id = s.id
                WHERE s.alert_id = $1 AND ($2::text IS NULL OR s.target_group = $2)
                GROUP BY s.id, s.alert_id) f
         JOIN alert a ON a.id = f.alert_id
        ORDER BY f.first_at OFFSET $3 LIMIT 1`,
      [alertId, group, k - 1],
    );
    return rows.length ? Number(rows[0].minutes) : null;
  }

  let earlierId: string;
  let drillId: string;

  it('launches a drill now: a 【訓練】 alert on its way that asked everyone chosen', async () => {
    // an earlier drill of staff only, for the comparison
    const earlier = await launch({ title: '職員参集訓練', targeting: { groups: ['staff'] } });
    earlierId = earlier.alertId;
    expect(earlier).toMatchObject({ alertStatus: 'dispatching', scheduleState: 'launched', asked: N / 50 });
    await answerAll(earlierId, (n) => isStaff(n) && n % 3 !== 0);

    const drill = await launch({ title: '総合防災訓練', targeting: { all: true } });
    drillId = drill.alertId;
    expect(drill).toMatchObject({ alertStatus: 'dispatching', scheduleState: 'launched', asked: N });
    const [alert] = await q<{ isDrill: boolean; title: string; safetyRequest: boolean }>(
      `SELECT is_drill AS "isDrill", texts->'ja'->>'title' AS title, safety_request AS "safetyRequest"
         FROM alert WHERE id = $1`,
      [drillId],
    );
    expect(alert).toEqual({ isDrill: true, title: '【訓練】総合防災訓練', safetyRequest: true });
    const audited = await q<{ targetIds: string[] }>(
      `SELECT target_ids AS "targetIds" FROM audit_log WHERE action = 'drill.launch' ORDER BY id`,
    );
    expect(audited.map((a) => a.targetIds)).toEqual([[earlierId], [drillId]]);
  });

  it('reports per group, district and over time exactly what independent SQL counts', async () => {
    await answerAll(drillId, answers);
    // the ladder ran for the silent 要援護者: supporters were asked, one of them found the person safe
    const escalation = sut.app.get(EscalationRepository);
    const tasks = await escalation.supporterTasks({
      alertId: drillId,
      now: new Date(),
      cutoff: new Date(),
      afterMinutes: 20,
    });
    expect(tasks.length).toBeGreaterThan(0);
    await escalation.answerSupporterTask(
      tasks[0].taskId,
      drillId,
      tasks[0].residentId,
      EscalationOutcome.Safe,
    );

    const sut_ = await report(drillId);
    expect(sut_.drill).toMatchObject({ alertId: drillId, title: '【訓練】総合防災訓練' });

    for (const g of sut_.groups) {
      const expected = await counted(drillId, g.group === 'all' ? null : g.group);
      expect({ group: g.group, asked: g.asked, answered: g.answered }).toEqual({
        group: g.group,
        ...expected,
      });
      expect(g.rate).toBeCloseTo(expected.answered / expected.asked, 10);
      for (const point of g.curve) {
        expect({ group: g.group, share: point.share, minutes: point.minutes }).toEqual({
          group: g.group,
          share: point.share,
          minutes: await minutesTo(drillId, g.group === 'all' ? null : g.group, point.share),
        });
      }
    }
    const byGroup = Object.fromEntries(sut_.groups.map((g) => [g.group, g]));
    // the seeded plan, by arithmetic: 250 要援護者 (83 silent: n % 60 = 0, one of them found safe by a supporter),
    // 100 staff (34 silent), the rest 80 %
    expect(byGroup.needs_assistance).toMatchObject({ asked: 250, answered: 167 + 1, target: 1, met: false });
    expect(byGroup.staff).toMatchObject({ asked: 100, answered: 66, target: 1, met: false });
    expect(byGroup.all.asked).toBe(N);
    expect(byGroup.all.curve.map((c) => c.share)).toEqual([...CONFIRMATION_MILESTONES]);
    expect(byGroup.all.curve.at(-1)?.minutes).toBeNull(); // 100 % never reached
    expect(byGroup.all.curve[0].minutes).not.toBeNull();
    expect(byGroup.needs_assistance.statuses.need_help).toBe(
      (
        await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM safety_request WHERE alert_id = $1 AND target_group = 'needs_assistance'
            AND current_status = 'need_help'`,
          [drillId],
        )
      )[0].n,
    );

    const districts = await q<{ code: string; group: string; asked: number; answered: number }>(
      `SELECT ar.code, s.target_group AS group, count(*)::int AS asked, count(s.current_status)::int AS answered
         FROM safety_request s JOIN resident r ON r.id = s.resident_id JOIN household h ON h.id = r.household_id
         JOIN area ar ON ar.id = h.area_id WHERE s.alert_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [drillId],
    );
    expect(
      sut_.districts.flatMap((d) =>
        d.groups.map((g) => ({ code: d.areaCode, group: g.group, asked: g.asked, answered: g.answered })),
      ),
    ).toEqual(districts);
    expect(sut_.districts.map((d) => d.asked).reduce((a, b) => a + b, 0)).toBe(N);

    const [{ silent }] = await q<{ silent: number }>(
      `SELECT count(*)::int AS silent FROM safety_request WHERE alert_id = $1 AND current_status IS NULL`,
      [drillId],
    );
    expect(sut_.nonResponders).toHaveLength(silent);
    const firstOthers = sut_.nonResponders.findIndex((r) => r.group !== 'needs_assistance');
    expect(firstOthers).toBe(83 - 1); // 要援護者 first
    // the one a supporter found safe is confirmed (an answer taken on a visit), not a non-responder
    expect(sut_.nonResponders.find((r) => r.residentId === tasks[0].residentId)).toBeUndefined();
    expect(
      await q<{ status: string; channel: string }>(
        `SELECT r.status, r.channel FROM safety_response r JOIN safety_request s ON s.id = r.safety_request_id
          WHERE s.alert_id = $1 AND s.resident_id = $2`,
        [drillId, tasks[0].residentId],
      ),
    ).toEqual([{ status: 'safe', channel: 'visit' }]);
    const withTwo = sut_.nonResponders.find((r) => r.externalId === 'R00120');
    expect(withTwo?.supporters).toEqual([
      { name: '支援者1-R00120', relation: 'family', priority: 1, phone: '0901' },
      { name: '支援者2-R00120', relation: 'neighbour', priority: 2, phone: '0902' },
    ]);
    expect(withTwo?.escalationOutcome).toBe('supporters_asked');

    // the earlier staff drill, compared
    expect(sut_.comparison.map((c) => c.alertId)).toEqual([earlierId]);
    const earlierStaff = sut_.comparison[0].groups.find((g) => g.group === 'staff');
    expect(earlierStaff).toMatchObject(await counted(earlierId, 'staff'));
  });

  it('exports the same numbers as CSV for Excel: BOM, CRLF, Japanese and English headers', async () => {
    const res = await sut.http
      .get(`${base}/${drillId}/report?format=csv`)
      .set(...(await bearer(Role.Viewer)))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const rows: string[][] = parse(text.slice(1), { relaxColumnCount: true, skipEmptyLines: true });
    const json = await report(drillId);
    const header = rows.findIndex((r) => r[0] === '区分 / group');
    expect(rows[header]).toContain('回答率(%) / rate (%)');
    const groupRows = rows.slice(header + 1, header + 5);
    expect(groupRows.map((r) => [r[1], r[2], r[3]].map(Number))).toEqual(
      json.groups.map((g) => [g.asked, g.answered, Number(((g.rate ?? 0) * 100).toFixed(1))]),
    );
    expect(groupRows.map((r) => r.slice(6, 11).map((m) => (m === '' ? null : Number(m))))).toEqual(
      json.groups.map((g) => g.curve.map((c) => c.minutes)),
    );
    expect(groupRows[1][0]).toBe('要援護者 / needs assistance');
    const silentHeader = rows.findIndex((r) => r[0] === '未回答者 区分 / non-responder group');
    const silentRows = rows.slice(silentHeader + 1).filter((r) => r[0] !== '過去の訓練 / earlier drill');
    // resident numbers are codes: written as ="…" so Excel keeps them text
    expect(silentRows.slice(0, json.nonResponders.length).map((r) => r[1])).toEqual(
      json.nonResponders.map((r) => `="${r.externalId}"`),
    );
  });

  it('schedules a drill, launches it on time, and cancels one that has not gone out', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await launch({
      title: '夜間訓練',
      targeting: { groups: ['staff'] },
      scheduledAt: later,
    });
    expect(scheduled).toMatchObject({ alertStatus: 'approved', scheduleState: 'scheduled', asked: 0 });
    const list = await sut.http.get(base).set(...(await bearer(Role.Viewer)));
    expect(list.body.map((d: { alertId: string }) => d.alertId)).toEqual(
      expect.arrayContaining([scheduled.alertId, drillId, earlierId]),
    );

    // its time comes (moved, not waited for): the scheduler's next pass sends it and asks the staff
    await q(`UPDATE drill_schedule SET scheduled_at = now() - interval '1 second' WHERE alert_id = $1`, [
      scheduled.alertId,
    ]);
    await sut.app.get(LaunchDrillUseCase).launchDue(new Date());
    const launched = await sut.http.get(`${base}/${scheduled.alertId}`).set(...(await bearer(Role.Viewer)));
    expect(launched.body).toMatchObject({
      alertStatus: 'dispatching',
      scheduleState: 'launched',
      asked: N / 50,
    });

    // an operator's drill waits for a second person's approval, then goes out
    const pending = await launch({ title: '訓練', targeting: { groups: ['staff'] } }, Role.Operator);
    expect(pending).toMatchObject({ alertStatus: 'pending_approval', scheduleState: 'scheduled', asked: 0 });
    const approve = await sut.http
      .post(`/v1/municipalities/${mid}/alerts/${pending.alertId}/approve`)
      .set(...(await bearer(Role.Approver)));
    expect(approve.status).toBe(200);
    await sut.app.get(LaunchDrillUseCase).launchDue(new Date());
    const approved = await sut.http.get(`${base}/${pending.alertId}`).set(...(await bearer(Role.Viewer)));
    expect(approved.body).toMatchObject({ alertStatus: 'dispatching', scheduleState: 'launched' });

    const toCancel = await launch({ title: '中止する訓練', scheduledAt: later });
    const cancel = await sut.http
      .post(`${base}/${toCancel.alertId}/cancel`)
      .set(...(await bearer(Role.Operator)));
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ alertStatus: 'cancelled', scheduleState: 'cancelled' });
    const again = await sut.http.post(`${base}/${drillId}/cancel`).set(...(await bearer(Role.Operator)));
    expect(again.status).toBe(409);
  });

  it('lets viewers read reports but only operators launch drills', async () => {
    const res = await sut.http
      .post(base)
      .set(...(await bearer(Role.Viewer)))
      .send({});
    expect(res.status).toBe(403);
    const other = await sut.http
      .get(`/v1/municipalities/${sut.tenants[1].municipalityId}/drills/${drillId}/report`)
      .set('Authorization', `Bearer ${await sut.token(sut.tenants[1], Role.Viewer)}`);
    expect(other.status).toBe(404);
  });
});
