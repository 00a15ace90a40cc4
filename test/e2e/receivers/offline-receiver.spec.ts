import { Role } from '@bousai/domain';
import { ReceiverSimulator, type ReceiverCredentials } from '@bousai/testing';
import {
  approveAndSend,
  deliveryViews,
  eventually,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from '../fanout/support/fanout-stack';

// the api, the fanout and a receiver share this process on a busy CI box; nothing here asserts on time
jest.setTimeout(90_000);

describe('a household receiver that is offline when an alert goes out', () => {
  let sut: Stack;
  let sim: ReceiverSimulator | undefined;
  let m: string;

  beforeAll(async () => {
    sut = await startStack({ fanout: { FANOUT_CHANNELS: 'receiver', RECEIVER_ACK_TIMEOUT_MS: '3000' } });
    m = sut.api.tenants[0].municipalityId;
  });
  afterAll(async () => {
    sim?.close();
    await sut.close();
  });

  async function live(alertId: string): Promise<{
    totals: Record<string, number>;
    rates: { reached: number; confirmed: number };
  }> {
    const res = await sut.api.http
      .get(`${sut.alerts()}/${alertId}/live`)
      .set(...(await sut.auth(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as { totals: Record<string, number>; rates: { reached: number; confirmed: number } };
  }

  it('is not sent (nor counted reached) until the receiver connects and takes it; then it is delivered', async () => {
    const areaId = await sut.seed.area(m);
    const householdId = await sut.seed.household(m, areaId);
    const rx = await sut.api.http
      .post(`/v1/municipalities/${m}/receivers`)
      .set(...(await sut.auth(Role.Admin)))
      .send({ householdId });
    expect(rx.status).toBe(201);
    const creds = rx.body as ReceiverCredentials & { id: string };
    // provisioned and once connected, then the power goes
    sim = await ReceiverSimulator.start({
      url: sut.url,
      devices: [creds],
      behaviour: { ackMode: 'callback' },
    });
    const device = sim.device(creds.serial);
    device.goOffline();

    const alertId = await submitted(sut, {
      texts: { ja: { title: '避難指示', body: '荒島地区に避難指示。' } },
      targeting: { areaIds: [areaId] },
      channels: ['receiver'],
    });
    await approveAndSend(sut, alertId);
    await waitForAlert(sut, alertId, 'sent');

    // every attempt found nobody connected: parked for the reconnect, never `sent`
    const [parked] = await deliveryViews(sut, alertId);
    expect(parked).toMatchObject({ endpointId: creds.id, status: 'waiting', errorCode: 'RECEIVER_OFFLINE' });
    const before = await live(alertId);
    expect(before.totals).toMatchObject({ waiting: 1, sent: 0, delivered: 0 });
    expect(before.rates).toMatchObject({ reached: 0, confirmed: 0 });
    expect(device.received).toHaveLength(0);

    await device.goOnline();
    await eventually(() => device.received.some((a) => a.alertId === alertId));
    await eventually(async () => (await deliveryViews(sut, alertId))[0].status === 'delivered');
    const after = await live(alertId);
    expect(after.totals).toMatchObject({ waiting: 0, delivered: 1 });
    expect(after.rates).toMatchObject({ reached: 1, confirmed: 1 });
  });
});
