import { parse } from 'csv-parse/sync';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

/**
 * Any alert's report (the alert detail screen's per-district rates and its CSV export): the same figures as a
 * drill's, for operators and above only since it names the silent residents.
 */
describe('alert report: per district, silent residents, CSV for Excel', () => {
  let sut: ApiHarness;
  let mid: string;
  let alerts: string;
  let alertId: string;
  const residents: Record<string, string> = {};

  const as = async (role: Role) =>
    ['Authorization', `Bearer ${await sut.token(sut.tenants[0], role)}`] as const;

  beforeAll(async () => {
    sut = await startApi();
    mid = sut.tenants[0].municipalityId;
    alerts = `/v1/municipalities/${mid}/alerts`;
    const q = sut.db.dataSource.query.bind(sut.db.dataSource);
    // two districts; in each a household of a 要援護者 and a neighbour
    for (const [code, name] of [
      ['01', '荒島'],
      ['02', '赤江'],
    ]) {
      const [area] = await q(
        `INSERT INTO area (municipality_id, code, name) VALUES ($1, $2, $3) RETURNING id`,
        [mid, code, name],
      );
      const [hh] = await q(
        `INSERT INTO household (municipality_id, external_id, area_id, address) VALUES ($1, $2, $3, $4) RETURNING id`,
        [mid, `H${code}`, area.id, `安来市${name}町`],
      );
      for (const [suffix, needs] of [
        ['a', true],
        ['b', false],
      ] as const) {
        const [r] = await q(
          `INSERT INTO resident (municipality_id, external_id, household_id, name, needs_assistance, consent_scopes)
           VALUES ($1, $2, $3, $4, $5, '{alerts,safety}') RETURNING id`,
          [mid, `R${code}${suffix}`, hh.id, `${name}${suffix}`, needs],
        );
        residents[`${code}${suffix}`] = r.id;
      }
    }
    const op = await as(Role.Operator);
    const created = await sut.http
      .post(alerts)
      .set(...op)
      .send({
        texts: { ja: { title: '=避難指示', body: '避難してください。' } },
        severity: 'extreme',
        targeting: { all: true },
        channels: ['fcm'],
        safetyRequest: true,
      });
    expect(created.status).toBe(201);
    alertId = created.body.id;
    expect((await sut.http.post(`${alerts}/${alertId}/submit`).set(...op)).status).toBe(200);
    expect(
      (await sut.http.post(`${alerts}/${alertId}/approve`).set(...(await as(Role.Approver)))).status,
    ).toBe(200);
    expect((await sut.http.post(`${alerts}/${alertId}/send`).set(...op)).status).toBe(200);
    const asked = await sut.http
      .post(`${alerts}/${alertId}/safety-requests`)
      .set(...op)
      .send({});
    expect(asked.status).toBe(201);
    expect(asked.body.asked).toBe(4);
    // in 荒島 both answer, in 赤江 only the neighbour
    for (const key of ['01a', '01b', '02b']) {
      const res = await sut.http
        .post(`${alerts}/${alertId}/safety-responses`)
        .set(...op)
        .send({ residentId: residents[key], answer: 'safe', channel: 'phone' });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => sut.close());

  it('gives the rates per district and the silent 要援護者, with no comparison with drills', async () => {
    const res = await sut.http.get(`${alerts}/${alertId}/report`).set(...(await as(Role.Operator)));
    expect(res.status).toBe(200);
    const all = (
      res.body.districts as { areaName: string; asked: number; answered: number; rate: number }[]
    ).map((d) => ({ name: d.areaName, asked: d.asked, answered: d.answered, rate: d.rate }));
    expect(all).toEqual([
      { name: '荒島', asked: 2, answered: 2, rate: 1 },
      { name: '赤江', asked: 2, answered: 1, rate: 0.5 },
    ]);
    expect(res.body.nonResponders.map((r: { name: string }) => r.name)).toEqual(['赤江a']);
    expect(res.body.comparison).toEqual([]);
  });

  it('exports a CSV that Excel opens: UTF-8 with a BOM, the alert named, the title neutralised', async () => {
    const res = await sut.http
      .get(`${alerts}/${alertId}/report?format=csv`)
      .set(...(await as(Role.Admin)))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="alert-${alertId}.csv"`);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.toString('utf8').slice(1), { relax_column_count: true });
    expect(rows[0]).toEqual(['警報 / alert', "'=避難指示"]);
    expect(rows.some((r) => r[1] === '赤江' && r[3] === '2' && r[4] === '1')).toBe(true);
  });

  it('refuses a viewer (the report names residents) and an alert of another municipality', async () => {
    expect((await sut.http.get(`${alerts}/${alertId}/report`).set(...(await as(Role.Viewer)))).status).toBe(
      403,
    );
    const other = `/v1/municipalities/${sut.tenants[1].municipalityId}/alerts/${alertId}/report`;
    const res = await sut.http.get(other).set(...(await as(Role.Operator)));
    expect(res.status).toBe(403);
  });
});
