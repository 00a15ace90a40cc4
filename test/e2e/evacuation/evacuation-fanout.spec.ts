import { Role } from '@bousai/domain';
import { dataOf, type Stack, startStack, waitForAlert } from '../fanout/support/fanout-stack';

// the api, the fanout and the fake FCM share this process on a busy CI box; nothing here asserts on time
jest.setTimeout(90_000);

describe('an evacuation order reaches the residents of its districts through the fan-out', () => {
  let sut: Stack;

  beforeAll(async () => {
    sut = await startStack({ fanout: { RECEIVER_ACK_TIMEOUT_MS: '3000' } });
  });
  afterAll(() => sut.close());

  /** A resident of `areaId` reading `language`, with one app token; resolves to the token. */
  async function resident(m: string, areaId: string, language: string): Promise<string> {
    const householdId = await sut.seed.household(m, areaId);
    const r = await sut.seed.resident(m, { householdId, language });
    const endpointId = await sut.seed.fcm(m, r);
    const [row] = await sut.api.db.dataSource.query<{ address: string }[]>(
      'SELECT address FROM endpoint WHERE id = $1',
      [endpointId],
    );
    return row.address;
  }

  it('issued: each resident of the districts gets it once in their language; lifted after approval: 解除', async () => {
    const m = sut.api.tenants[0].municipalityId;
    const [inside, outside] = [await sut.seed.area(m), await sut.seed.area(m)];
    const [{ code }] = await sut.api.db.dataSource.query<{ code: string }[]>(
      'SELECT code FROM area WHERE id = $1',
      [inside],
    );
    const ja = await resident(m, inside, 'ja');
    const en = await resident(m, inside, 'en');
    const away = await resident(m, outside, 'ja');
    const base = `/v1/municipalities/${m}/evacuation-orders`;

    const created = await sut.api.http
      .post(base)
      .set(...(await sut.auth(Role.Operator)))
      .send({ hazard: 'flood', level: 4, districtCodes: [code] });
    expect(created.status).toBe(201);
    const issued = await sut.api.http
      .post(`${base}/${created.body.id}/issue`)
      .set(...(await sut.auth(Role.Approver)))
      .send({ expectedVersion: 1 });
    expect(issued.status).toBe(200);
    const issueAlert = issued.body.alerts[0].id as string;
    await waitForAlert(sut, issueAlert, 'sent');

    const got = (alertId: string) => sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId);
    const issue = got(issueAlert);
    expect(issue.map((r) => r.token).sort()).toEqual([ja, en].sort());
    expect(issue.some((r) => r.token === away)).toBe(false);
    const byToken = new Map(issue.map((r) => [r.token, dataOf(r)]));
    expect(byToken.get(ja)).toMatchObject({ language: 'ja', title: '【警戒レベル４】避難指示（洪水）' });
    expect(byToken.get(en)?.language).toBe('en');
    expect(byToken.get(en)?.body).toContain('Alert Level 4');

    // the lift waits for a second person (the approver who lifted cannot approve it), then goes out
    const lifted = await sut.api.http
      .post(`${base}/${created.body.id}/lift`)
      .set(...(await sut.auth(Role.Approver)))
      .send({ expectedVersion: 2 });
    expect(lifted.status).toBe(200);
    const liftAlert = lifted.body.alerts[0].id as string;
    expect(got(liftAlert)).toEqual([]);
    const alerts = sut.alerts();
    expect(
      (await sut.api.http.post(`${alerts}/${liftAlert}/approve`).set(...(await sut.auth(Role.Approver))))
        .status,
    ).toBe(403);
    expect(
      (await sut.api.http.post(`${alerts}/${liftAlert}/approve`).set(...(await sut.auth(Role.Admin)))).status,
    ).toBe(200);
    expect(
      (await sut.api.http.post(`${alerts}/${liftAlert}/send`).set(...(await sut.auth(Role.Operator)))).status,
    ).toBe(200);
    await waitForAlert(sut, liftAlert, 'sent');
    const lift = got(liftAlert);
    expect(lift.map((r) => r.token).sort()).toEqual([ja, en].sort());
    expect(dataOf(lift.find((r) => r.token === ja)!).body).toContain('解除されました');
  });
});
