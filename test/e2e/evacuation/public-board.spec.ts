import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyOrderCommand,
  draftOrder,
  type EvacuationLevel,
  Hazard,
  OrderAction,
  type OrderCommand,
  OrderSource,
  Role,
} from '@bousai/domain';
import { EvacuationOrderRepository } from '@bousai/persistence';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

const FIXTURES = join(__dirname, '../../fixtures/shelters');

describe('the public evacuation board (GET /v1/public/municipalities/{code}/evacuation[.html])', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;
  let orders: EvacuationOrderRepository;

  const bearer = async (role: Role) => ['Authorization', `Bearer ${await sut.token(yasugi, role)}`] as const;

  async function post(path: string, body: object, role = Role.Admin): Promise<{ id: string }> {
    const res = await sut.http
      .post(`${base}${path}`)
      .set(...(await bearer(role)))
      .send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  /** An order drafted and issued through the domain rules and the store, as the orders api does it. */
  async function issued(
    hazard: Hazard,
    level: EvacuationLevel,
    districts: { code: string; name: string }[],
    then: OrderCommand[] = [],
  ): Promise<string> {
    const actor = { id: yasugi.operators.approver.id, role: Role.Approver };
    let order = await sut.db.dataSource.transaction(async (em) =>
      orders.insert(
        em,
        draftOrder({
          id: await orders.nextId(em),
          municipalityId: yasugi.municipalityId,
          hazard,
          level,
          wholeMunicipality: districts.length === 0,
          districts,
          createdBy: yasugi.operators.operator.id,
        }),
        { source: OrderSource.Operator, sourceDocumentId: null },
      ),
    );
    for (const command of [{ action: OrderAction.Issue } as OrderCommand, ...then]) {
      const step = applyOrderCommand(order, command, { actor, at: new Date() });
      await sut.db.dataSource.transaction((em) => orders.saveStep(em, step.order, step.history, null));
      order = await orders.findById(yasugi.municipalityId, order.id);
    }
    return order.id;
  }

  beforeAll(async () => {
    sut = await startApi();
    yasugi = sut.tenants[0];
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    orders = sut.app.get(EvacuationOrderRepository);
    const areas: Record<string, string> = {};
    for (const [code, name] of [
      ['01', '飯島町'],
      ['02', '荒島町'],
      ['03', '赤江町'],
    ]) {
      areas[code] = (await post('/areas', { code, name })).id;
    }
    // 飯島町: 2 households of 2 and 1 people; 荒島町: 1 household of 1; 赤江町: 1 household, nobody registered
    const people: [string, number][] = [
      ['01', 2],
      ['01', 1],
      ['02', 1],
      ['03', 0],
    ];
    for (const [i, [code, n]] of people.entries()) {
      const hh = await post('/households', {
        externalId: `H-${i}`,
        areaId: areas[code],
        address: `安来市${i}`,
      });
      for (let j = 0; j < n; j++) {
        await post('/residents', { externalId: `R-${i}-${j}`, householdId: hh.id, name: `住民 ${i}-${j}` });
      }
    }
    const imported = await sut.http
      .post(`${base}/shelters/imports`)
      .set(...(await bearer(Role.Operator)))
      .attach('file', readFileSync(join(FIXTURES, 'da-emergency-sites.utf8.csv')), {
        filename: 'da-emergency-sites.utf8.csv',
        contentType: 'text/csv',
      });
    expect(imported.status).toBe(200);
  });
  afterAll(() => sut.close());

  async function openShelter(externalId: string): Promise<void> {
    const list = await sut.http.get(`${base}/shelters`).set(...(await bearer(Role.Viewer)));
    const shelter = (list.body as { id: string; externalId: string }[]).find(
      (s) => s.externalId === externalId,
    )!;
    const res = await sut.http
      .post(`${base}/shelters/${shelter.id}/open`)
      .set(...(await bearer(Role.Operator)))
      .send({});
    expect(res.status).toBe(200);
  }

  it('says nothing is in force and no shelter is open, in JSON and on the page', async () => {
    const json = await sut.http.get('/v1/public/municipalities/322067/evacuation');
    expect(json.status).toBe(200);
    expect(json.headers['cache-control']).toBe('public, max-age=30');
    expect(json.body).toMatchObject({
      municipality: { code: '322067', name: '安来市' },
      orders: [],
      shelters: [],
    });
    const page = await sut.http.get('/v1/public/municipalities/322067/evacuation.html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('現在、発令中の避難情報はありません。');
    expect(page.text).toContain('現在、開設中の避難所はありません。');
  });

  it('shows the orders in force (highest level first) with their districts and counts, and the open shelters', async () => {
    await openShelter('E001');
    const flood = await issued(Hazard.Flood, 4, [
      { code: '01', name: '飯島町' },
      { code: '02', name: '荒島町' },
    ]);
    const landslide = await issued(Hazard.Landslide, 3, [], []);
    // lifted and retracted orders are no longer in force
    await issued(Hazard.Flood, 5, [{ code: '03', name: '赤江町' }], [{ action: OrderAction.Lift }]);
    await issued(
      Hazard.Tsunami,
      4,
      [{ code: '02', name: '荒島町' }],
      [{ action: OrderAction.Retract, reason: '誤発令' }],
    );

    const res = await sut.http.get('/v1/public/municipalities/322067/evacuation');
    expect(res.status).toBe(200);
    expect(res.body.orders).toEqual([
      {
        id: flood,
        level: 4,
        levelName: '避難指示',
        levelNameEn: 'Evacuation instruction',
        hazard: 'flood',
        hazardName: '洪水',
        hazardNameEn: 'Flood',
        wholeMunicipality: false,
        districts: [
          { code: '01', name: '飯島町' },
          { code: '02', name: '荒島町' },
        ],
        issuedAt: expect.any(String),
        households: 3,
        people: 4,
      },
      expect.objectContaining({
        id: landslide,
        level: 3,
        levelName: '高齢者等避難',
        hazardName: '土砂災害',
        wholeMunicipality: true,
        districts: [],
        households: 4,
        people: 4,
      }),
    ]);
    expect(res.body.shelters.map((s: { name: string }) => s.name)).toEqual(['さくら台小学校（架空）']);
    expect(res.body.shelters[0]).toMatchObject({
      hazards: expect.arrayContaining(['flood']),
      crowding: null,
    });
    // no personal data: no names of residents, no addresses of households, no operators
    expect(JSON.stringify(res.body)).not.toMatch(/住民|安来市\d|createdBy|operator/);

    const ja = await sut.http.get('/v1/public/municipalities/322067/evacuation.html');
    expect(ja.status).toBe(200);
    expect(ja.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ja.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(ja.text).not.toMatch(/<script/i);
    expect(ja.text).toContain('<html lang="ja">');
    expect(ja.text).toContain('警戒レベル４ 避難指示（洪水）');
    expect(ja.text).toContain('対象地区: 飯島町、荒島町');
    expect(ja.text).toContain('対象 3世帯・4人');
    expect(ja.text).toContain('警戒レベル３ 高齢者等避難（土砂災害）');
    expect(ja.text).toContain('対象地区: 全域');
    expect(ja.text).toContain('さくら台小学校（架空）');
    expect(ja.text).not.toContain('赤江町');
    expect(ja.text.indexOf('警戒レベル４')).toBeLessThan(ja.text.indexOf('警戒レベル３'));

    const en = await sut.http.get('/v1/public/municipalities/322067/evacuation.html?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Alert Level 4: Evacuation instruction (Flood)');
    expect(en.text).toContain('3 households, 4 people');
    expect(en.text).toContain('Districts: the whole municipality');
    expect(en.text).toContain('Crowding: unknown');
  });

  it('escapes what the roster wrote in the page', async () => {
    const evil = (await post('/areas', { code: '09', name: '<script>alert(1)</script>&"' })).id;
    expect(evil).toBeTruthy();
    await issued(Hazard.Inundation, 3, [{ code: '09', name: '<script>alert(1)</script>&"' }]);
    const page = await sut.http.get('/v1/public/municipalities/322067/evacuation.html');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;');
  });

  it('answers 404 for a municipality it does not know, on both routes', async () => {
    expect((await sut.http.get('/v1/public/municipalities/999999/evacuation')).status).toBe(404);
    const page = await sut.http.get('/v1/public/municipalities/abc/evacuation.html');
    expect(page.status).toBe(404);
    expect(page.body.error.code).toBe('NOT_FOUND');
  });
});
