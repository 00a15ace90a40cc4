import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

/** 家族の安否 and the settings a resident keeps on the server, through the resident's own credential. */
describe('household safety (家族の安否) and resident settings', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;

  beforeAll(async () => {
    sut = await startApi();
    yasugi = sut.tenants[0];
    base = `/v1/municipalities/${yasugi.municipalityId}`;
  });
  afterAll(() => sut.close());

  const bearer = async (role: Role, tenant = yasugi) =>
    ['Authorization', `Bearer ${await sut.token(tenant, role)}`] as const;

  async function post(path: string, body: object, tenant = yasugi): Promise<{ id: string }> {
    const res = await sut.http
      .post(`/v1/municipalities/${tenant.municipalityId}${path}`)
      .set(...(await bearer(Role.Admin, tenant)))
      .send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  async function enrol(residentId: string): Promise<readonly ['Authorization', string]> {
    const code = await sut.http
      .post(`${base}/residents/${residentId}/enrolment-codes`)
      .set(...(await bearer(Role.Operator)))
      .send();
    const enrolled = await sut.http.post('/v1/resident/enrol').send({ code: code.body.code });
    expect(enrolled.status).toBe(201);
    return ['Authorization', `Bearer ${enrolled.body.credential as string}`] as const;
  }

  /** A sent alert; as a correction (訂正), it supersedes the alert it corrects, as sending one does. */
  async function sentAlert(corrects: string | null = null): Promise<string> {
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, sent_at,
                          supersedes_alert_id)
       VALUES ($1, 'operator', '{"ja":{"title":"避難指示","body":"避難してください"}}', 'extreme', '{"all":true}',
               '{webpush}', 'sent', now(), $2) RETURNING id`,
      [yasugi.municipalityId, corrects],
    );
    if (corrects)
      await sut.db.dataSource.query(`UPDATE alert SET status = 'superseded' WHERE id = $1`, [corrects]);
    return row.id;
  }

  async function ask(alertId: string, areaIds: string[]): Promise<void> {
    const res = await sut.http
      .post(`${base}/alerts/${alertId}/safety-requests`)
      .set(...(await bearer(Role.Operator)))
      .send({ areaIds });
    expect(res.status).toBe(201);
  }

  it('lists the household members the alert asked and records an answer on their behalf', async () => {
    const area = await post('/areas', { code: 'HS-1', name: '家族地区' });
    const home = await post('/households', {
      externalId: 'HS-H1',
      areaId: area.id,
      address: '安来市家族町1',
    });
    const nextDoor = await post('/households', {
      externalId: 'HS-H2',
      areaId: area.id,
      address: '安来市家族町2',
    });
    const me = await post('/residents', {
      externalId: 'HS-ME',
      name: '安来 太郎',
      householdId: home.id,
      phone: '0854-00-0001',
    });
    const spouse = await post('/residents', {
      externalId: 'HS-SP',
      name: '安来 花子',
      householdId: home.id,
      phone: '0854-00-0002',
    });
    const neighbour = await post('/residents', {
      externalId: 'HS-NB',
      name: '隣 次郎',
      householdId: nextDoor.id,
    });
    const auth = await enrol(me.id);
    const alertId = await sentAlert();
    await ask(alertId, [area.id]);

    const list = await sut.http.get(`/v1/resident/safety/${alertId}/household`).set(...auth);
    expect(list.status).toBe(200);
    // the other members of the household only, display name only: no phone, no address, no neighbour
    expect(list.body).toEqual([
      {
        residentId: spouse.id,
        displayName: '安来 花子',
        currentStatus: null,
        answeredAt: null,
        answeredByName: null,
        answeredByMe: false,
      },
    ]);

    const answered = await sut.http
      .post(`/v1/resident/safety/${alertId}/household/${spouse.id}`)
      .set(...auth)
      .send({ answer: 'safe', via: 'pwa' });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({ alertId, residentId: spouse.id, currentStatus: 'safe' });

    // the operators see it as the spouse's answer, given by the resident on their behalf
    const view = await sut.http
      .get(`${base}/alerts/${alertId}/safety-requests/${spouse.id}`)
      .set(...(await bearer(Role.Viewer)));
    expect(view.body).toMatchObject({ currentStatus: 'safe' });
    expect(view.body.history).toEqual([
      expect.objectContaining({
        status: 'safe',
        channel: 'pwa',
        answeredByResidentId: me.id,
        recordedBy: null,
      }),
    ]);
    const summary = await sut.http
      .get(`${base}/alerts/${alertId}/safety-requests`)
      .set(...(await bearer(Role.Viewer)));
    expect(summary.body).toContainEqual({ targetGroup: 'everyone', status: 'safe', count: 1 });
    const live = await sut.http.get(`${base}/alerts/${alertId}/live`).set(...(await bearer(Role.Viewer)));
    expect(live.status).toBe(200);
    expect(live.body.safety.everyone).toMatchObject({ asked: 3, answered: 1, byAnswer: { safe: 1 } });
    const [audit] = await sut.db.dataSource.query<{ actorType: string; actorId: string }[]>(
      `SELECT actor_type AS "actorType", actor_id AS "actorId" FROM audit_log WHERE action = 'safety.answer_for_member'`,
    );
    expect(audit).toMatchObject({ actorType: 'resident' });

    const after = await sut.http.get(`/v1/resident/safety/${alertId}/household`).set(...auth);
    expect(after.body).toEqual([
      expect.objectContaining({
        residentId: spouse.id,
        currentStatus: 'safe',
        answeredByName: '安来 太郎',
        answeredByMe: true,
      }),
    ]);
    // the spouse's own later answer replaces it and is theirs
    const spouseAuth = await enrol(spouse.id);
    await sut.http
      .post(`/v1/resident/safety/${alertId}`)
      .set(...spouseAuth)
      .send({ answer: 'injured' })
      .expect(201);
    const own = await sut.http.get(`/v1/resident/safety/${alertId}/household`).set(...auth);
    expect(own.body).toEqual([
      expect.objectContaining({ currentStatus: 'injured', answeredByName: null, answeredByMe: false }),
    ]);

    // never another household's resident, never oneself
    for (const other of [neighbour.id, me.id]) {
      const refused = await sut.http
        .post(`/v1/resident/safety/${alertId}/household/${other}`)
        .set(...auth)
        .send({ answer: 'safe' });
      expect(refused.status).toBe(404);
      expect(refused.body.error).toMatchObject({
        code: 'NOT_FOUND',
        details: { entity: 'household_member' },
      });
    }

    // an alert that did not ask the household: nobody listed, nobody answered for
    const unasked = await sentAlert();
    const none = await sut.http.get(`/v1/resident/safety/${unasked}/household`).set(...auth);
    expect(none.body).toEqual([]);
    const notAsked = await sut.http
      .post(`/v1/resident/safety/${unasked}/household/${spouse.id}`)
      .set(...auth)
      .send({ answer: 'need_help' });
    expect(notAsked.status).toBe(404);
    expect(notAsked.body.error.details).toMatchObject({ entity: 'safety_request' });

    // bad input is a 400, never a 5xx; no credential is a 401
    const bad = await sut.http
      .post(`/v1/resident/safety/${alertId}/household/${spouse.id}`)
      .set(...auth)
      .send({ answer: 'fine' });
    expect(bad.status).toBe(400);
    await sut.http.get(`/v1/resident/safety/${alertId}/household`).expect(401);
  });

  it('an answer for a member given on an alert a correction replaced counts for the correction', async () => {
    const area = await post('/areas', { code: 'HC-1', name: '訂正地区' });
    const home = await post('/households', {
      externalId: 'HC-H1',
      areaId: area.id,
      address: '安来市訂正町1',
    });
    const me = await post('/residents', { externalId: 'HC-ME', name: '訂正 一郎', householdId: home.id });
    const child = await post('/residents', { externalId: 'HC-CH', name: '訂正 二郎', householdId: home.id });
    const auth = await enrol(me.id);
    const first = await sentAlert();
    await ask(first, [area.id]);
    const correction = await sentAlert(first);
    await ask(correction, [area.id]);

    // the app still shows the first alert: the household is the correction's, and so is the answer
    const answered = await sut.http
      .post(`/v1/resident/safety/${first}/household/${child.id}`)
      .set(...auth)
      .send({ answer: 'need_help', via: 'pwa' });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({
      alertId: correction,
      residentId: child.id,
      currentStatus: 'need_help',
    });
    const list = await sut.http.get(`/v1/resident/safety/${first}/household`).set(...auth);
    expect(list.body).toEqual([
      expect.objectContaining({ residentId: child.id, currentStatus: 'need_help', answeredByMe: true }),
    ]);
  });

  it('keeps the alert language and extra districts a resident chooses', async () => {
    const home = await post('/areas', { code: 'ST-1', name: '自宅地区' });
    const work = await post('/areas', { code: 'ST-2', name: '職場地区' });
    const hh = await post('/households', { externalId: 'ST-H1', areaId: home.id, address: '安来市設定町1' });
    const me = await post('/residents', { externalId: 'ST-ME', name: '設定 一郎', householdId: hh.id });
    const auth = await enrol(me.id);

    const areas = await sut.http.get('/v1/resident/areas').set(...auth);
    expect(areas.status).toBe(200);
    expect(areas.body).toEqual(
      expect.arrayContaining([
        { id: home.id, name: '自宅地区' },
        { id: work.id, name: '職場地区' },
      ]),
    );

    const patched = await sut.http
      .patch('/v1/resident/me')
      .set(...auth)
      .send({ language: 'en', extraAreaIds: [work.id, work.id] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ language: 'en', areaName: '自宅地区', extraAreaIds: [work.id] });
    const langOnly = await sut.http
      .patch('/v1/resident/me')
      .set(...auth)
      .send({ language: 'ja-easy' });
    expect(langOnly.body).toMatchObject({ language: 'ja-easy', extraAreaIds: [work.id] });
    const [row] = await sut.db.dataSource.query<{ language: string }[]>(
      `SELECT language FROM resident WHERE id = $1`,
      [me.id],
    );
    expect(row.language).toBe('ja-easy');

    // an unknown language, another municipality's district: 400, nothing changed
    const other = sut.tenants[1];
    const foreign = await post('/areas', { code: 'ST-X', name: '他市地区' }, other);
    for (const body of [
      { language: 'klingon' },
      { extraAreaIds: [foreign.id] },
      { extraAreaIds: ['nope'] },
    ]) {
      const res = await sut.http
        .patch('/v1/resident/me')
        .set(...auth)
        .send(body);
      expect(res.status).toBe(400);
    }
    const me2 = await sut.http.get('/v1/resident/me').set(...auth);
    expect(me2.body).toMatchObject({ language: 'ja-easy', extraAreaIds: [work.id] });
    const cleared = await sut.http
      .patch('/v1/resident/me')
      .set(...auth)
      .send({ extraAreaIds: [] });
    expect(cleared.body.extraAreaIds).toEqual([]);
  });
});
