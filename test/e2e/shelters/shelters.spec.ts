import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

const SECRET = 'e2e-shelter-qr-secret-0123456789-abcdefghij';
const FIXTURES = join(__dirname, '../../fixtures/shelters');

interface Shelter {
  id: string;
  externalId: string;
  name: string;
  status: string;
  crowding: string | null;
  crowdingSource: string | null;
  headCount: number;
  capacity: number | null;
  areaIds: string[];
}

describe('shelters (避難場所・避難所) and check-in', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let matsue: Tenant;
  let base: string;
  const areas: Record<string, string> = {};

  beforeAll(async () => {
    sut = await startApi({ ONE_TAP_SECRET: SECRET });
    [yasugi, matsue] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    const admin = await bearer(Role.Admin);
    for (const [code, name] of [
      ['01', '飯島町'],
      ['02', '荒島町'],
      ['03', '赤江町'],
    ]) {
      const res = await sut.http
        .post(`${base}/areas`)
        .set(...admin)
        .send({ code, name });
      expect(res.status).toBe(201);
      areas[name] = res.body.id as string;
    }
  });
  afterAll(() => sut.close());

  const bearer = async (role: Role, tenant = yasugi) =>
    ['Authorization', `Bearer ${await sut.token(tenant, role)}`] as const;

  async function importFile(file: string, role = Role.Operator, tenant = yasugi) {
    return sut.http
      .post(`/v1/municipalities/${tenant.municipalityId}/shelters/imports`)
      .set(...(await bearer(role, tenant)))
      .attach('file', readFileSync(join(FIXTURES, file)), { filename: file, contentType: 'text/csv' });
  }

  async function shelters(query = ''): Promise<Shelter[]> {
    const res = await sut.http.get(`${base}/shelters${query}`).set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Shelter[];
  }

  const byExternalId = async (externalId: string) =>
    (await shelters()).find((s) => s.externalId === externalId)!;

  async function act(path: string, method: 'post' | 'put' = 'post', body: object = {}, role = Role.Operator) {
    return sut.http[method](`${base}/shelters/${path}`)
      .set(...(await bearer(role)))
      .send(body);
  }

  /** A resident of 飯島町 enrolled on a device. */
  async function enrolled(
    externalId: string,
  ): Promise<{ residentId: string; householdId: string; credential: string }> {
    const op = await bearer(Role.Operator);
    const household = await sut.http
      .post(`${base}/households`)
      .set(...op)
      .send({ externalId: `H-${externalId}`, areaId: areas['飯島町'], address: '島根県安来市飯島町1' });
    expect(household.status).toBe(201);
    const r = await sut.http
      .post(`${base}/residents`)
      .set(...op)
      .send({ externalId, name: '避難 太郎', householdId: household.body.id });
    expect(r.status).toBe(201);
    const code = await sut.http
      .post(`${base}/residents/${r.body.id}/enrolment-codes`)
      .set(...op)
      .send();
    const enrol = await sut.http.post('/v1/resident/enrol').send({ code: code.body.code });
    expect(enrol.status).toBe(201);
    return { residentId: r.body.id, householdId: household.body.id, credential: enrol.body.credential };
  }

  /** A sent alert that asked everyone of the municipality to confirm their safety. */
  async function alertAskingEveryone(): Promise<string> {
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, sent_at)
       VALUES ($1, 'operator', '{"ja":{"title":"避難指示","body":"避難してください"}}', 'extreme', '{"all":true}',
               '{fcm}', 'sent', now()) RETURNING id`,
      [yasugi.municipalityId],
    );
    const asked = await sut.http
      .post(`${base}/alerts/${row.id}/safety-requests`)
      .set(...(await bearer(Role.Operator)))
      .send({ groups: ['everyone'] });
    expect(asked.status).toBe(201);
    return row.id;
  }

  async function safetyOf(alertId: string, residentId: string) {
    const res = await sut.http
      .get(`${base}/alerts/${alertId}/safety-requests/${residentId}`)
      .set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as {
      currentStatus: string | null;
      history: { status: string; channel: string; note: string }[];
    };
  }

  describe('import', () => {
    it('imports the Digital Agency list (UTF-8): good rows in, bad rows reported by line, districts matched', async () => {
      const res = await importFile('da-emergency-sites.utf8.csv');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        format: 'digital_agency',
        kind: 'emergency_site',
        encoding: 'utf-8',
        rows: 8,
        imported: 3,
        inserted: 3,
        otherMunicipality: 1,
      });
      expect(res.body.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
        [4, 'INVALID_VALUE'],
        [5, 'MISSING_VALUE'],
        [6, 'INVALID_VALUE'],
        [7, 'DUPLICATE_IN_FILE'],
      ]);
      expect(res.body.warnings).toEqual([
        expect.objectContaining({
          line: 9,
          code: 'UNKNOWN_DISTRICT',
          message: expect.stringContaining('架空町'),
        }),
      ]);
      const e001 = await byExternalId('E001');
      expect(e001).toMatchObject({
        name: 'さくら台小学校（架空）',
        capacity: 400,
        status: 'closed',
        headCount: 0,
      });
      expect(e001.areaIds.sort()).toEqual([areas['飯島町'], areas['荒島町']].sort());
      expect((await byExternalId('E006')).areaIds).toEqual([areas['荒島町']]);
    });

    it('imports the same list again in place: nothing inserted, the state kept', async () => {
      const res = await importFile('da-emergency-sites.utf8.csv');
      expect(res.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
      expect((await shelters('?kind=emergency_site')).filter((s) => s.externalId === 'E001')).toHaveLength(1);
    });

    it('imports GSI’s list and the Digital Agency 避難所 list in Shift_JIS', async () => {
      const gsi = await importFile('gsi-emergency-sites.sjis.csv');
      expect(gsi.body).toMatchObject({
        format: 'gsi',
        encoding: 'shift_jis',
        imported: 2,
        otherMunicipality: 1,
      });
      expect(gsi.body.errors).toEqual([expect.objectContaining({ line: 4, column: '経度' })]);
      const da = await importFile('da-shelters.sjis.csv');
      expect(da.body).toMatchObject({ kind: 'shelter', encoding: 'shift_jis', imported: 2 });
      expect(da.body.errors).toEqual([expect.objectContaining({ line: 4, column: '想定収容人数' })]);
      expect((await shelters('?kind=shelter')).map((s) => s.name)).toContain('髙田交流センター（架空）');
    });

    it('refuses a file in neither layout as a whole, and callers without the operator role', async () => {
      const bad = await sut.http
        .post(`${base}/shelters/imports`)
        .set(...(await bearer(Role.Operator)))
        .attach('file', Buffer.from('施設名,所在地\na,b\n'), 'x.csv');
      expect(bad.status).toBe(422);
      expect(bad.body.error.code).toBe('CSV_INVALID');
      expect((await importFile('gsi-emergency-sites.utf8.csv', Role.Viewer)).status).toBe(403);
      const otherTown = await sut.http
        .post(`${base}/shelters/imports`)
        .set(...(await bearer(Role.Operator, matsue)))
        .attach('file', readFileSync(join(FIXTURES, 'gsi-emergency-sites.utf8.csv')), 'g.csv');
      expect(otherTown.status).toBe(403);
      expect((await sut.http.get(`${base}/shelters`)).status).toBe(401);
    });
  });

  describe('status and crowding', () => {
    it('opens, refuses to open twice, keeps staff crowding and a head count, closes', async () => {
      const { id } = await byExternalId('E002'); // capacity 1200
      expect((await act(`${id}/crowding`, 'put', { level: 'full' })).status).toBe(409);
      const opened = await act(`${id}/open`);
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ status: 'open', headCount: 0, crowding: null });
      expect((await act(`${id}/open`)).body.error.code).toBe('ILLEGAL_TRANSITION');

      const judged = await act(`${id}/crowding`, 'put', { level: 'crowded' });
      expect(judged.body).toMatchObject({ crowding: 'crowded', crowdingSource: 'staff' });
      const counted = await act(`${id}/head-count`, 'put', { headCount: 360 });
      expect(counted.body).toMatchObject({
        headCount: 360,
        crowding: 'somewhat_crowded',
        crowdingSource: 'count',
      });
      expect((await act(`${id}/crowding`, 'put', { level: 'packed' })).status).toBe(400);
      expect((await act(`${id}/open`, 'post', {}, Role.Viewer)).status).toBe(403);

      const closed = await act(`${id}/close`);
      expect(closed.body).toMatchObject({ status: 'closed', headCount: 0, crowding: null, openedAt: null });
    });
  });

  describe('check-in', () => {
    it('staff check a resident in: counted, and their open safety request answered safe at this shelter', async () => {
      const { residentId } = await enrolled('SH-1');
      const alertId = await alertAskingEveryone();
      const { id } = await byExternalId('E001');
      await act(`${id}/open`);

      const res = await act(`${id}/check-ins`, 'post', { residentId });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        counted: true,
        checkIn: { residentId, residentName: '避難 太郎', people: 1, checkedInBy: 'staff', alertId },
        shelter: { headCount: 1, crowding: 'available', crowdingSource: 'count' },
        safetyAnswers: [{ alertId, residentId }],
      });
      const safety = await safetyOf(alertId, residentId);
      expect(safety.currentStatus).toBe('safe');
      expect(safety.history.at(-1)).toMatchObject({ status: 'safe', channel: 'shelter' });
      expect(safety.history.at(-1)?.note).toContain('さくら台小学校（架空）');
      // the counters behind the live view count the answer
      const summary = await sut.http
        .get(`${base}/alerts/${alertId}/safety-requests`)
        .set(...(await bearer(Role.Viewer)));
      expect(summary.body).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'safe' })]));
    });

    it('a resident checks in with the shelter’s QR code; a second scan is not counted twice', async () => {
      const { residentId, credential } = await enrolled('SH-2');
      const alertId = await alertAskingEveryone();
      const { id } = await byExternalId('E001');
      const code = await sut.http.get(`${base}/shelters/${id}/qr`).set(...(await bearer(Role.Operator)));
      expect(code.status).toBe(200);
      expect(code.body.url).toContain(code.body.token);
      const before = (await byExternalId('E001')).headCount;

      const scan = () =>
        sut.http
          .post('/v1/resident/shelters/check-in')
          .set('Authorization', `Bearer ${credential}`)
          .send({ token: code.body.token });
      const first = await scan();
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        counted: true,
        shelterId: id,
        shelterName: 'さくら台小学校（架空）',
        safetyAnswers: [{ alertId, residentId }],
      });
      expect((await safetyOf(alertId, residentId)).history.at(-1)).toMatchObject({ channel: 'shelter' });
      expect((await scan()).body.counted).toBe(false);
      expect((await byExternalId('E001')).headCount).toBe(before + 1);
    });

    it('refuses a forged code, and a code of another municipality’s shelter', async () => {
      const { credential } = await enrolled('SH-3');
      const { id } = await byExternalId('E001');
      const code = await sut.http.get(`${base}/shelters/${id}/qr`).set(...(await bearer(Role.Operator)));
      const forged = `${code.body.token.slice(0, -3)}AAA`;
      const refused = await sut.http
        .post('/v1/resident/shelters/check-in')
        .set('Authorization', `Bearer ${credential}`)
        .send({ token: forged });
      expect(refused.status).toBe(401);

      const imported = await importFile('gsi-emergency-sites.utf8.csv', Role.Operator, matsue);
      // 松江市 imports the same file: only its own row is taken
      expect(imported.body).toMatchObject({ imported: 1, otherMunicipality: 3 });
      const [other] = await sut.db.dataSource.query<{ id: string }[]>(
        `INSERT INTO shelter (municipality_id, kind, external_id, name, status, opened_at)
         VALUES ($1, 'emergency_site', 'M1', '松江の広場', 'open', now()) RETURNING id`,
        [matsue.municipalityId],
      );
      const otherCode = await sut.http
        .get(`/v1/municipalities/${matsue.municipalityId}/shelters/${other.id}/qr`)
        .set(...(await bearer(Role.Operator, matsue)));
      const foreign = await sut.http
        .post('/v1/resident/shelters/check-in')
        .set('Authorization', `Bearer ${credential}`)
        .send({ token: otherCode.body.token });
      expect(foreign.status).toBe(403);
    });

    it('a household and a name-only group feed the head count and the crowding; a closed shelter takes none', async () => {
      const { householdId } = await enrolled('SH-4');
      const { id } = await byExternalId('E001'); // capacity 400
      const counted = await act(`${id}/head-count`, 'put', { headCount: 100 });
      expect(counted.body).toMatchObject({ headCount: 100, crowding: 'available' });
      const household = await act(`${id}/check-ins`, 'post', { householdId });
      expect(household.body).toMatchObject({ counted: true, checkIn: { householdId, people: 1 } });
      expect(household.body.shelter).toMatchObject({ headCount: 101, crowding: 'available' });
      // 120 of 400 is 30 %: やや混雑
      const group = await act(`${id}/check-ins`, 'post', { name: '旅行者 一行', people: 19 });
      expect(group.body.shelter).toMatchObject({
        headCount: 120,
        crowding: 'somewhat_crowded',
        crowdingSource: 'count',
      });
      expect((await act(`${id}/check-ins`, 'post', { name: 'x', residentId: householdId })).status).toBe(400);

      const list = await sut.http
        .get(`${base}/shelters/${id}/check-ins`)
        .set(...(await bearer(Role.Operator)));
      expect(list.body[0]).toMatchObject({ name: '旅行者 一行', people: 19, checkedInBy: 'staff' });
      expect(
        (await sut.http.get(`${base}/shelters/${id}/check-ins`).set(...(await bearer(Role.Viewer)))).status,
      ).toBe(403);

      const { id: closedId } = await byExternalId('E006');
      expect((await act(`${closedId}/check-ins`, 'post', { name: '誰か' })).body.error.code).toBe(
        'ILLEGAL_TRANSITION',
      );
    });
  });

  describe('what residents and the public see', () => {
    it('the public list shows open shelters only, with no personal data', async () => {
      const res = await sut.http.get('/v1/public/municipalities/322067/shelters');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=30');
      expect(res.body.municipality).toBe('安来市');
      expect(res.body.shelters.map((s: { name: string }) => s.name)).toEqual(['さくら台小学校（架空）']);
      expect(Object.keys(res.body.shelters[0]).sort()).toEqual(
        ['address', 'capacity', 'crowding', 'hazards', 'id', 'kind', 'location', 'name', 'openedAt'].sort(),
      );
      expect(JSON.stringify(res.body)).not.toMatch(/避難 太郎|旅行者|residentId|headCount/);
      expect((await sut.http.get('/v1/public/municipalities/999999/shelters')).status).toBe(404);
    });

    it('opening a shelter updates what residents see, those serving their district first', async () => {
      const { credential } = await enrolled('SH-5');
      const mine = () => sut.http.get('/v1/resident/shelters').set('Authorization', `Bearer ${credential}`);
      const before = await mine();
      expect(before.body.map((s: { name: string }) => s.name)).toEqual(['さくら台小学校（架空）']);
      const { id } = await byExternalId('E002'); // 赤江町 only
      await act(`${id}/open`);
      const after = await mine();
      expect(
        after.body.map((s: { name: string; servesMyDistrict: boolean }) => [s.name, s.servesMyDistrict]),
      ).toEqual([
        ['さくら台小学校（架空）', true],
        ['東十神ひろば（架空）', false],
      ]);
    });
  });
});
