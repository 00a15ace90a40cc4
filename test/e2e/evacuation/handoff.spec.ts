import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

interface Handoff {
  id: string;
  orderId: string;
  version: number;
  change: string;
  level: number;
  districtNames: string[];
  items: { target: string; state: string; by: string | null; at: string | null; note: string | null }[];
  open: string[];
  warnings: string[];
}

describe('evacuation hand-offs: L-Alert record and area mail per order step, with a checklist', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;

  const bearer = async (role: Role) => ['Authorization', `Bearer ${await sut.token(yasugi, role)}`] as const;

  beforeAll(async () => {
    sut = await startApi();
    [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    const admin = await bearer(Role.Admin);
    for (const [code, name] of [
      ['01', '飯島町'],
      ['02', '荒島町'],
    ]) {
      expect(
        (
          await sut.http
            .post(`${base}/areas`)
            .set(...admin)
            .send({ code, name })
        ).status,
      ).toBe(201);
    }
    // 飯島町: one household of two
    const [{ id: areaId }] = await sut.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM area WHERE municipality_id = $1 AND code = '01'`,
      [yasugi.municipalityId],
    );
    const h = await sut.http
      .post(`${base}/households`)
      .set(...admin)
      .send({ externalId: 'H1', areaId, address: '島根県安来市 H1' });
    expect(h.status).toBe(201);
    for (const i of [0, 1]) {
      const r = await sut.http
        .post(`${base}/residents`)
        .set(...admin)
        .send({ externalId: `H1-${i}`, name: `住民 H1-${i}`, householdId: h.body.id });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => sut.close());

  async function post(path: string, body: object, role: Role) {
    return sut.http
      .post(`${base}${path}`)
      .set(...(await bearer(role)))
      .send(body);
  }

  async function handoffs(): Promise<Handoff[]> {
    const res = await sut.http.get(`${base}/evacuation-handoffs`).set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Handoff[];
  }

  it('issue and lower each store a record; downloads, checklist, warning, waiver, roles and audit', async () => {
    const created = await post(
      '/evacuation-orders',
      { hazard: 'flood', level: 4, districtCodes: ['01'] },
      Role.Operator,
    );
    expect(created.status).toBe(201);
    const orderId = created.body.id as string;
    // a draft tells nobody: no hand-off
    expect(await handoffs()).toEqual([]);

    expect(
      (await post(`/evacuation-orders/${orderId}/issue`, { expectedVersion: 1 }, Role.Approver)).status,
    ).toBe(200);
    expect(
      (await post(`/evacuation-orders/${orderId}/level`, { expectedVersion: 2, level: 3 }, Role.Approver))
        .status,
    ).toBe(200);

    const [lowered, issued] = await handoffs();
    expect(issued).toMatchObject({
      orderId,
      version: 2,
      change: 'issue',
      level: 4,
      districtNames: ['飯島町'],
      open: ['lalert', 'area_mail'],
      warnings: [],
    });
    expect(lowered).toMatchObject({ version: 3, change: 'lower', level: 3 });

    const viewer = await bearer(Role.Viewer);
    const json = await sut.http.get(`${base}/evacuation-handoffs/${issued.id}/lalert.json`).set(...viewer);
    expect(json.status).toBe(200);
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="lalert-.+-v2\.json"$/);
    const record = (JSON.parse(json.text) as { records: Record<string, unknown>[] }).records[0];
    expect(record).toMatchObject({ orderId, version: 2, change: 'issue', changeName: '発令', level: 4 });
    expect(record.issuedAt).toMatch(/\+09:00$/);
    expect(record).toMatchObject({
      households: 1,
      people: 2,
      districts: [{ code: '01', name: '飯島町', state: 'in_force', households: 1, people: 2 }],
    });

    const csv = await sut.http
      .get(`${base}/evacuation-handoffs/${issued.id}/lalert.csv`)
      .set(...viewer)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="lalert-.+-v2\.csv"$/);
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('避難情報');
    expect(text).toContain('飯島町');
    expect(text).toContain('発令');

    const mail = await sut.http.get(`${base}/evacuation-handoffs/${issued.id}/area-mail`).set(...viewer);
    expect(mail.status).toBe(200);
    expect(mail.body).toEqual([
      expect.objectContaining({ districtCodes: ['01'], title: expect.stringContaining('警戒レベル') }),
    ]);
    expect((mail.body as { body: string }[])[0].body).toContain('飯島町');

    // a viewer cannot tick anything off
    expect(
      (await post(`/evacuation-handoffs/${issued.id}/items/area_mail/done`, {}, Role.Viewer)).status,
    ).toBe(403);

    // the area mail went out but L-Alert was never entered: flagged, and listed first
    const mailed = await post(`/evacuation-handoffs/${issued.id}/items/area_mail/done`, {}, Role.Operator);
    expect(mailed.status).toBe(200);
    expect(mailed.body).toMatchObject({ open: ['lalert'], warnings: ['lalert_missing_after_area_mail'] });
    expect((await handoffs()).map((h) => h.id)).toEqual([issued.id, lowered.id]);

    // done twice: refused
    const twice = await post(`/evacuation-handoffs/${issued.id}/items/area_mail/done`, {}, Role.Operator);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBeDefined();

    // the note is at most 500 characters, a string
    for (const note of ['x'.repeat(501), 1234]) {
      const bad = await post(`/evacuation-handoffs/${issued.id}/items/lalert/done`, { note }, Role.Operator);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBeDefined();
    }
    const entered = await post(
      `/evacuation-handoffs/${issued.id}/items/lalert/done`,
      { note: '  受付番号 1234 ' },
      Role.Operator,
    );
    expect(entered.status).toBe(200);
    expect(entered.body).toMatchObject({ open: [], warnings: [] });
    expect(entered.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          target: 'lalert',
          state: 'done',
          by: yasugi.operators[Role.Operator].id,
          byName: yasugi.operators[Role.Operator].email,
          note: '受付番号 1234',
        }),
      ]),
    );
    // listed with the name and the note too
    expect((await handoffs()).find((h) => h.id === issued.id)?.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          target: 'lalert',
          byName: yasugi.operators[Role.Operator].email,
          note: '受付番号 1234',
        }),
        expect.objectContaining({ target: 'area_mail', state: 'done', note: null }),
      ]),
    );

    // L-Alert is never waived; the area mail is, with a reason
    const noWaive = await post(
      `/evacuation-handoffs/${lowered.id}/items/lalert/waive`,
      { reason: 'x' },
      Role.Operator,
    );
    expect(noWaive.status).toBe(400);
    expect(
      (await post(`/evacuation-handoffs/${lowered.id}/items/area_mail/waive`, {}, Role.Operator)).status,
    ).toBe(400);
    const waived = await post(
      `/evacuation-handoffs/${lowered.id}/items/area_mail/waive`,
      { reason: 'レベル３への引下げはエリアメールを送らない' },
      Role.Operator,
    );
    expect(waived.status).toBe(200);
    expect(waived.body).toMatchObject({ open: ['lalert'], warnings: [] });
    expect(waived.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ target: 'area_mail', state: 'not_needed' })]),
    );
    // open items first: the lowered step now, the settled issue last
    expect((await handoffs()).map((h) => h.id)).toEqual([lowered.id, issued.id]);

    const unknown = await post(`/evacuation-handoffs/${lowered.id}/items/fax/done`, {}, Role.Operator);
    expect(unknown.status).toBe(400);

    const audited = await sut.db.dataSource.query<
      { action: string; details: { items: { note: string }[] } }[]
    >(
      `SELECT action, details FROM audit_log
        WHERE $1 = ANY (target_ids) AND action LIKE 'evacuation_handoff.%' ORDER BY id`,
      [issued.id],
    );
    expect(audited.map((a) => a.action)).toEqual(['evacuation_handoff.done', 'evacuation_handoff.done']);
    expect(audited[1].details.items).toEqual(
      expect.arrayContaining([{ target: 'lalert', state: 'done', note: '受付番号 1234' }]),
    );
  });

  it('a step without a message (a discarded draft) stores none; another municipality cannot read a record', async () => {
    const created = await post(
      '/evacuation-orders',
      { hazard: 'flood', level: 3, districtCodes: ['02'] },
      Role.Operator,
    );
    const before = (await handoffs()).length;
    expect(
      (
        await post(
          `/evacuation-orders/${created.body.id as string}/discard`,
          { expectedVersion: 1 },
          Role.Operator,
        )
      ).status,
    ).toBe(200);
    expect((await handoffs()).length).toBe(before);

    const [any] = await handoffs();
    const other = sut.tenants[1];
    const res = await sut.http
      .get(`/v1/municipalities/${other.municipalityId}/evacuation-handoffs/${any.id}/area-mail`)
      .set('Authorization', `Bearer ${await sut.token(other, Role.Viewer)}`);
    expect(res.status).toBe(404);
  });
});
