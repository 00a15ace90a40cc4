import { randomUUID } from 'node:crypto';
import type { DeliveryOutcome, DeliveryTarget } from '@bousai/channels';
import { Channel, DeliveryStatus } from '@bousai/domain';
import { DeliveryBatchRepository, DeliveryPlanRepository, FanoutLeaseRepository } from '@bousai/persistence';
import { DeliverBatchUseCase } from '../../../apps/fanout/src/deliver/deliver-batch.use-case';
import { FanoutLease } from '../../../apps/fanout/src/lease/fanout-lease.service';
import {
  alertRow,
  deliveries,
  eventually,
  type FanoutHarness,
  type SendCall,
  startFanout,
  waitForStatus,
} from './support/fanout-harness';

// real Postgres, Redis and BullMQ: allow more than jest's default 5 s per test and hook
jest.setTimeout(30_000);

type Decide = (t: DeliveryTarget, call: SendCall) => DeliveryOutcome;

describe(`${DeliverBatchUseCase.name}: outcomes and retries`, () => {
  let sut: FanoutHarness;
  /** How each alert's targets are answered, by alert id. */
  const behaviour = new Map<string, Decide>();
  const sent: Decide = (t) => ({ deliveryId: t.deliveryId, kind: 'sent' });

  beforeAll(async () => {
    sut = await startFanout({
      FANOUT_MAX_ATTEMPTS: '3',
      // whole chunks from the first, so batches hold 500 each (the small first chunk: plan-scale.spec)
      FANOUT_FIRST_CHUNK_SIZE: '500',
    });
    for (const adapter of Object.values(sut.adapters)) {
      adapter.decide = (t, call) => (behaviour.get(call.message.alertId) ?? sent)(t, call);
    }
  });
  afterAll(async () => {
    await sut.close();
  });

  async function town(n: number): Promise<{ m: string; endpoints: string[] }> {
    const m = await sut.seed.municipality();
    const areaId = await sut.seed.area(m);
    return { m, endpoints: await sut.seed.bulkFcm(m, areaId, n) };
  }

  const callsOf = (alertId: string) => sut.adapters.fcm.calls.filter((c) => c.message.alertId === alertId);

  it('sends again only the subset a provider asked to retry, after its Retry-After', async () => {
    const { m, endpoints } = await town(1_200);
    const flaky = new Set(endpoints.filter((_, i) => i % 3 === 0));
    const alertId = await sut.seed.alert(m, { targeting: { all: true }, channels: [Channel.Fcm] });
    const firstSeen = new Set<string>();
    behaviour.set(alertId, (t) => {
      const first = !firstSeen.has(t.endpointId);
      firstSeen.add(t.endpointId);
      return first && flaky.has(t.endpointId)
        ? { deliveryId: t.deliveryId, kind: 'retry', errorCode: 'UNAVAILABLE', retryAfterMs: 30 }
        : { deliveryId: t.deliveryId, kind: 'sent', providerMessageId: `pm-${t.deliveryId}` };
    });

    await waitForStatus(sut.db, alertId, 'sent');

    const calls = callsOf(alertId);
    // three planned batches (500, 500, 200), then one follow-up per batch carrying only its flaky rows
    const followUps = calls.filter((c) => c.targets.every((t) => flaky.has(t.endpointId)));
    const planned = calls.filter((c) => !followUps.includes(c));
    expect(planned.map((c) => c.targets.length).sort((a, b) => a - b)).toEqual([200, 500, 500]);
    expect(followUps).toHaveLength(3);
    expect(followUps.reduce((n, c) => n + c.targets.length, 0)).toBe(flaky.size);
    const times = new Map<string, number>();
    for (const id of calls.flatMap((c) => c.targets.map((t) => t.endpointId)))
      times.set(id, (times.get(id) ?? 0) + 1);
    for (const id of endpoints) expect(times.get(id)).toBe(flaky.has(id) ? 2 : 1);

    const rows = await deliveries(sut.db, alertId);
    expect(rows.every((r) => r.status === 'sent' && r.errorCode === null)).toBe(true);
    expect(rows.filter((r) => r.attempts === 2)).toHaveLength(flaky.size);
  });

  it('records permanent failures and marks dead endpoints dead', async () => {
    const { m, endpoints } = await town(4);
    const alertId = await sut.seed.alert(m, { targeting: { all: true }, channels: [Channel.Fcm] });
    behaviour.set(alertId, (t) => {
      if (t.endpointId === endpoints[0]) {
        return { deliveryId: t.deliveryId, kind: 'failed', errorCode: 'UNREGISTERED', endpointDead: true };
      }
      if (t.endpointId === endpoints[1]) {
        return {
          deliveryId: t.deliveryId,
          kind: 'failed',
          errorCode: 'INVALID_ARGUMENT',
          endpointDead: false,
        };
      }
      return { deliveryId: t.deliveryId, kind: 'sent', providerMessageId: 'projects/p/messages/1' };
    });

    await waitForStatus(sut.db, alertId, 'sent');

    const rows = await sut.db.dataSource.query<
      {
        endpointId: string;
        status: string;
        errorCode: string | null;
        providerMessageId: string | null;
        failedAt: Date | null;
        sentAt: Date | null;
        endpointStatus: string;
        deadReason: string | null;
      }[]
    >(
      `SELECT d.endpoint_id AS "endpointId", d.status, d.error_code AS "errorCode",
              d.provider_message_id AS "providerMessageId", d.failed_at AS "failedAt", d.sent_at AS "sentAt",
              e.status AS "endpointStatus", e.dead_reason AS "deadReason"
         FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id WHERE d.alert_id = $1`,
      [alertId],
    );
    const by = Object.fromEntries(rows.map((r) => [r.endpointId, r]));
    expect(by[endpoints[0]]).toMatchObject({
      status: 'failed',
      errorCode: 'UNREGISTERED',
      endpointStatus: 'dead',
      deadReason: 'UNREGISTERED',
      failedAt: expect.any(Date),
    });
    expect(by[endpoints[1]]).toMatchObject({
      status: 'failed',
      errorCode: 'INVALID_ARGUMENT',
      endpointStatus: 'active',
    });
    expect(by[endpoints[2]]).toMatchObject({
      status: 'sent',
      providerMessageId: 'projects/p/messages/1',
      sentAt: expect.any(Date),
      failedAt: null,
    });

    // a later alert no longer plans the dead endpoint
    const next = await sut.seed.alert(m, { targeting: { all: true }, channels: [Channel.Fcm] });
    await waitForStatus(sut.db, next, 'sent');
    expect((await deliveries(sut.db, next)).map((r) => r.endpointId).sort()).toEqual(
      endpoints.slice(1).sort(),
    );
  });

  it('gives up after the last attempt: failed for push, parked for store-and-forward for receivers', async () => {
    const m = await sut.seed.municipality();
    const areaId = await sut.seed.area(m);
    const [app] = await sut.seed.bulkFcm(m, areaId, 1);
    const rx = await sut.seed.receiver(m, await sut.seed.household(m, areaId));
    const alertId = await sut.seed.alert(m, { targeting: { all: true } });
    behaviour.set(alertId, (t, call) => ({
      deliveryId: t.deliveryId,
      kind: 'retry',
      errorCode: call.channel === Channel.Receiver ? 'RECEIVER_OFFLINE' : 'UNAVAILABLE',
    }));

    await waitForStatus(sut.db, alertId, 'sent');

    expect(sut.adapters.fcm.sentEndpointIds((c) => c.message.alertId === alertId)).toEqual([app, app, app]);
    expect(sut.adapters.receiver.sentEndpointIds((c) => c.message.alertId === alertId)).toEqual([rx, rx, rx]);
    const rows = Object.fromEntries((await deliveries(sut.db, alertId)).map((r) => [r.endpointId, r]));
    expect(rows[app]).toMatchObject({ status: 'failed', errorCode: 'UNAVAILABLE', attempts: 3 });
    expect(rows[rx]).toMatchObject({ status: 'waiting', errorCode: 'RECEIVER_OFFLINE', attempts: 3 });
    expect((await alertRow(sut.db, alertId)).counters.fanout).toEqual({ queued: 0 });
  });

  it('rows a killed process held are sent again once, by the job its lapsed lease queues; its late outcomes are fenced', async () => {
    const { m, endpoints } = await town(3);
    const alertId = await sut.seed.alert(m, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      outbox: false,
    });
    // planned without queueing a job, then claimed by another process that died before recording anything
    const chunk = await sut.app.get(DeliveryPlanRepository).planAudienceChunk({
      alertId,
      municipalityId: m,
      channel: Channel.Fcm,
      audience: { everywhere: true, areaIds: [], jmaCodes: [], householdIds: [], groups: [] },
      after: null,
      limit: 100,
      firstBatchNo: 0,
      batchSize: 500,
    });
    expect(chunk).toMatchObject({ inserted: 3, batches: [0], live: true });
    const batch = { alertId, channel: Channel.Fcm, batchNo: 0 };
    const dead = randomUUID();
    const leases = sut.app.get(FanoutLeaseRepository);
    await leases.renew({ id: dead, host: 'elsewhere/pid:[1]', pid: 1 });
    const batches = sut.app.get(DeliveryBatchRepository);
    const claimed = await batches.claim(batch, 0, { holder: dead, freshMs: 60_000 });
    expect(claimed).toMatchObject({ live: true, holding: true });
    expect(claimed.deliveries).toHaveLength(3);

    // neither a duplicate of its job nor that job resumed by BullMQ takes rows another process holds
    const deliver = sut.app.get(DeliverBatchUseCase);
    expect(await deliver.execute({ ...batch, attempt: 0 })).toEqual({
      outcome: 'idle',
      reason: 'nothing queued',
    });
    expect(await deliver.execute({ ...batch, attempt: 1 })).toEqual({
      outcome: 'idle',
      reason: 'nothing queued',
    });
    // nor does a live lease lapse early
    const lease = sut.app.get(FanoutLease);
    expect(await lease.renewAndReclaim()).toBe(0);
    expect(callsOf(alertId)).toHaveLength(0);

    await sut.db.dataSource.query(
      `UPDATE fanout_instance SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`,
      [dead],
    );
    // (this process's own renewal may get there first)
    await lease.renewAndReclaim();
    // (never planned through the planner, the alert itself stays dispatching)
    await eventually(async () => (await deliveries(sut.db, alertId)).every((r) => r.status === 'sent'));
    expect(sut.adapters.fcm.sentEndpointIds((c) => c.message.alertId === alertId).sort()).toEqual(
      [...endpoints].sort(),
    );
    expect((await deliveries(sut.db, alertId)).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
      ['sent', 2],
    ]);

    // the dead process's outcomes, arriving late, change nothing
    const late = await batches.recordOutcomes(
      alertId,
      dead,
      claimed.deliveries.map((d) => ({
        deliveryId: d.deliveryId,
        status: DeliveryStatus.Failed,
        errorCode: 'LATE',
        providerMessageId: null,
        deviceDeliveredAt: null,
        endpointDead: false,
        attempts: d.attempts,
      })),
    );
    expect(late.settled).toBe(0);
    expect((await deliveries(sut.db, alertId)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });
});
