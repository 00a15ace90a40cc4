import type { AddressInfo } from 'node:net';
import { Role } from '@bousai/domain';
import { ReceiverSimulator, type ReceiverCredentials, type SimulatedReceiver } from '@bousai/testing';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

// argon2 verification of the device secret on connect; nothing here is a timer assertion
jest.setTimeout(30_000);

describe('receiver safety button (安否確認 over /receivers)', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let url: string;
  const sims: ReceiverSimulator[] = [];

  const op = async () => ['Authorization', `Bearer ${await sut.token(yasugi, Role.Operator)}`] as const;
  const m = () => `/v1/municipalities/${yasugi.municipalityId}`;

  beforeAll(async () => {
    sut = await startApi();
    yasugi = sut.tenants[0];
    await sut.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const s of sims.splice(0)) s.close();
  });
  afterAll(() => sut.close());

  /** A household with the given residents and a connected receiver. */
  async function household(
    externalId: string,
    people: { needsAssistance: boolean }[],
  ): Promise<{ device: SimulatedReceiver; residentIds: string[]; receiverId: string }> {
    const hh = await sut.http
      .post(`${m()}/households`)
      .set(...(await op()))
      .send({ externalId, address: '安来市荒島町1' });
    const residentIds: string[] = [];
    for (const [i, p] of people.entries()) {
      const r = await sut.http
        .post(`${m()}/residents`)
        .set(...(await op()))
        .send({ externalId: `${externalId}-${i}`, name: '世帯 員', householdId: hh.body.id, ...p });
      expect(r.status).toBe(201);
      residentIds.push(r.body.id as string);
    }
    const rx = await sut.http
      .post(`${m()}/receivers`)
      .set(...(await op()))
      .send({ householdId: hh.body.id });
    expect(rx.status).toBe(201);
    const creds = rx.body as ReceiverCredentials & { id: string };
    const sim = await ReceiverSimulator.start({ url, devices: [creds], behaviour: { ackMode: 'none' } });
    sims.push(sim);
    return { device: sim.devices[0], residentIds, receiverId: creds.id };
  }

  /** A sent alert that asked everyone; as a correction of `corrects`, it supersedes that one. */
  async function askedAlert(corrects: string | null = null): Promise<string> {
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, safety_request,
                          supersedes_alert_id, sent_at)
       VALUES ($1, 'operator', '{"ja":{"title":"避難指示","body":"避難してください"}}', 'extreme', '{"all":true}',
               '{receiver}', 'sent', true, $2, now()) RETURNING id`,
      [yasugi.municipalityId, corrects],
    );
    if (corrects) {
      await sut.db.dataSource.query(`UPDATE alert SET status = 'superseded' WHERE id = $1`, [corrects]);
    }
    const ask = await sut.http
      .post(`${m()}/alerts/${row.id}/safety-requests`)
      .set(...(await op()))
      .send({});
    expect(ask.status).toBe(201);
    return row.id;
  }

  const current = async (alertId: string, residentId: string) => {
    const [row] = await sut.db.dataSource.query<{ status: string | null; channels: string[] | null }[]>(
      `SELECT s.current_status AS status, array_remove(array_agg(r.channel), NULL) AS channels
         FROM safety_request s LEFT JOIN safety_response r ON r.safety_request_id = s.id
        WHERE s.alert_id = $1 AND s.resident_id = $2 GROUP BY s.current_status`,
      [alertId, residentId],
    );
    return row;
  };

  it("records the button as the household's 要援護者' answer, audited with the receiver as actor", async () => {
    const { device, residentIds, receiverId } = await household('RXS-1', [
      { needsAssistance: true },
      { needsAssistance: false },
    ]);
    const alertId = await askedAlert();
    expect(await device.safety(alertId, 'need_help')).toEqual({ ok: true });
    expect(await current(alertId, residentIds[0])).toEqual({ status: 'need_help', channels: ['receiver'] });
    expect(await current(alertId, residentIds[1])).toEqual({ status: null, channels: [] });

    const audit = await sut.db.dataSource.query<
      { actorType: string; actorId: string; targetIds: string[] }[]
    >(
      `SELECT actor_type AS "actorType", actor_id AS "actorId", target_ids AS "targetIds" FROM audit_log
        WHERE action = 'safety.answer' AND details->>'alertId' = $1`,
      [alertId],
    );
    expect(audit).toEqual([{ actorType: 'receiver', actorId: receiverId, targetIds: [residentIds[0]] }]);
  });

  it('in a household without 要援護者 the button answers for everyone of it who was asked', async () => {
    const { device, residentIds } = await household('RXS-2', [
      { needsAssistance: false },
      { needsAssistance: false },
    ]);
    const alertId = await askedAlert();
    expect(await device.safety(alertId, 'safe')).toEqual({ ok: true });
    for (const id of residentIds) expect((await current(alertId, id)).status).toBe('safe');
  });

  it('a button pressed for an alert a correction replaced answers the correction', async () => {
    const { device, residentIds } = await household('RXS-4', [{ needsAssistance: true }]);
    const first = await askedAlert();
    const fix = await askedAlert(first);
    // the receiver still shows the first alert
    expect(await device.safety(first, 'safe')).toEqual({ ok: true });
    expect(await current(fix, residentIds[0])).toEqual({ status: 'safe', channels: ['receiver'] });
    expect((await current(first, residentIds[0])).status).toBeNull();
  });

  it('refuses an alert that did not ask the household, and a malformed answer', async () => {
    const { device } = await household('RXS-3', [{ needsAssistance: true }]);
    const [unasked] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status)
       VALUES ($1, 'operator', '{"ja":{"title":"t","body":"b"}}', 'minor', '{"all":true}', '{receiver}', 'sent')
       RETURNING id`,
      [yasugi.municipalityId],
    );
    expect(await device.safety(unasked.id, 'safe')).toMatchObject({
      ok: false,
      error: { code: 'NOT_ASKED' },
    });
    expect(await device.safety(unasked.id, 'fine')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});
