import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import {
  RECEIVER_NAMESPACE,
  ReceiverBus,
  receiverRooms,
  type DeliveryTarget,
  type OutgoingMessage,
} from '@bousai/channels';
import { ReceiverChannelAdapter } from '@bousai/channels/senders';
import { loadConfig } from '@bousai/config';
import { Channel, EvacuationLevel, hashDeviceSecret, OrderMessageKind } from '@bousai/domain';
import { ReceiverSimulator, testQueuePrefix, type ReceiverCredentials } from '@bousai/testing';
import { startApi, type ApiHarness } from '../../e2e/support/api-harness';

// group-commit waits add up on a busy CI box; nothing here is a timer assertion
jest.setTimeout(30_000);

const SECRET = 'rxs_integration-secret-shared-by-every-simulated-device';
const DEVICES = 100;

describe(ReceiverChannelAdapter.name, () => {
  let api: ApiHarness;
  let url: string;
  let sut: ReceiverChannelAdapter;
  let sim: ReceiverSimulator;
  let prefix: string;
  let redisUrl: string;
  let householdId: string;
  let areaId: string;
  /** endpoint id per serial */
  const endpoints = new Map<string, string>();
  /** Another server on the same Redis, to look at the api's sockets from outside. */
  let observer: { io: Server; bus: ReceiverBus };
  const socketsOf = (serial: string) =>
    observer.io
      .of(RECEIVER_NAMESPACE)
      .in(receiverRooms.endpoint(endpoints.get(serial)!))
      .fetchSockets();

  const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    alertId: '8d7f5c1e-1b7a-4f3e-9a51-0c5a3c2b1d10',
    severity: 'extreme',
    isDrill: true,
    safetyRequest: true,
    texts: {
      ja: { title: '【訓練】避難指示', body: '【訓練】荒島地区に避難指示。' },
      en: { title: '[DRILL] Evacuate', body: '[DRILL] Arashima: evacuate now.' },
    },
    expiresAt: Date.parse('2030-01-01T00:00:00Z'),
    ...overrides,
  });

  let nextDeliveryId = 1_000;
  const target = (serial: string, language = 'ja'): DeliveryTarget => ({
    deliveryId: String(nextDeliveryId++),
    endpointId: endpoints.get(serial)!,
    address: serial,
    language,
  });

  beforeAll(async () => {
    prefix = testQueuePrefix();
    redisUrl = loadConfig('fanout').REDIS_URL;
    api = await startApi({ QUEUE_PREFIX: prefix });
    await api.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;

    const mid = api.tenants[0].municipalityId;
    const q = api.db.dataSource.query.bind(api.db.dataSource);
    [{ id: areaId }] = await q(
      `INSERT INTO area (municipality_id, code, name) VALUES ($1, '07', '荒島') RETURNING id`,
      [mid],
    );
    [{ id: householdId }] = await q(
      `INSERT INTO household (municipality_id, external_id, area_id, address) VALUES ($1, 'H-1', $2, '荒島町') RETURNING id`,
      [mid, areaId],
    );
    const serials = Array.from({ length: DEVICES }, (_, i) => `SIM-${String(i + 1).padStart(6, '0')}`);
    const rows: { id: string; address: string }[] = await q(
      `INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
       SELECT $1, $2, $3, s, $4 FROM unnest($5::text[]) AS s RETURNING id, address`,
      [mid, householdId, Channel.Receiver, hashDeviceSecret(SECRET), serials],
    );
    for (const r of rows) endpoints.set(r.address, r.id);

    const devices: ReceiverCredentials[] = serials.map((serial) => ({ serial, secret: SECRET }));
    sim = await ReceiverSimulator.start({ url, devices, behaviour: { ackDelayMs: 5 } });

    // the fanout's side: its own socket.io server, which never listens, on the same Redis
    sut = new ReceiverChannelAdapter({ redisUrl, queuePrefix: prefix, ackTimeoutMs: 1_000 });
    sut.start();
    expect(await sut.whenReady(5_000)).toBe(true);

    observer = {
      io: new Server(),
      bus: ReceiverBus.open({ redisUrl, queuePrefix: prefix, connectionName: 'bousai-test' }),
    };
    observer.bus.attach(observer.io);
    observer.io.of(RECEIVER_NAMESPACE);
    expect(await observer.bus.whenReady(5_000)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    sim?.close();
    await sut?.onModuleDestroy();
    await observer?.bus.close(observer.io);
    await api?.close();
  });

  it('reaches every receiver connected to the api and reports each ack as delivered at the device time', async () => {
    const targets = sim.devices.map((d) => target(d.serial));
    const before = Date.now();

    const outcomes = await sut.send(targets, message());

    expect(outcomes).toHaveLength(DEVICES);
    for (const [i, o] of outcomes.entries()) {
      expect(o).toEqual({ deliveryId: targets[i].deliveryId, kind: 'delivered', at: expect.any(Number) });
      if (o.kind === 'delivered') expect(o.at).toBeGreaterThanOrEqual(before - 5);
    }
    const first = sim.device('SIM-000001');
    expect(first.received.at(-1)).toEqual({
      deliveryId: targets[0].deliveryId,
      alertId: '8d7f5c1e-1b7a-4f3e-9a51-0c5a3c2b1d10',
      severity: 'extreme',
      isDrill: true,
      safetyRequest: true,
      language: 'ja',
      title: '【訓練】避難指示',
      body: '【訓練】荒島地区に避難指示。',
      expiresAt: '2030-01-01T00:00:00.000Z',
      // not an evacuation order: played by its severity, without a lead-in
      priority: 'emergency',
      leadIn: null,
      leadInRepeat: 1,
    });
    expect(sim.stats().duplicates).toBe(0);
  });

  it("leads an evacuation order's alert with its spoken lead-in, in the language of the text sent", async () => {
    const [ja, en] = [target('SIM-000004', 'ja'), target('SIM-000005', 'en')];
    const outcomes = await sut.send(
      [ja, en],
      message({
        evacuationMessage: { kind: OrderMessageKind.Issue, level: EvacuationLevel.EvacuationInstruction },
      }),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['delivered', 'delivered']);
    expect(sim.device('SIM-000004').received.at(-1)).toMatchObject({
      language: 'ja',
      priority: 'emergency',
      leadIn: '緊急放送、緊急放送、警戒レベル４、避難開始。',
      leadInRepeat: 2,
    });
    expect(sim.device('SIM-000005').received.at(-1)).toMatchObject({
      language: 'en',
      priority: 'emergency',
      leadIn: 'Emergency broadcast, emergency broadcast. Alert Level 4. Evacuate now.',
      leadInRepeat: 2,
    });
  });

  it("sends each target its own language, the next of its fallback chain when the alert has none of it, and cancellation notices' origin", async () => {
    const [en, vi] = [target('SIM-000002', 'en'), target('SIM-000003', 'vi')];
    const outcomes = await sut.send(
      [en, vi],
      message({ cancelsAlertId: '1f0e3c1a-6c1d-4c55-8e0a-7b4a0a2f9c11' }),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['delivered', 'delivered']);
    expect(sim.device('SIM-000002').received.at(-1)).toMatchObject({
      deliveryId: en.deliveryId,
      language: 'en',
      title: '[DRILL] Evacuate',
      cancelsAlertId: '1f0e3c1a-6c1d-4c55-8e0a-7b4a0a2f9c11',
    });
    expect(sim.device('SIM-000003').received.at(-1)).toMatchObject({ language: 'en' });
  });

  it('asks for a retry at once when the receiver is offline, and after the timeout when it stays silent', async () => {
    const offline = sim.device('SIM-000004');
    const silent = sim.device('SIM-000005');
    offline.goOffline();
    while ((await socketsOf(offline.serial)).length > 0) await new Promise((r) => setTimeout(r, 10));
    silent.behaviour = { ...silent.behaviour, ackMode: 'none' };
    try {
      const [o] = await sut.send([target(offline.serial)], message());
      // answered by the api processes' socket counts, not by the ack timeout
      expect(o).toMatchObject({ kind: 'retry', errorCode: 'RECEIVER_OFFLINE' });

      const [s] = await sut.send([target(silent.serial)], message());
      expect(s).toMatchObject({ kind: 'retry', errorCode: 'RECEIVER_ACK_TIMEOUT' });
      expect(silent.received.at(-1)?.deliveryId).toBe(String(nextDeliveryId - 1));
    } finally {
      silent.behaviour = { ...silent.behaviour, ackMode: 'callback' };
      await offline.goOnline();
    }
  });

  it('places each receiver in its endpoint, household, area and municipality rooms, visible from another server', async () => {
    const nsp = observer.io.of(RECEIVER_NAMESPACE);
    const endpointId = endpoints.get('SIM-000006')!;
    const [own] = await socketsOf('SIM-000006');
    expect(own.data).toMatchObject({ receiver: { endpointId, serial: 'SIM-000006', householdId, areaId } });
    expect(own.rooms).toEqual(
      new Set([
        own.id,
        receiverRooms.endpoint(endpointId),
        receiverRooms.household(householdId),
        receiverRooms.area(areaId),
        receiverRooms.municipality(api.tenants[0].municipalityId),
      ]),
    );
    expect(await nsp.in(receiverRooms.area(areaId)).fetchSockets()).toHaveLength(DEVICES);
  });

  it('reports retries without trying when its Redis is unreachable', async () => {
    const cut = new ReceiverChannelAdapter({
      redisUrl: 'redis://127.0.0.1:1',
      queuePrefix: prefix,
      ackTimeoutMs: 1_000,
    });
    cut.start();
    try {
      const [o] = await cut.send([target('SIM-000007')], message());
      expect(o).toMatchObject({ kind: 'retry', errorCode: 'RECEIVER_BUS_UNAVAILABLE' });
    } finally {
      await cut.onModuleDestroy();
    }
  });
});
