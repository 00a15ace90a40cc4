import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

describe('alert lifecycle API', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;
  const as = async (role: Role): Promise<[string, string]> => [
    'Authorization',
    `Bearer ${await sut.token(yasugi, role)}`,
  ];

  beforeAll(async () => {
    sut = await startApi();
    yasugi = sut.tenants[0];
    base = `/v1/municipalities/${yasugi.municipalityId}/alerts`;
  });
  afterAll(() => sut.close());

  const draft = {
    texts: {
      ja: { title: '避難指示', body: '荒島地区に避難指示。' },
      en: { title: 'Evacuate', body: 'Arashima: evacuate.' },
    },
    severity: 'extreme',
    targeting: { all: true },
    channels: ['receiver', 'fcm'],
  };

  async function created(body: object = draft): Promise<string> {
    const res = await sut.http
      .post(base)
      .set(...(await as(Role.Operator)))
      .send(body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('create → submit → approve (by someone else) → send writes the outbox row in the same transaction', async () => {
    const op = await as(Role.Operator);
    const id = await created();
    expect((await sut.http.post(`${base}/${id}/submit`).set(...op)).body.status).toBe('pending_approval');

    const approved = await sut.http.post(`${base}/${id}/approve`).set(...(await as(Role.Approver)));
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      approvedBy: yasugi.operators.approver.id,
      // the operators by name beside their ids, in a command's answer too
      approvedByName: yasugi.operators.approver.email,
      createdByName: yasugi.operators.operator.email,
      cancelledByName: null,
    });

    const sent = await sut.http.post(`${base}/${id}/send`).set(...op);
    expect(sent.body.status).toBe('dispatching');
    const outbox = await sut.db.dataSource.query(
      `SELECT topic, payload, job_id FROM outbox WHERE payload->>'alertId' = $1`,
      [id],
    );
    expect(outbox).toEqual([{ topic: 'alert.plan', payload: { alertId: id }, job_id: `plan-${id}` }]);
  });

  it('enforces the two-person rule and answers illegal transitions with 409', async () => {
    const admin = await as(Role.Admin);
    const res = await sut.http
      .post(base)
      .set(...admin)
      .send(draft);
    const id = res.body.id as string;
    const early = await sut.http.post(`${base}/${id}/approve`).set(...admin);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      details: { action: 'approve', from: 'draft' },
    });
    await sut.http.post(`${base}/${id}/submit`).set(...admin);
    const self = await sut.http.post(`${base}/${id}/approve`).set(...admin);
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/Two-person/);
    expect((await sut.http.post(`${base}/${id}/send`).set(...admin)).status).toBe(409);
  });

  it('lets an admin approve their own drill when the municipality allows single-step drills', async () => {
    const admin = await as(Role.Admin);
    await sut.http
      .patch(`/v1/municipalities/${yasugi.municipalityId}`)
      .set(...admin)
      .send({ settings: { singleStepKinds: ['drill'] } });
    const res = await sut.http
      .post(base)
      .set(...admin)
      .send({ ...draft, isDrill: true });
    expect(res.body.texts.ja.title).toBe('【訓練】避難指示');
    expect(res.body.texts.en.body).toBe('[DRILL] Arashima: evacuate.');
    await sut.http.post(`${base}/${res.body.id}/submit`).set(...admin);
    expect((await sut.http.post(`${base}/${res.body.id}/approve`).set(...admin)).status).toBe(200);
  });

  it('Idempotency-Key: a repeated create returns the same alert, a repeated send answers with its state', async () => {
    const op = await as(Role.Operator);
    const first = await sut.http
      .post(base)
      .set(...op)
      .set('Idempotency-Key', 'create-0001')
      .send(draft);
    const again = await sut.http
      .post(base)
      .set(...op)
      .set('Idempotency-Key', 'create-0001')
      .send(draft);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const id = first.body.id as string;
    await sut.http.post(`${base}/${id}/submit`).set(...op);
    await sut.http.post(`${base}/${id}/approve`).set(...(await as(Role.Approver)));
    expect(
      (
        await sut.http
          .post(`${base}/${id}/send`)
          .set(...op)
          .set('Idempotency-Key', 'send-0001')
      ).status,
    ).toBe(200);
    const repeat = await sut.http
      .post(`${base}/${id}/send`)
      .set(...op)
      .set('Idempotency-Key', 'send-0001');
    expect(repeat.status).toBe(200);
    expect(repeat.body.status).toBe('dispatching');
    const [{ n }] = await sut.db.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1`, [
      `plan-${id}`,
    ]);
    expect(n).toBe(1);
    expect((await sut.http.post(`${base}/${id}/send`).set(...op)).status).toBe(409);
  });

  it('cancel after send queues a cancellation; a correction supersedes the original when it is sent', async () => {
    const op = await as(Role.Operator);
    const approver = await as(Role.Approver);
    const go = async (id: string) => {
      await sut.http.post(`${base}/${id}/submit`).set(...op);
      await sut.http.post(`${base}/${id}/approve`).set(...approver);
      return sut.http.post(`${base}/${id}/send`).set(...op);
    };
    const a = await created();
    await go(a);
    const fix = await sut.http
      .post(`${base}/${a}/correct`)
      .set(...op)
      .send({ texts: { ja: { title: '訂正：避難指示', body: '対象は島田地区です。' } } });
    expect(fix.status).toBe(201);
    expect(fix.body).toMatchObject({ supersedesId: a, status: 'draft', targeting: { all: true } });
    await go(fix.body.id);
    expect((await sut.http.get(`${base}/${a}`).set(...op)).body.status).toBe('superseded');

    const cancelled = await sut.http.post(`${base}/${fix.body.id}/cancel`).set(...op);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: yasugi.operators.operator.id,
      cancelledByName: yasugi.operators.operator.email,
    });
    const topics = await sut.db.dataSource.query(
      `SELECT topic FROM outbox WHERE payload->>'alertId' = $1 ORDER BY id`,
      [fix.body.id],
    );
    expect(topics.map((t: { topic: string }) => t.topic)).toEqual(['alert.plan', 'alert.cancel']);
    expect((await sut.http.post(`${base}/${fix.body.id}/cancel`).set(...op)).status).toBe(409);
  });

  it('rejects texts without Japanese and targeting that selects nobody', async () => {
    const op = await as(Role.Operator);
    const noJa = await sut.http
      .post(base)
      .set(...op)
      .send({ ...draft, texts: { en: { title: 'x', body: 'y' } } });
    expect(noJa.status).toBe(400);
    const nobody = await sut.http
      .post(base)
      .set(...op)
      .send({ ...draft, targeting: {} });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.message).toMatch(/selects nobody/);
  });
});
