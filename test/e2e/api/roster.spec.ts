import { hashDeviceSecret, Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

describe('roster API', () => {
  let sut: ApiHarness;
  let base: string;
  let auth: (role: Role) => Promise<[string, string]>;

  beforeAll(async () => {
    sut = await startApi();
    const [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    auth = async (role) => ['Authorization', `Bearer ${await sut.token(yasugi, role)}`];
  });
  afterAll(() => sut.close());

  it('creates areas, households, residents and supporters, and writes an audit row for each change', async () => {
    const admin = await auth(Role.Admin);
    const op = await auth(Role.Operator);
    const area = await sut.http
      .post(`${base}/areas`)
      .set(...admin)
      .send({
        code: '02',
        name: '荒島',
        jmaCityCode: '3220600',
        jmaQuakeAreaCode: '570',
        jmaTsunamiAreaCode: '550',
      });
    expect(area.status).toBe(201);

    const hh = await sut.http
      .post(`${base}/households`)
      .set(...op)
      .send({
        externalId: 'H-0001',
        areaId: area.body.id,
        address: '島根県安来市荒島町1-1',
        postalCode: '692-0000',
      });
    expect(hh.status).toBe(201);
    const person = await sut.http
      .post(`${base}/residents`)
      .set(...op)
      .send({
        externalId: 'R-0001',
        householdId: hh.body.id,
        name: '安来 花子',
        language: 'ja-easy',
        needsAssistance: true,
      });
    expect(person.status).toBe(201);
    expect(person.body).toMatchObject({ needsAssistance: true, staff: false, language: 'ja-easy' });
    const supporter = await sut.http
      .post(`${base}/residents/${person.body.id}/supporters`)
      .set(...op)
      .send({ name: '荒島 太郎', relation: 'neighbour', priority: 1, phone: '0854-00-0001' });
    expect(supporter.status).toBe(201);

    const dup = await sut.http
      .post(`${base}/residents/${person.body.id}/supporters`)
      .set(...op)
      .send({ name: '別の人', relation: 'family', priority: 1 });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');

    const audit = await sut.db.dataSource.query<{ action: string; target_ids: string[]; details: object }[]>(
      `SELECT action, target_ids, details FROM audit_log WHERE action IN ('area.create','household.create','resident.create','supporter.create') ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'area.create',
      'household.create',
      'resident.create',
      'supporter.create',
    ]);
    expect(audit[2].target_ids).toEqual([person.body.id]);
    expect(JSON.stringify(audit)).not.toContain('安来 花子');
  });

  it('lists with filters and keyset pagination', async () => {
    const op = await auth(Role.Operator);
    for (let i = 0; i < 7; i++) {
      const res = await sut.http
        .post(`${base}/residents`)
        .set(...op)
        .send({ externalId: `P-${i}`, name: `住民 ${i}`, staff: i % 2 === 0 });
      expect(res.status).toBe(201);
    }
    const viewer = await auth(Role.Viewer);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await sut.http
        .get(`${base}/residents`)
        .query({ staff: 'true', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(...viewer);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r: { externalId: string }) => r.externalId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['P-0', 'P-2', 'P-4', 'P-6']);
  });

  it('answers bad input with a coded error, never a 500', async () => {
    const op = await auth(Role.Operator);
    const cases = [
      sut.http
        .post(`${base}/households`)
        .set(...op)
        .send({ externalId: '', address: 5 }),
      sut.http.get(`${base}/households/not-a-uuid`).set(...op),
      sut.http
        .get(`${base}/residents`)
        .query({ limit: 10000 })
        .set(...op),
      sut.http
        .post(`${base}/residents`)
        .set(...op)
        .set('Content-Type', 'application/json')
        .send('{"name": broken'),
      sut.http
        .post(`${base}/residents`)
        .set(...op)
        .send({ externalId: 'x', name: 'y', language: 'klingon' }),
      sut.http
        .post(`${base}/households`)
        .set(...op)
        .send({ externalId: 'h', address: 'a', areaId: '5b3f1a52-8ad1-4c47-9f7e-1f3c2a9d4e11' }),
      sut.http.get(`${base}/no-such-thing`).set(...op),
    ];
    const results = await Promise.all(cases);
    const statuses = results.map((r) => r.status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 404, 404]);
    for (const r of results) {
      expect(r.body).toEqual({
        error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
      });
      expect(JSON.stringify(r.body)).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it("does not reveal another municipality's records", async () => {
    const [, matsue] = sut.tenants;
    const op = await auth(Role.Operator);
    const hh = await sut.http
      .post(`${base}/households`)
      .set(...op)
      .send({ externalId: 'H-secret', address: '安来' });
    const theirs = ['Authorization', `Bearer ${await sut.token(matsue, Role.Admin)}`] as const;
    const res = await sut.http
      .get(`/v1/municipalities/${matsue.municipalityId}/households/${hh.body.id}`)
      .set(...theirs);
    expect(res.status).toBe(404);
  });

  it('keeps channel fallback settings and a resident channel order only when they make sense', async () => {
    const admin = await auth(Role.Admin);
    const bad = await sut.http
      .patch(base)
      .set(...admin)
      .send({
        settings: { channelFallback: { order: ['fcm', 'receiver'], modeBySeverity: { minor: 'ordered' } } },
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/"receiver" is not one of/);
    const badPosts = await sut.http
      .patch(base)
      .set(...admin)
      .send({ settings: { publicPosts: { twitter: true } } });
    expect(badPosts.status).toBe(400);
    expect(badPosts.body.error.message).toMatch(/publicPosts: unknown field twitter/);
    // feeds only ever draft evacuation orders: there is no setting to issue them automatically
    for (const [evacuationDrafts, message] of [
      [{ levels: [2, 4] }, /evacuationDrafts.levels must be a list of the levels 3, 4 and 5/],
      [{ levels: [4], autoIssue: true }, /evacuationDrafts: unknown field\(s\) autoIssue/],
    ] as const) {
      const badDrafts = await sut.http
        .patch(base)
        .set(...admin)
        .send({ settings: { evacuationDrafts } });
      expect(badDrafts.status).toBe(400);
      expect(badDrafts.body.error.message).toMatch(message);
    }
    const drafts = await sut.http
      .patch(base)
      .set(...admin)
      .send({ settings: { evacuationDrafts: { levels: [4, 5] } } });
    expect(drafts.status).toBe(200);
    expect(drafts.body.settings.evacuationDrafts).toEqual({ levels: [4, 5] });
    const good = await sut.http
      .patch(base)
      .set(...admin)
      .send({
        settings: {
          channelFallback: {
            order: ['line', 'fcm'],
            ackTimeoutSeconds: 120,
            modeBySeverity: { minor: 'ordered' },
          },
        },
      });
    expect(good.status).toBe(200);
    expect(good.body.settings.channelFallback.order).toEqual(['line', 'fcm']);

    const op = await auth(Role.Operator);
    const twice = await sut.http
      .post(`${base}/residents`)
      .set(...op)
      .send({ externalId: 'R-ORDER-1', name: '順番', channelOrder: ['email', 'email'] });
    expect(twice.status).toBe(400);
    const created = await sut.http
      .post(`${base}/residents`)
      .set(...op)
      .send({ externalId: 'R-ORDER-2', name: '順番', channelOrder: ['email', 'fcm'] });
    expect(created.status).toBe(201);
    expect(created.body.channelOrder).toEqual(['email', 'fcm']);
  });

  it('provisions a receiver: the secret is shown once and stored only as a hash', async () => {
    const op = await auth(Role.Operator);
    const hh = await sut.http
      .post(`${base}/households`)
      .set(...op)
      .send({ externalId: 'H-RX', address: '安来' });
    const rx = await sut.http
      .post(`${base}/receivers`)
      .set(...op)
      .send({ householdId: hh.body.id, serial: 'YSG-RX-1' });
    expect(rx.status).toBe(201);
    expect(rx.body.secret).toMatch(/^rxs_/);
    const [row] = await sut.db.dataSource.query(`SELECT address, secret_hash FROM endpoint WHERE id = $1`, [
      rx.body.id,
    ]);
    expect(row.address).toBe('YSG-RX-1');
    expect(row.secret_hash).toBe(hashDeviceSecret(rx.body.secret));
    expect(row.secret_hash).not.toContain(rx.body.secret);
    const listed = await sut.http.get(`${base}/endpoints/${rx.body.id}`).set(...op);
    expect(listed.body).not.toHaveProperty('secretHash');
    expect(JSON.stringify(listed.body)).not.toContain(rx.body.secret);
    const again = await sut.http
      .post(`${base}/receivers`)
      .set(...op)
      .send({ householdId: hh.body.id, serial: 'YSG-RX-1' });
    expect(again.status).toBe(409);
  });
});
