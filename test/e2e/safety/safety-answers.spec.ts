import { createHash } from 'node:crypto';
import {
  Role,
  OneTapPurpose,
  ResponseChannel,
  SafetyStatus,
  signOneTapToken,
  supporterCheckAnswer,
  EscalationOutcome,
} from '@bousai/domain';
import { SafetyAnswerWriter } from '../../../apps/api/src/safety/safety-answer.writer';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

const SECRET = 'e2e-one-tap-secret-0123456789-abcdefghij';
const HOUR = 3_600_000;

describe('safety confirmation (安否確認)', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;

  beforeAll(async () => {
    sut = await startApi({ ONE_TAP_SECRET: SECRET });
    yasugi = sut.tenants[0];
    base = `/v1/municipalities/${yasugi.municipalityId}`;
  });
  afterAll(() => sut.close());

  const bearer = async (role: Role, tenant = yasugi) =>
    ['Authorization', `Bearer ${await sut.token(tenant, role)}`] as const;

  /** A resident of the tenant enrolled on a device; resolves to their id and resident credential. */
  async function enrolled(
    externalId: string,
    tenant = yasugi,
    flags: { needsAssistance?: boolean; householdId?: string } = {},
  ): Promise<{ residentId: string; credential: string }> {
    const op = await bearer(Role.Operator, tenant);
    const mbase = `/v1/municipalities/${tenant.municipalityId}`;
    const r = await sut.http
      .post(`${mbase}/residents`)
      .set(...op)
      .send({ externalId, name: '安否 テスト', ...flags });
    expect(r.status).toBe(201);
    const code = await sut.http
      .post(`${mbase}/residents/${r.body.id}/enrolment-codes`)
      .set(...op)
      .send();
    const enrol = await sut.http.post('/v1/resident/enrol').send({ code: code.body.code });
    expect(enrol.status).toBe(201);
    return { residentId: r.body.id as string, credential: enrol.body.credential as string };
  }

  /** A sent alert of the tenant (the dispatch itself is the fan-out's business, tested there). */
  async function sentAlert(tenant = yasugi): Promise<string> {
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, sent_at)
       VALUES ($1, 'operator', '{"ja":{"title":"避難指示","body":"避難してください"}}', 'extreme', '{"all":true}',
               '{fcm}', 'sent', now()) RETURNING id`,
      [tenant.municipalityId],
    );
    return row.id;
  }

  async function ask(alertId: string, body: object = { groups: ['everyone'] }): Promise<number> {
    const res = await sut.http
      .post(`${base}/alerts/${alertId}/safety-requests`)
      .set(...(await bearer(Role.Operator)))
      .send(body);
    expect(res.status).toBe(201);
    return res.body.asked as number;
  }

  async function view(alertId: string, residentId: string) {
    const res = await sut.http
      .get(`${base}/alerts/${alertId}/safety-requests/${residentId}`)
      .set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as {
      currentStatus: string | null;
      history: { status: string; channel: string; note: string | null; recordedBy: string | null }[];
    };
  }

  const link = (
    claims: { residentId: string; alertId: string; answer: string },
    o: { purpose?: OneTapPurpose; expiresAt?: number; secret?: string } = {},
  ) =>
    signOneTapToken(
      {
        purpose: o.purpose ?? OneTapPurpose.SafetyAnswer,
        ...claims,
        expiresAt: o.expiresAt ?? Date.now() + HOUR,
      },
      o.secret ?? SECRET,
    );

  async function audits(
    action: string,
  ): Promise<{ actorType: string; actorId: string | null; details: Record<string, unknown> }[]> {
    return sut.db.dataSource.query(
      `SELECT actor_type AS "actorType", actor_id AS "actorId", details FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );
  }

  it('asks the chosen groups: everyone, 要援護者 only, staff only; repeating adds nobody twice', async () => {
    await enrolled('ASK-1');
    await enrolled('ASK-2', yasugi, { needsAssistance: true });
    const alertId = await sentAlert();
    expect(await ask(alertId, { groups: ['needs_assistance'] })).toBeGreaterThanOrEqual(1);
    const groups = await sut.db.dataSource.query<{ targetGroup: string }[]>(
      `SELECT DISTINCT target_group AS "targetGroup" FROM safety_request WHERE alert_id = $1`,
      [alertId],
    );
    expect(groups).toEqual([{ targetGroup: 'needs_assistance' }]);
    const everyone = await ask(alertId, { groups: ['everyone'] });
    expect(everyone).toBeGreaterThanOrEqual(1);
    expect(await ask(alertId, { groups: ['everyone'] })).toBe(0);

    // districts: only the residents of households in the named areas
    const op = await bearer(Role.Admin);
    const area = await sut.http
      .post(`${base}/areas`)
      .set(...op)
      .send({ code: 'SA-1', name: '島田' });
    expect(area.status).toBe(201);
    const hh = await sut.http
      .post(`${base}/households`)
      .set(...op)
      .send({ externalId: 'SA-H1', areaId: area.body.id, address: '安来市島田町1' });
    const local = await sut.http
      .post(`${base}/residents`)
      .set(...op)
      .send({ externalId: 'SA-R1', name: '地区 住民', householdId: hh.body.id });
    const districtAlert = await sentAlert();
    expect(await ask(districtAlert, { areaIds: [area.body.id] })).toBe(1);
    const inDistrict = await sut.db.dataSource.query<{ residentId: string }[]>(
      `SELECT resident_id AS "residentId" FROM safety_request WHERE alert_id = $1`,
      [districtAlert],
    );
    expect(inDistrict).toEqual([{ residentId: local.body.id }]);

    const bad = await sut.http
      .post(`${base}/alerts/${alertId}/safety-requests`)
      .set(...(await bearer(Role.Operator)))
      .send({ groups: ['pets'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const viewer = await sut.http
      .post(`${base}/alerts/${alertId}/safety-requests`)
      .set(...(await bearer(Role.Viewer)))
      .send({});
    expect(viewer.status).toBe(403);
    expect(await audits('safety.request')).not.toHaveLength(0);
  });

  it('a resident answers with their credential; every answer is kept and the latest is current', async () => {
    const me = await enrolled('ANS-1');
    const alertId = await sentAlert();
    await ask(alertId);
    const answer = (body: object, credential = me.credential, id = alertId) =>
      sut.http.post(`/v1/resident/safety/${id}`).set('Authorization', `Bearer ${credential}`).send(body);

    expect((await answer({ answer: 'safe' })).status).toBe(201);
    const second = await answer({
      answer: 'need_help',
      note: '足をけがして動けない',
      location: { lat: 35.43, lng: 133.25 },
      via: 'pwa',
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ alertId, residentId: me.residentId, currentStatus: 'need_help' });

    const v = await view(alertId, me.residentId);
    expect(v.currentStatus).toBe('need_help');
    expect(v.history.map((h) => [h.status, h.channel])).toEqual([
      ['safe', 'app'],
      ['need_help', 'pwa'],
    ]);
    expect(v.history[1]).toMatchObject({
      note: '足をけがして動けない',
      location: { lat: 35.43, lng: 133.25 },
    });

    // coded errors for bad input
    for (const body of [{ answer: 'fine' }, { answer: 'safe', location: { lat: 200, lng: 0 } }, {}]) {
      const res = await answer(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    // an alert they were not asked about
    const notAsked = await answer({ answer: 'safe' }, me.credential, await sentAlert());
    expect(notAsked.status).toBe(404);
    expect(notAsked.body.error.code).toBe('NOT_FOUND');
    // a resident of another municipality cannot answer this one
    const stranger = await enrolled('ANS-X', sut.tenants[1]);
    expect((await answer({ answer: 'safe' }, stranger.credential)).status).toBe(404);
    // no credential
    expect((await sut.http.post(`/v1/resident/safety/${alertId}`).send({ answer: 'safe' })).status).toBe(401);

    const audited = (await audits('safety.answer')).filter((a) => a.details.alertId === alertId);
    expect(audited.map((a) => [a.actorType, a.actorId, a.details.status])).toEqual([
      ['resident', me.residentId, 'safe'],
      ['resident', me.residentId, 'need_help'],
    ]);
  });

  it('a correction keeps the answers given on what it corrects; a later answer on an older alert counts for the newest', async () => {
    const admin = await bearer(Role.Admin);
    const area = await sut.http
      .post(`${base}/areas`)
      .set(...admin)
      .send({ code: 'COR', name: '荒島' });
    const hh = await sut.http
      .post(`${base}/households`)
      .set(...admin)
      .send({ externalId: 'COR-H1', areaId: area.body.id, address: '安来市荒島町2' });
    const householdId = hh.body.id as string;
    const hanako = await enrolled('COR-1', yasugi, { householdId });
    const taro = await enrolled('COR-2', yasugi, { householdId, needsAssistance: true });
    const here = { areaIds: [area.body.id as string] };
    /** A drill alert that went out; as a correction, it supersedes what it corrects (as sending one does). */
    const drill = async (corrects: string | null = null) => {
      const [row] = await sut.db.dataSource.query<{ id: string }[]>(
        `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, is_drill,
                            supersedes_alert_id, dispatched_at, sent_at)
         VALUES ($1, 'operator', '{"ja":{"title":"【訓練】避難指示","body":"【訓練】避難"}}', 'extreme',
                 '{"all":true}', '{fcm}', 'sent', true, $2, now(), now()) RETURNING id`,
        [yasugi.municipalityId, corrects],
      );
      if (corrects) {
        await sut.db.dataSource.query(`UPDATE alert SET status = 'superseded' WHERE id = $1`, [corrects]);
      }
      return row.id;
    };
    const answerInApp = (alertId: string, answer: string) =>
      sut.http
        .post(`/v1/resident/safety/${alertId}`)
        .set('Authorization', `Bearer ${hanako.credential}`)
        .send({ answer });

    const first = await drill();
    expect(await ask(first, here)).toBe(2);
    expect((await answerInApp(first, 'safe')).status).toBe(201);

    // the correction asks only Taro: Hanako's answer is its own already, with its history
    const fix = await drill(first);
    expect(await ask(fix, here)).toBe(1);
    expect(await view(fix, hanako.residentId)).toMatchObject({
      currentStatus: 'safe',
      history: [expect.objectContaining({ status: 'safe', channel: 'app' })],
    });
    expect((await view(fix, taro.residentId)).currentStatus).toBeNull();

    // Taro taps the link of the first mail: it counts for the correction
    const token = link({ residentId: taro.residentId, alertId: first, answer: 'need_help' });
    const tapped = await sut.http.post('/v1/safety/answer').type('form').send({ token, answer: 'need_help' });
    expect(tapped.status).toBe(200);
    expect((await view(fix, taro.residentId)).currentStatus).toBe('need_help');
    expect((await view(first, taro.residentId)).currentStatus).toBeNull();

    // a correction of the correction: both answers carried, nobody asked again
    const fix2 = await drill(fix);
    expect(await ask(fix2, here)).toBe(0);
    // Hanako's app still shows the first alert: her new answer is the newest correction's
    const again = await answerInApp(first, 'injured');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ alertId: fix2, currentStatus: 'injured' });
    expect((await view(fix2, hanako.residentId)).history.map((h) => h.status)).toEqual(['safe', 'injured']);
    expect((await view(fix2, taro.residentId)).currentStatus).toBe('need_help');

    // the reports of the newest correction show everyone answered
    const viewer = await bearer(Role.Viewer);
    const live = await sut.http.get(`${base}/alerts/${fix2}/live`).set(...viewer);
    expect(live.body.safety).toMatchObject({
      everyone: { asked: 1, answered: 1, byAnswer: { injured: 1 } },
      needs_assistance: { asked: 1, answered: 1, byAnswer: { need_help: 1 } },
    });
    const report = await sut.http.get(`${base}/drills/${fix2}/report`).set(...viewer);
    expect(report.status).toBe(200);
    expect(report.body.groups).toEqual(
      expect.arrayContaining([expect.objectContaining({ group: 'all', asked: 2, answered: 2 })]),
    );
    expect(report.body.nonResponders).toEqual([]);
    const followUp = await sut.http
      .get(`${base}/alerts/${fix2}/follow-up`)
      .set(...(await bearer(Role.Operator)));
    expect(followUp.status).toBe(200);
    expect(followUp.body).toEqual([]);
  });

  it('one-tap link: GET shows a confirm page and records nothing; its POST records', async () => {
    const me = await enrolled('TAP-1');
    const alertId = await sentAlert();
    await ask(alertId);
    const token = link({ residentId: me.residentId, alertId, answer: 'safe' });

    const page = await sut.http.get('/v1/safety/answer').query({ token });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).toContain('<form method="post" action="/v1/safety/answer">');
    expect(page.text).toContain(`value="${token}"`);
    // a mail scanner prefetching the link answered nothing
    expect((await view(alertId, me.residentId)).currentStatus).toBeNull();

    const done = await sut.http.post('/v1/safety/answer').type('form').send({ token, answer: 'safe' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('受け付けました');
    const v = await view(alertId, me.residentId);
    expect(v.currentStatus).toBe('safe');
    expect(v.history).toEqual([
      expect.objectContaining({ status: 'safe', channel: 'link', recordedBy: null }),
    ]);
    expect(
      (await audits('safety.answer')).filter(
        (a) => a.details.alertId === alertId && a.details.channel === 'link',
      ),
    ).toHaveLength(1);
  });

  it('refuses forged, expired, altered, other-answer and other-purpose tokens, on GET and POST', async () => {
    const me = await enrolled('TAP-2');
    const alertId = await sentAlert();
    await ask(alertId);
    const claims = { residentId: me.residentId, alertId, answer: 'safe' };
    const good = link(claims);
    const [payload, mac] = good.split('.');
    const altered = `${Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace('\nsafe\n', '\ninjured\n'),
    ).toString('base64url')}.${mac}`;

    const cases: [string, string, number, string][] = [
      ['forged', link(claims, { secret: 'another-secret-0123456789-0123456789-xyz' }), 401, 'TOKEN_INVALID'],
      ['expired', link(claims, { expiresAt: Date.now() - 1 }), 401, 'TOKEN_EXPIRED'],
      ['altered', altered, 401, 'TOKEN_INVALID'],
      ['other purpose', link(claims, { purpose: OneTapPurpose.ConfirmEmail }), 401, 'TOKEN_INVALID'],
      ['garbage', 'not-a-token', 401, 'TOKEN_INVALID'],
    ];
    // an API client that asks for JSON gets the error body; a browser gets a page (tested below)
    for (const [name, token, status, code] of cases) {
      const get = await sut.http.get('/v1/safety/answer').accept('json').query({ token });
      expect({ name, status: get.status, code: get.body.error?.code }).toEqual({ name, status, code });
      const post = await sut.http.post('/v1/safety/answer').accept('json').type('form').send({ token });
      expect({ name, status: post.status, code: post.body.error?.code }).toEqual({ name, status, code });
    }
    // a good token replayed for another answer
    const replay = await sut.http
      .post('/v1/safety/answer')
      .accept('json')
      .type('form')
      .send({ token: good, answer: 'injured' });
    expect(replay.status).toBe(403);
    expect(replay.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'answer_mismatch' } });
    // a supporter's check link is not a safety answer either
    const supporterToken = link(
      { residentId: me.residentId, alertId, answer: supporterCheckAnswer(alertId, EscalationOutcome.Safe) },
      { purpose: OneTapPurpose.SupporterCheck },
    );
    expect((await sut.http.post('/v1/safety/answer').send({ token: supporterToken })).status).toBe(401);

    expect((await view(alertId, me.residentId)).history).toEqual([]);
  });

  it("one-tap pages speak the resident's language, fit a strict CSP, and answer errors with a readable page", async () => {
    const alertId = await sentAlert();
    const residents: Record<string, string> = {};
    for (const language of ['ja', 'ja-easy', 'en', 'vi']) {
      const { residentId } = await enrolled(`LANG-${language}`);
      await sut.db.dataSource.query(`UPDATE resident SET language = $2 WHERE id = $1`, [
        residentId,
        language,
      ]);
      residents[language] = residentId;
    }
    await ask(alertId);
    const open = (language: string, acceptLanguage = 'ja') =>
      sut.http
        .get('/v1/safety/answer')
        .set('Accept-Language', acceptLanguage)
        .query({ token: link({ residentId: residents[language], alertId, answer: 'safe' }) });

    // the stored language wins over the browser's; a language without a page gets English
    const expected: [string, string, string][] = [
      ['ja', 'ja', '「無事です」と回答する'],
      ['ja-easy', 'ja', '「ぶじです」と こたえる'],
      ['en', 'en', 'Answer &quot;I am safe&quot;'],
      ['vi', 'en', 'Answer &quot;I am safe&quot;'],
    ];
    for (const [language, htmlLang, button] of expected) {
      const page = await open(language, language === 'ja' ? 'en' : 'ja');
      expect({ language, status: page.status }).toEqual({ language, status: 200 });
      expect(page.text).toContain(`<html lang="${htmlLang}">`);
      expect(page.text).toContain(button);
    }

    // no script, no inline style attribute; the one stylesheet is allowed by its hash, nothing else is
    const page = await open('en');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(page.text).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    const style = /<style>([^<]*)<\/style>/.exec(page.text)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);

    // errors: a browser gets a page in its language with the JSON answer's status
    const expired = link(
      { residentId: residents.en, alertId, answer: 'safe' },
      { expiresAt: Date.now() - 1 },
    );
    const errorCases: [
      string,
      () => Promise<{ status: number; text: string; headers: Record<string, string> }>,
      number,
      string,
    ][] = [
      [
        'expired, ja',
        () => sut.http.get('/v1/safety/answer').query({ token: expired }),
        401,
        '有効期限が切れています',
      ],
      [
        'expired, en',
        () =>
          sut.http
            .get('/v1/safety/answer')
            .set('Accept-Language', 'en-US,en;q=0.9')
            .query({ token: expired }),
        401,
        'This link has expired',
      ],
      [
        'invalid, ja-easy',
        () =>
          sut.http
            .post('/v1/safety/answer')
            .set('Accept-Language', 'ja-easy')
            .type('form')
            .send({ token: 'x.y' }),
        401,
        'リンクが ただしく ありません',
      ],
      [
        'no token',
        () => sut.http.get('/v1/safety/answer').set('Accept-Language', 'en'),
        400,
        'This link is not valid',
      ],
      [
        'not asked',
        async () => {
          const { residentId } = await enrolled('LANG-late');
          return sut.http
            .post('/v1/safety/answer')
            .set('Accept-Language', 'en')
            .type('form')
            .send({ token: link({ residentId, alertId, answer: 'safe' }) });
        },
        404,
        'This check has ended or cannot be found',
      ],
      [
        'supporter link, expired',
        () =>
          sut.http
            .get('/v1/safety/supporter-check')
            .set('Accept-Language', 'en')
            .query({
              token: link(
                {
                  residentId: residents.ja,
                  alertId,
                  answer: supporterCheckAnswer(alertId, EscalationOutcome.Safe),
                },
                { purpose: OneTapPurpose.SupporterCheck, expiresAt: Date.now() - 1 },
              ),
            }),
        401,
        'This link has expired',
      ],
    ];
    for (const [name, request, status, text] of errorCases) {
      const res = await request();
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(res.headers['content-security-policy']).toBe(csp);
      expect(res.text).toContain(text);
      expect(res.text).not.toContain('"error"');
    }
    // the same failure for an API client that asks for JSON
    const json = await sut.http.get('/v1/safety/answer').accept('application/json').query({ token: expired });
    expect(json.status).toBe(401);
    expect(json.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('operators record answers taken by phone or visit, with who recorded them', async () => {
    const person = await enrolled('OP-1');
    const alertId = await sentAlert();
    await ask(alertId);
    const record = async (body: object, role = Role.Operator) =>
      sut.http
        .post(`${base}/alerts/${alertId}/safety-responses`)
        .set(...(await bearer(role)))
        .send(body);

    const res = await record({
      residentId: person.residentId,
      answer: 'injured',
      channel: 'phone',
      note: '家族から電話',
    });
    expect(res.status).toBe(201);
    expect((await record({ residentId: person.residentId, answer: 'safe', channel: 'visit' })).status).toBe(
      201,
    );
    const v = await view(alertId, person.residentId);
    expect(v.currentStatus).toBe('safe');
    expect(v.history.map((h) => [h.status, h.channel, h.recordedBy])).toEqual([
      ['injured', 'phone', yasugi.operators.operator.id],
      ['safe', 'visit', yasugi.operators.operator.id],
    ]);

    expect((await record({ residentId: person.residentId, answer: 'safe', channel: 'app' })).status).toBe(
      400,
    );
    expect(
      (await record({ residentId: person.residentId, answer: 'safe', channel: 'phone' }, Role.Viewer)).status,
    ).toBe(403);
    // another municipality's operator cannot record into this alert
    const matsue = await sut.http
      .post(`/v1/municipalities/${sut.tenants[1].municipalityId}/alerts/${alertId}/safety-responses`)
      .set(...(await bearer(Role.Operator, sut.tenants[1])))
      .send({ residentId: person.residentId, answer: 'safe', channel: 'phone' });
    expect(matsue.status).toBe(404);

    const audited = (await audits('safety.record')).filter((a) => a.details.alertId === alertId);
    expect(audited.map((a) => [a.actorType, a.actorId, a.details.channel])).toEqual([
      ['operator', yasugi.operators.operator.id, 'phone'],
      ['operator', yasugi.operators.operator.id, 'visit'],
    ]);

    const summary = await sut.http
      .get(`${base}/alerts/${alertId}/safety-requests`)
      .set(...(await bearer(Role.Viewer)));
    expect(summary.body).toEqual(
      expect.arrayContaining([{ targetGroup: 'everyone', status: 'safe', count: 1 }]),
    );
  });

  it('admins set the escalation timings per municipality; invalid ones are refused', async () => {
    const patch = async (settings: object) =>
      sut.http
        .patch(base)
        .set(...(await bearer(Role.Admin)))
        .send({ settings });
    const ok = await patch({ escalation: { t1Minutes: 5, t2Minutes: 15, t3Minutes: 30 } });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.escalation).toEqual({ t1Minutes: 5, t2Minutes: 15, t3Minutes: 30 });
    const bad = await patch({ escalation: { t1Minutes: 30, t2Minutes: 15, t3Minutes: 40 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it("a supporter's one-tap check closes the ladder; needs_help puts the person on the follow-up list", async () => {
    const person = await enrolled('SUP-1', yasugi, { needsAssistance: true });
    const alertId = await sentAlert();
    await ask(alertId, { groups: ['needs_assistance'] });
    const [sp] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO supporter (municipality_id, resident_id, name, relation, email, priority)
       VALUES ($1, $2, '近所の人', 'neighbour', 'n@example.jp', 1) RETURNING id`,
      [yasugi.municipalityId, person.residentId],
    );
    const [task] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO escalation_task (alert_id, resident_id, supporter_id, step, state, due_at)
       VALUES ($1, $2, $3, 'supporter', 'open', now()) RETURNING id`,
      [alertId, person.residentId, sp.id],
    );
    const check = (outcome: EscalationOutcome, taskId = task.id) =>
      link(
        { residentId: person.residentId, alertId, answer: supporterCheckAnswer(taskId, outcome) },
        { purpose: OneTapPurpose.SupporterCheck },
      );
    const followUp = async () =>
      (await sut.http.get(`${base}/alerts/${alertId}/follow-up`).set(...(await bearer(Role.Operator))))
        .body as { residentId: string; supporterOutcomes: { outcome: string | null }[] }[];

    const page = await sut.http
      .get('/v1/safety/supporter-check')
      .query({ token: check(EscalationOutcome.NeedsHelp) });
    expect(page.status).toBe(200);
    expect(page.text).toContain('支援が必要');
    expect(await followUp()).toEqual([]);

    // a safety-answer token is refused here (other purpose); so is one replayed for another outcome
    const wrongPurpose = link({ residentId: person.residentId, alertId, answer: 'safe' });
    expect((await sut.http.post('/v1/safety/supporter-check').send({ token: wrongPurpose })).status).toBe(
      401,
    );
    const replay = await sut.http
      .post('/v1/safety/supporter-check')
      .type('form')
      .send({ token: check(EscalationOutcome.NeedsHelp), outcome: 'safe' });
    expect(replay.status).toBe(403);

    const done = await sut.http
      .post('/v1/safety/supporter-check')
      .type('form')
      .send({ token: check(EscalationOutcome.NeedsHelp), outcome: 'needs_help' });
    expect(done.status).toBe(200);
    expect(await followUp()).toEqual([
      expect.objectContaining({
        residentId: person.residentId,
        supporterOutcomes: [expect.objectContaining({ outcome: 'needs_help' })],
      }),
    ]);
    // the same task cannot be answered twice
    const again = await sut.http
      .post('/v1/safety/supporter-check')
      .send({ token: check(EscalationOutcome.Safe) });
    expect(again.status).toBe(200);
    expect(again.text).toContain('すでに報告済み');
    expect(await audits('escalation.supporter_answer')).toHaveLength(1);
    expect(await audits('escalation.supporter_check')).toHaveLength(2);

    // the person answers: the follow-up is closed too
    await sut.http
      .post(`/v1/resident/safety/${alertId}`)
      .set('Authorization', `Bearer ${person.credential}`)
      .send({ answer: 'safe' });
    expect(await followUp()).toEqual([]);
  });

  describe('answers from apps at device rate (served before express, recorded together)', () => {
    const answer = (alertId: string, credential: string | undefined, text: string) => {
      const req = sut.http.post(`/v1/resident/safety/${alertId}`).set('Content-Type', 'application/json');
      return (credential ? req.set('Authorization', `Bearer ${credential}`) : req).send(text);
    };

    it('answers alike whether a request is served before express or by the Nest route', async () => {
      // the usual request is served before express (DeviceFastPath); the same JSON after a space goes through
      // express and the Nest route (docs/performance.md, "Safety answers")
      const me = await enrolled('FAST-1');
      const stranger = await enrolled('FAST-X', sut.tenants[1]);
      const alertId = await sentAlert();
      await ask(alertId);
      const notAsked = await sentAlert();
      const cases: [string, object, string?][] = [
        [alertId, { answer: 'safe' }, me.credential],
        [
          alertId,
          { answer: 'need_help', note: '動けない', location: { lat: 35.4, lng: 133.2 }, via: 'pwa' },
          me.credential,
        ],
        [alertId, { answer: 'fine' }, me.credential],
        [alertId, { answer: 'safe', location: { lat: 91, lng: 0 } }, me.credential],
        [notAsked, { answer: 'safe' }, me.credential],
        [alertId, { answer: 'safe' }, stranger.credential],
        [alertId, { answer: 'safe' }, 'rc_not_a_credential'],
        [alertId, { answer: 'safe' }],
        ['not-a-uuid', { answer: 'safe' }, me.credential],
        // hex, but no UUID version: the pipe refuses it
        ['12345678-1234-0234-8234-123456789012', { answer: 'safe' }, me.credential],
        ['00000000-0000-0000-0000-000000000000', { answer: 'safe' }, me.credential],
      ];
      const statuses = [];
      for (const [id, body, credential] of cases) {
        const fast = await answer(id, credential, JSON.stringify(body));
        const routed = await answer(id, credential, ` ${JSON.stringify(body)}`);
        // each recorded answer has its own id; everything else is alike
        const alike = (r: { status: number; body: Record<string, unknown> }) => [
          r.status,
          { ...r.body, id: typeof r.body.id },
        ];
        expect(alike(fast)).toEqual(alike(routed));
        statuses.push(fast.status);
      }
      expect(statuses).toEqual([201, 201, 400, 400, 404, 404, 401, 401, 400, 400, 404]);
      // both ways recorded both answers, in order, each with its audit row naming the request it came with
      expect((await view(alertId, me.residentId)).history.map((h) => [h.status, h.channel])).toEqual([
        ['safe', 'app'],
        ['safe', 'app'],
        ['need_help', 'pwa'],
        ['need_help', 'pwa'],
      ]);
      const audited = await sut.db.dataSource.query<{ requestId: string; targetIds: string[] }[]>(
        `SELECT request_id AS "requestId", target_ids AS "targetIds" FROM audit_log
          WHERE action = 'safety.answer' AND actor_id = $1 ORDER BY id`,
        [me.residentId],
      );
      expect(audited).toHaveLength(4);
      for (const row of audited) {
        expect(row.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.targetIds).toEqual([
          expect.any(String),
          me.residentId,
          alertId,
          expect.stringMatching(/^\d+$/),
        ]);
      }
    });

    it('records answers arriving together, each with its own audit row, and answers each once durable', async () => {
      const people = await Promise.all(Array.from({ length: 24 }, (_, i) => enrolled(`BATCH-${i}`)));
      const alertId = await sentAlert();
      await ask(alertId);
      const statuses = ['safe', 'need_help', 'injured', 'other'];
      const answers = await Promise.all(
        people.flatMap((p, i) => {
          const body = (k: number) => JSON.stringify({ answer: statuses[(i + k) % 4] });
          // the first four answer twice at once: both kept, one of them current
          return i < 4
            ? [answer(alertId, p.credential, body(0)), answer(alertId, p.credential, body(1))]
            : [answer(alertId, p.credential, body(0))];
        }),
      );
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 201));
      const ids = new Set(answers.map((r) => r.body.id as string));
      expect(ids.size).toBe(answers.length);
      for (const [i, p] of people.entries()) {
        const v = await view(alertId, p.residentId);
        expect(v.history).toHaveLength(i < 4 ? 2 : 1);
        expect(v.currentStatus).toBe(v.history[v.history.length - 1].status);
      }
      // one audit row an answer, carrying the id of the request that gave it (the X-Request-Id it was answered with)
      const audited = await sut.db.dataSource.query<{ requestId: string; responseId: string }[]>(
        `SELECT request_id AS "requestId", details->>'responseId' AS "responseId" FROM audit_log
          WHERE action = 'safety.answer' AND details->>'alertId' = $1`,
        [alertId],
      );
      expect(new Map(audited.map((a) => [a.responseId, a.requestId]))).toEqual(
        new Map(answers.map((r) => [r.body.id as string, r.headers['x-request-id']])),
      );
      // the live counters saw every answer
      const counted = await sut.db.dataSource.query<{ n: string }[]>(
        `SELECT sum(n)::text AS n FROM safety_counter WHERE alert_id = $1 AND status <> 'unanswered'`,
        [alertId],
      );
      expect(Number(counted[0].n)).toBe(people.length);
    });

    it('answers 503 UNAVAILABLE to an answer that could not be written, keeps nothing of it, and records the others', async () => {
      const doomed = await enrolled('DOOM-1');
      const bystanders = await Promise.all([enrolled('DOOM-2'), enrolled('DOOM-3'), enrolled('DOOM-4')]);
      const alertId = await sentAlert();
      await ask(alertId);
      // a real Postgres failure inside the statement that records the batch, for one person's answer
      await sut.db.dataSource.query(
        `CREATE FUNCTION safety_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'disk on fire'; END $$`,
      );
      await sut.db.dataSource.query(
        `CREATE TRIGGER safety_test_fail BEFORE UPDATE ON safety_request FOR EACH ROW
         WHEN (OLD.resident_id = '${doomed.residentId}') EXECUTE FUNCTION safety_test_fail()`,
      );
      try {
        // sent together, so that they may share a batch: the batch is then written again one answer at a time
        const [res, ...others] = await Promise.all(
          [doomed, ...bystanders.slice(0, 2)].map((p) => answer(alertId, p.credential, '{"answer":"safe"}')),
        );
        expect([res.status, res.body.error?.code]).toEqual([503, 'UNAVAILABLE']);
        expect(others.map((r) => r.status)).toEqual([201, 201]);
        // given to the writer in one turn of the event loop, they certainly share a batch
        const writer = sut.app.get(SafetyAnswerWriter);
        const [failed, recorded] = await Promise.allSettled(
          [doomed, bystanders[2]].map((p) =>
            writer.record({
              alertId,
              residentId: p.residentId,
              status: SafetyStatus.Safe,
              note: null,
              location: null,
              channel: ResponseChannel.App,
              recordedBy: null,
            }),
          ),
        );
        expect(failed).toMatchObject({ status: 'rejected', reason: { code: 'UNAVAILABLE' } });
        expect(recorded).toMatchObject({ status: 'fulfilled', value: { alertId } });
      } finally {
        await sut.db.dataSource.query(`DROP TRIGGER safety_test_fail ON safety_request`);
        await sut.db.dataSource.query(`DROP FUNCTION safety_test_fail()`);
      }
      for (const p of bystanders) expect((await view(alertId, p.residentId)).currentStatus).toBe('safe');
      const nothing = await view(alertId, doomed.residentId);
      expect([nothing.currentStatus, nothing.history]).toEqual([null, []]);
      const audited = await sut.db.dataSource.query(
        `SELECT 1 FROM audit_log WHERE action = 'safety.answer' AND actor_id = $1`,
        [doomed.residentId],
      );
      expect(audited).toEqual([]);
      // the app's retry goes through
      expect((await answer(alertId, doomed.credential, '{"answer":"safe"}')).status).toBe(201);
      expect((await view(alertId, doomed.residentId)).currentStatus).toBe('safe');
    });
  });
});
