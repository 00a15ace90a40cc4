import { hashDeviceSecret, newSecret } from '@bousai/domain';
import { type AppProcess, ReceiverSimulator, startAppProcess } from '@bousai/testing';
import {
  alertOf,
  approveAndSend,
  countBy,
  deliveryViews,
  eventually,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from './support/fanout-stack';

// a fanout process started from source twice and a few hundred receivers; no timing assertions. The job lock, the
// lease's TTL and the sweeper's deadline are all set far beyond this timeout: only the restarted process, seeing at
// boot that its predecessor on this host is gone, can release what that one held and finish the alert in time.
jest.setTimeout(300_000);

const RECEIVERS = 240;
/** The devices answer each alert this long after it arrived: the kill lands while the batches wait for them. */
const ACK_DELAY_MS = 3_000;

describe('a fanout process killed with SIGKILL while household receivers are answering, then restarted', () => {
  let sut: Stack;
  let sim: ReceiverSimulator | undefined;
  let fanout: AppProcess | undefined;
  const secret = newSecret('rxs');
  const devices = Array.from({ length: RECEIVERS }, (_, i) => ({
    serial: `KILL-${String(i).padStart(4, '0')}`,
    secret,
  }));

  beforeAll(async () => {
    sut = await startStack({
      fanout: {
        FANOUT_CHANNELS: 'receiver',
        RECEIVER_ACK_TIMEOUT_MS: '5000',
        FANOUT_JOB_LOCK_MS: '600000',
        FANOUT_LEASE_TTL_MS: '600000',
        FANOUT_SWEEP_INTERVAL_MS: '3600000',
        FANOUT_SWEEP_DEADLINE_MS: '3600000',
        LOG_LEVEL: 'warn',
      },
      inProcessFanout: false,
    });
  });
  afterAll(async () => {
    sim?.close();
    await fanout?.kill();
    await sut.close();
  });

  // a loaded CI box may take a while to compile and boot it
  const start = () => startAppProcess('apps/fanout/src/main.ts', sut.fanoutEnv, { readyTimeoutMs: 150_000 });

  it('resumes the alert at restart; only deliveries in flight and unacknowledged at the kill arrive twice', async () => {
    const m = sut.api.tenants[0].municipalityId;
    const areaId = await sut.seed.area(m);
    await sut.api.db.dataSource.query(
      `WITH s AS (SELECT serial FROM unnest($3::text[]) AS s(serial)),
            h AS (INSERT INTO household (municipality_id, external_id, area_id, address)
                  SELECT $1, serial, $2, '住所' FROM s RETURNING id, external_id)
       INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
       SELECT $1, h.id, 'receiver', h.external_id, $4 FROM h`,
      [m, areaId, devices.map((d) => d.serial), hashDeviceSecret(secret)],
    );
    sim = await ReceiverSimulator.start({
      url: sut.url,
      devices,
      behaviour: { ackDelayMs: ACK_DELAY_MS },
      connectConcurrency: 40,
    });
    // every other device also sends an `ack` event, which the api records whatever becomes of the sender
    sim.devices.forEach((d, i) => (d.behaviour.ackMode = i % 2 === 0 ? 'both' : 'callback'));
    fanout = await start();

    const alertId = await submitted(sut, {
      texts: { ja: { title: '避難指示', body: '直ちに避難してください。' } },
      targeting: { areaIds: [areaId] },
      channels: ['receiver'],
    });
    await approveAndSend(sut, alertId);
    // planned in full (a plan job cut off by the kill would wait for its job lock), and sending
    await eventually(async () => (await alertOf(sut, alertId)).counters.planned !== undefined, 60_000);
    await sim.waitUntil((s) => s.stats().received > 0, 60_000);

    expect(await fanout.kill()).toBe('SIGKILL');
    const killedAt = Date.now();
    // claimed by a batch (attempt counted) and not recorded: the deliveries in flight at the kill
    const inFlight = new Set(
      (await deliveryViews(sut, alertId))
        .filter((r) => r.status === 'queued' && r.attempts > 0)
        .map((r) => r.address),
    );
    expect(inFlight.size).toBeGreaterThan(0);
    // the devices answer the copies they got: callbacks go to a process that is gone, `ack` events to the api
    const acking = sim.devices.filter((d) => d.behaviour.ackMode === 'both' && d.received.length > 0);
    await sim.waitUntil(() => acking.every((d) => d.confirmed.ack.size > 0), 30_000);
    const acked = new Set(
      (await deliveryViews(sut, alertId)).filter((r) => r.status === 'delivered').map((r) => r.address),
    );
    expect(acking.filter((d) => !acked.has(d.serial))).toEqual([]);

    const restartedAt = Date.now();
    fanout = await start();
    const readyAt = Date.now();
    await waitForAlert(sut, alertId, 'sent', 120_000).catch(async (err: unknown) => {
      const rows = await deliveryViews(sut, alertId);
      throw new Error(
        `${String(err)}: ${JSON.stringify(countBy(rows, (r) => `${r.status}/${r.attempts}`))}\n${fanout?.output()}`,
      );
    });
    // for docs/performance.md, not asserted
    console.log(
      JSON.stringify({
        inFlight: inFlight.size,
        acked: acked.size,
        killToRestartMs: restartedAt - killedAt,
        restartToReadyMs: readyAt - restartedAt,
        restartToSettledMs: Date.now() - restartedAt,
        sim: sim.stats(),
      }),
    );

    const rows = await deliveryViews(sut, alertId);
    expect(countBy(rows, (r) => r.status)).toEqual({ delivered: RECEIVERS });
    const copies = new Map(sim.devices.map((d) => [d.serial, d.received.length + d.duplicates]));
    expect([...copies].filter(([, n]) => n === 0)).toEqual([]);
    const twice = [...copies].filter(([, n]) => n > 1).map(([serial]) => serial);
    // an acknowledged delivery is never sent again
    expect(twice.filter((s) => acked.has(s))).toEqual([]);
    // twice only for deliveries in flight at the kill, and never a third time
    expect(twice.filter((s) => !inFlight.has(s))).toEqual([]);
    expect([...copies].filter(([, n]) => n > 2)).toEqual([]);
    // the restarted process ended the killed one's lease: only its own remains
    const leases = await sut.api.db.dataSource.query<{ pid: number }[]>(`SELECT pid FROM fanout_instance`);
    expect(leases.map((l) => l.pid)).toEqual([fanout.child.pid]);
  });
});
