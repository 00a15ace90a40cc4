import { Role } from '@bousai/domain';
import { ReceiverSimulator, type ReceiverCredentials } from '@bousai/testing';
import { approveAndSend, eventually, type Stack, startStack } from '../fanout/support/fanout-stack';

// the api, the fanout and a receiver share this process on a busy CI box; nothing here asserts on time
jest.setTimeout(90_000);

/** What the routes used here answer, as far as this test reads them. */
interface Answer {
  id: string;
  alerts: { id: string }[];
  serial: string;
  secret: string;
}

describe('an evacuation order reaches a household receiver with its priority and lead-in', () => {
  let sut: Stack;
  let sim: ReceiverSimulator | undefined;
  let base: string;

  beforeAll(async () => {
    sut = await startStack({ fanout: { FANOUT_CHANNELS: 'receiver' } });
    base = `/v1/municipalities/${sut.api.tenants[0].municipalityId}`;
  });
  afterAll(async () => {
    sim?.close();
    await sut.close();
  });

  async function post(path: string, body: object, role: Role): Promise<{ status: number; body: Answer }> {
    return sut.api.http
      .post(`${base}${path}`)
      .set(...(await sut.auth(role)))
      .send(body);
  }

  it('a Level 4 order: 「緊急放送、緊急放送、警戒レベル４、避難開始。」 twice, at emergency priority; its lift at normal', async () => {
    const area = await post('/areas', { code: '07', name: '荒島' }, Role.Admin);
    const household = await post(
      '/households',
      { externalId: 'H-RX-1', areaId: area.body.id, address: '安来市荒島町1' },
      Role.Admin,
    );
    const rx = await post('/receivers', { householdId: household.body.id }, Role.Admin);
    expect(rx.status).toBe(201);
    const creds = rx.body as ReceiverCredentials & { id: string };
    sim = await ReceiverSimulator.start({
      url: sut.url,
      devices: [creds],
      behaviour: { ackMode: 'callback' },
    });
    const device = sim.device(creds.serial);

    const draft = await post(
      '/evacuation-orders',
      { hazard: 'flood', level: 4, districtCodes: ['07'] },
      Role.Operator,
    );
    expect(draft.status).toBe(201);
    // the approver issuing an operator's draft is the second person: it goes out at once
    const issued = await post(
      `/evacuation-orders/${draft.body.id}/issue`,
      { expectedVersion: 1 },
      Role.Approver,
    );
    expect(issued.status).toBe(200);
    const issueAlertId = issued.body.alerts[0].id;

    await eventually(() => device.received.some((a) => a.alertId === issueAlertId));
    const heard = device.received.find((a) => a.alertId === issueAlertId)!;
    expect(heard).toMatchObject({
      severity: 'extreme',
      language: 'ja',
      title: '【警戒レベル４】避難指示（洪水）',
      priority: 'emergency',
      leadIn: '緊急放送、緊急放送、警戒レベル４、避難開始。',
      leadInRepeat: 2,
    });
    expect(heard.leadIn!.repeat(heard.leadInRepeat)).toBe(
      '緊急放送、緊急放送、警戒レベル４、避難開始。緊急放送、緊急放送、警戒レベル４、避難開始。',
    );

    const lifted = await post(`/evacuation-orders/${draft.body.id}/lift`, { expectedVersion: 2 }, Role.Admin);
    expect(lifted.status).toBe(200);
    const liftAlertId = lifted.body.alerts.at(-1)!.id;
    // a lift waits for a second person
    await approveAndSend(sut, liftAlertId);
    await eventually(() => device.received.some((a) => a.alertId === liftAlertId));
    expect(device.received.find((a) => a.alertId === liftAlertId)).toMatchObject({
      priority: 'normal',
      leadIn: '避難情報の解除をお知らせします。',
      leadInRepeat: 1,
    });
  });
});
