import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

const CAP_XSD = {
  fileName: 'cap-1.2.xsd',
  contents: readFileSync(join(__dirname, '../../fixtures/cap-schema/cap-1.2.xsd'), 'utf8'),
};

const parser = new XMLParser({ isArray: (n) => ['entry', 'info', 'geocode'].includes(n) });

interface CapInfo {
  responseType?: string;
  area: { areaDesc: string; geocode: { valueName: string; value: string | number }[] };
}

interface Cap {
  identifier: string;
  sender: string;
  sent: string;
  msgType: string;
  references?: string;
  info: CapInfo[];
}

describe('CAP out for evacuation orders: one thread per order (Alert, Updates, AllClear, Cancel)', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;
  let code: string;

  const bearer = async (role: Role) => ['Authorization', `Bearer ${await sut.token(yasugi, role)}`] as const;

  beforeAll(async () => {
    sut = await startApi({ PUBLIC_BASE_URL: 'https://bousai.example.jp' });
    [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    for (const [areaCode, name, jmaCityCode] of [
      ['01', '飯島町', '3220600'],
      ['02', '荒島町', '3220601'],
    ]) {
      const res = await sut.http
        .post(`${base}/areas`)
        .set(...(await bearer(Role.Admin)))
        .send({ code: areaCode, name, jmaCityCode });
      expect(res.status).toBe(201);
    }
    [{ code }] = await sut.db.dataSource.query<{ code: string }[]>(
      'SELECT code FROM municipality WHERE id = $1',
      [yasugi.municipalityId],
    );
  });
  afterAll(() => sut.close());

  async function step(path: string, body: object, role: Role): Promise<string> {
    const res = await sut.http
      .post(`${base}/evacuation-orders${path}`)
      .set(...(await bearer(role)))
      .send(body);
    expect(res.status).toBe(path === '' ? 201 : 200);
    return (path === '' ? res.body.id : res.body.alerts[0].id) as string;
  }

  async function cap(alertId: string): Promise<Cap> {
    const res = await sut.http.get(`/v1/public/alerts/${alertId}/cap`);
    expect(res.status).toBe(200);
    const result = await validateXML({
      xml: [{ fileName: 'alert.xml', contents: res.text }],
      schema: [CAP_XSD],
    });
    expect(result.errors.map((e) => e.message)).toEqual([]);
    return (parser.parse(res.text) as { alert: Cap }).alert;
  }

  const ref = (c: Cap) => `${c.sender},${c.identifier},${c.sent}`;

  it('issue → extend → lift: Alert, then Updates referencing the earlier messages, the lift an AllClear', async () => {
    const order = await step('', { hazard: 'flood', level: 5, districtCodes: ['01'] }, Role.Admin);
    // an admin's Level 5 goes out at once
    const issueId = await step(`/${order}/issue`, { expectedVersion: 1 }, Role.Admin);
    const extendId = await step(`/${order}/districts`, { expectedVersion: 2, add: ['02'] }, Role.Admin);
    const liftId = await step(`/${order}/lift`, { expectedVersion: 3 }, Role.Admin);
    // the lift waits for a second person
    const alerts = `${base}/alerts/${liftId}`;
    expect((await sut.http.post(`${alerts}/approve`).set(...(await bearer(Role.Approver)))).status).toBe(200);
    expect((await sut.http.post(`${alerts}/send`).set(...(await bearer(Role.Operator)))).status).toBe(200);

    const issue = await cap(issueId);
    expect(issue.msgType).toBe('Alert');
    expect(issue.references).toBeUndefined();
    expect(issue.info[0].responseType).toBe('Evacuate');
    expect(issue.info[0].area.areaDesc).toContain('飯島町');
    expect(issue.info[0].area.geocode.map((g) => [g.valueName, String(g.value)])).toEqual([
      ['JMA-CITY', '3220600'],
    ]);

    const extend = await cap(extendId);
    expect(extend.msgType).toBe('Update');
    expect(extend.references).toBe(ref(issue));
    expect(extend.info[0].area.areaDesc).toContain('荒島町');
    expect(extend.info[0].area.geocode.map((g) => String(g.value))).toContain('3220601');

    const lift = await cap(liftId);
    expect(lift.msgType).toBe('Update');
    expect(lift.references).toBe(`${ref(issue)} ${ref(extend)}`);
    for (const info of lift.info) expect(info.responseType).toBe('AllClear');
    expect(lift.info[0].area.geocode.map((g) => String(g.value)).sort()).toEqual(['3220600', '3220601']);

    // all three are in the municipality's feed
    const feed = await sut.http.get(`/v1/public/municipalities/${code}/cap.atom`);
    expect(feed.status).toBe(200);
    const entries = (parser.parse(feed.text) as { feed: { entry?: { id: string }[] } }).feed.entry ?? [];
    expect(entries.map((e) => e.id)).toEqual(
      expect.arrayContaining([issue, extend, lift].map((c) => c.identifier)),
    );
  });

  it('a retraction is a Cancel referencing the order’s earlier messages', async () => {
    const order = await step('', { hazard: 'landslide', level: 5, districtCodes: ['02'] }, Role.Admin);
    const issueId = await step(`/${order}/issue`, { expectedVersion: 1 }, Role.Admin);
    const retractId = await step(`/${order}/retract`, { expectedVersion: 2, reason: '誤発令' }, Role.Admin);
    const issue = await cap(issueId);
    const retract = await cap(retractId);
    expect(retract.msgType).toBe('Cancel');
    expect(retract.references).toBe(ref(issue));
    expect(retract.info[0].area.areaDesc).toContain('荒島町');
  });
});
