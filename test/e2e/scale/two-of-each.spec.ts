import { io, type Socket } from 'socket.io-client';
import { hashDeviceSecret, newSecret, Role } from '@bousai/domain';
import { ReceiverSimulator } from '@bousai/testing';
import { countBy, dataOf, eventually } from '../fanout/support/fanout-stack';
import {
  AckClient,
  call,
  canonical,
  countsInDatabase,
  deliveriesRecordedBy,
  expectAlertStatus,
  signIn,
  startTopology,
  type Topology,
  total,
} from './support/two-of-each';

// four apps started from source as separate processes, a few thousand recipients; no timing assertions
jest.setTimeout(1_800_000);

const FCM_AUDIENCE = 3_000;
const RECEIVERS = 120;
const KILL_AUDIENCE = 6_000;
const BATCH = 100;
const CONCURRENCY = 2;
/** Each fanout sends at most this many FCM messages a minute: the work is spread over many batches and seconds. */
const QUOTA_PER_MINUTE = 30_000;

describe('two api and two fanout processes on one Postgres and one Redis', () => {
  let sut: Topology;
  const sims: ReceiverSimulator[] = [];
  const sockets: Socket[] = [];
  const secret = newSecret('rxs');

  beforeAll(async () => {
    sut = await startTopology({
      FANOUT_BATCH_SIZE: String(BATCH),
      FANOUT_PLAN_CHUNK_SIZE: '500',
      FANOUT_CONCURRENCY_FCM: String(CONCURRENCY),
      FANOUT_CONCURRENCY_RECEIVER: String(CONCURRENCY),
      FCM_QUOTA_PER_MINUTE: String(QUOTA_PER_MINUTE),
      // a killed fanout's BullMQ jobs and the rows it claimed are taken up by the other within seconds
      FANOUT_JOB_LOCK_MS: '5000',
      FANOUT_LEASE_TTL_MS: '8000',
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const sim of sims) sim.close();
    await sut?.close();
  });

  const alerts = () => `/v1/municipalities/${sut.tenant.municipalityId}/alerts`;

  /** Created and submitted through api #1, approved through api #2, sent through api #1. */
  async function sendAlert(areaId: string, channels: string[]): Promise<string> {
    const [api1, api2] = sut.apis;
    const operator = await signIn(api1, sut.tenant, Role.Operator);
    const approver = await signIn(api2, sut.tenant, Role.Approver);
    const created = await expectAlertStatus(
      call(api1, 'POST', alerts(), {
        token: operator,
        body: {
          severity: 'extreme',
          channels,
          texts: { ja: { title: '避難指示', body: '直ちに避難してください。' } },
          targeting: { areaIds: [areaId] },
        },
      }),
      'draft',
    );
    const id = created.id as string;
    await expectAlertStatus(
      call(api1, 'POST', `${alerts()}/${id}/submit`, { token: operator }),
      'pending_approval',
    );
    await expectAlertStatus(call(api2, 'POST', `${alerts()}/${id}/approve`, { token: approver }), 'approved');
    await expectAlertStatus(call(api1, 'POST', `${alerts()}/${id}/send`, { token: operator }), 'dispatching');
    return id;
  }

  async function alertStatus(alertId: string, apiIndex = 0): Promise<string> {
    const token = await signIn(sut.apis[apiIndex], sut.tenant, Role.Viewer);
    const res = await call(sut.apis[apiIndex], 'GET', `${alerts()}/${alertId}`, { token });
    return res.body.status as string;
  }

  /** FCM messages of the alert at the fake, with the delivery id and signed ack token they carry. */
  const fcmOf = (alertId: string) =>
    sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId && r.status === 200);

  const addressesOf = async (alertId: string, channel: string) =>
    (
      await sut.db.dataSource.query<{ address: string }[]>(
        `SELECT e.address FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
          WHERE d.alert_id = $1 AND d.channel = $2`,
        [alertId, channel],
      )
    ).map((r) => r.address);

  it('sends to every recipient exactly once, shares the batches, records acks through both apis, and both live views agree with the database', async () => {
    const m = sut.tenant.municipalityId;
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, FCM_AUDIENCE);
    const devices = Array.from({ length: RECEIVERS }, (_, i) => ({
      serial: `SCALE-${String(i).padStart(4, '0')}`,
      secret,
    }));
    await sut.db.dataSource.query(
      `WITH s AS (SELECT serial FROM unnest($3::text[]) AS s(serial)),
            h AS (INSERT INTO household (municipality_id, external_id, area_id, address)
                  SELECT $1, serial, $2, '住所' FROM s RETURNING id, external_id)
       INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
       SELECT $1, h.id, 'receiver', h.external_id, $4 FROM h`,
      [m, areaId, devices.map((d) => d.serial), hashDeviceSecret(secret)],
    );
    // half the household receivers hold their socket.io connection at each api: the fanouts reach them through
    // the Redis adapter, and their acknowledgements come back the same way
    for (const [i, api] of sut.apis.entries()) {
      sims.push(
        await ReceiverSimulator.start({
          url: api.url,
          devices: devices.filter((_, k) => k % 2 === i),
          connectConcurrency: 20,
        }),
      );
    }
    // an operator watches the live view on api #2
    const viewer = await signIn(sut.apis[1], sut.tenant, Role.Viewer);
    const socket = io(`${sut.apis[1].url}/operators`, {
      transports: ['websocket'],
      auth: { token: viewer },
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const pushed: { byChannel: Record<string, Record<string, number>> }[] = [];
    socket.on('counters', (v: { byChannel: Record<string, Record<string, number>> }) => pushed.push(v));

    const before = await Promise.all(sut.fanouts.map(deliveriesRecordedBy));
    const alertId = await sendAlert(areaId, ['receiver', 'fcm']);
    expect(await socket.emitWithAck('watch', { alertId })).toMatchObject({ ok: true });
    await eventually(async () => (await alertStatus(alertId)) === 'sent', 300_000);

    // every app user exactly once, counted at the fake
    const tokens = await addressesOf(alertId, 'fcm');
    expect(tokens).toHaveLength(FCM_AUDIENCE);
    expect(countBy(fcmOf(alertId), (r) => r.token)).toEqual(Object.fromEntries(tokens.map((t) => [t, 1])));
    // every receiver exactly once, counted at the devices, whichever api they are connected to
    const copies = sims.flatMap((sim) => sim.devices.map((d) => d.received.length + d.duplicates));
    expect(copies).toEqual(devices.map(() => 1));

    // both fanouts did part of the work, and between them exactly the whole of it
    const after = await Promise.all(sut.fanouts.map(deliveriesRecordedBy));
    const share = after.map((a, i) => total(a) - total(before[i]));
    expect(share.every((n) => n > 0)).toBe(true);
    expect(share[0] + share[1]).toBe(FCM_AUDIENCE + RECEIVERS);

    // each phone acks by the signed token its push carried, through the two apis in turn
    const acks = new AckClient(sut.apis);
    await acks.ackAll(
      fcmOf(alertId).map((r) => ({ deliveryId: dataOf(r).deliveryId, token: dataOf(r).ackToken })),
    );
    expect(countBy([...acks.recordedBy.values()], String)).toEqual({
      '0': FCM_AUDIENCE / 2,
      '1': FCM_AUDIENCE / 2,
    });
    expect(acks.retried).toBe(0);
    const want = { fcm: { delivered: FCM_AUDIENCE }, receiver: { delivered: RECEIVERS } };
    expect(await countsInDatabase(sut.db, alertId)).toEqual(want);

    // the live view, as a REST snapshot from each api and as pushed over socket.io by api #2
    for (const api of sut.apis) {
      const token = await signIn(api, sut.tenant, Role.Viewer);
      const snapshot = await call(api, 'GET', `${alerts()}/${alertId}/live`, { token });
      expect(snapshot.status).toBe(200);
      expect(snapshot.body.byChannel).toEqual(want);
    }
    await eventually(() => pushed.some((v) => canonical(v.byChannel) === canonical(want)), 60_000);
  });

  it('a fanout and an api killed with SIGKILL mid-alert change nothing but timing', async () => {
    const m = sut.tenant.municipalityId;
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, KILL_AUDIENCE);
    const [survivor, victim] = sut.fanouts;
    const [{ id: victimLease }] = await sut.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM fanout_instance WHERE pid = $1`,
      [victim.child.pid],
    );

    const alertId = await sendAlert(areaId, ['fcm']);
    // phones ack as their pushes arrive, through both apis (the client retries on the other when one is gone)
    const acks = new AckClient(sut.apis);
    const acked = new Set<string>();
    let streaming = true;
    const stream = (async () => {
      while (streaming || acked.size < new Set(fcmOf(alertId).map((r) => dataOf(r).deliveryId)).size) {
        const fresh = fcmOf(alertId)
          .map((r) => ({ deliveryId: dataOf(r).deliveryId, token: dataOf(r).ackToken }))
          .filter((a) => !acked.has(a.deliveryId));
        for (const a of fresh) acked.add(a.deliveryId);
        if (fresh.length > 0) await acks.ackAll(fresh, 8);
        else await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // the victim has sent batches, and most of the audience is still to go
    const victimBefore = total(await deliveriesRecordedBy(victim));
    await eventually(
      async () => total(await deliveriesRecordedBy(victim)) - victimBefore >= 3 * BATCH,
      120_000,
    );
    expect(await victim.kill()).toBe('SIGKILL');
    // the rows it had claimed and not recorded: the requests in flight at the kill, the only ones that may go twice
    const inFlight = new Set(
      (
        await sut.db.dataSource.query<{ address: string }[]>(
          `SELECT e.address FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
            WHERE d.alert_id = $1 AND d.claimed_by = $2 AND d.status = 'queued'`,
          [alertId, victimLease],
        )
      ).map((r) => r.address),
    );
    expect(inFlight.size).toBeLessThanOrEqual(CONCURRENCY * BATCH);
    expect(fcmOf(alertId).length).toBeLessThan(KILL_AUDIENCE);

    // api #2 dies while acks are streaming through it
    await eventually(() => acks.recordedBy.size >= 500, 120_000);
    expect(await sut.apis[1].kill()).toBe('SIGKILL');
    const survivorBefore = total(await deliveriesRecordedBy(survivor));

    await eventually(async () => (await alertStatus(alertId, 0)) === 'sent', 300_000);
    streaming = false;
    await stream;

    const tokens = await addressesOf(alertId, 'fcm');
    expect(tokens).toHaveLength(KILL_AUDIENCE);
    const perToken = countBy(fcmOf(alertId), (r) => r.token);
    // everyone at least once
    expect(tokens.filter((t) => !perToken[t])).toEqual([]);
    // twice only for requests in flight at the kill, never three times (docs/architecture.md, crash recovery)
    const twice = Object.keys(perToken).filter((t) => perToken[t] > 1);
    expect(twice.filter((t) => !inFlight.has(t))).toEqual([]);
    expect(twice.filter((t) => perToken[t] > 2)).toEqual([]);
    // the survivor finished the alert
    expect(total(await deliveriesRecordedBy(survivor))).toBeGreaterThan(survivorBefore);
    // every ack was recorded: some through the api that died, the rest retried on the other
    expect(acks.retried).toBeGreaterThan(0);
    expect(new Set(acks.recordedBy.values())).toEqual(new Set([0, 1]));
    expect(acks.recordedBy.size).toBe(KILL_AUDIENCE);
    expect(await countsInDatabase(sut.db, alertId)).toEqual({ fcm: { delivered: KILL_AUDIENCE } });
    // the dead fanout's lease was ended by the survivor
    const leases = await sut.db.dataSource.query<{ pid: number }[]>(`SELECT pid FROM fanout_instance`);
    expect(leases.map((l) => l.pid)).toEqual([survivor.child.pid]);
  });
});
