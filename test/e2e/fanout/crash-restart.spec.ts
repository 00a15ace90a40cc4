import { type AppProcess, startAppProcess } from '@bousai/testing';
import {
  alertOf,
  approveAndSend,
  countBy,
  dataOf,
  deliveryViews,
  eventually,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from './support/fanout-stack';

// a fanout process started from source twice, 20k sends and a lapsed job lock in between; no timing assertions
jest.setTimeout(180_000);

const AUDIENCE = 20_000;
const CONCURRENCY = 4;
const BATCH = 500;

describe('a fanout process killed with SIGKILL mid-run and restarted', () => {
  let sut: Stack;
  let fanout: AppProcess | undefined;

  beforeAll(async () => {
    sut = await startStack({
      fanout: {
        FANOUT_CHANNELS: 'fcm',
        FANOUT_CONCURRENCY_FCM: String(CONCURRENCY),
        FANOUT_BATCH_SIZE: String(BATCH),
        // 2k messages/s: the kill lands with most of the audience still to go
        FCM_QUOTA_PER_MINUTE: '120000',
        // jobs the killed process had not yet claimed rows for are taken up again seconds after their locks lapse
        FANOUT_JOB_LOCK_MS: '4000',
        LOG_LEVEL: 'warn',
      },
      inProcessFanout: false,
    });
  });
  afterAll(async () => {
    await fanout?.kill();
    await sut.close();
  });

  const start = () => startAppProcess('apps/fanout/src/main.ts', sut.fanoutEnv);

  it('completes the alert; only requests in flight at the kill reach anyone twice', async () => {
    const m = sut.api.tenants[0].municipalityId;
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, AUDIENCE);
    fanout = await start();

    const alertId = await submitted(sut, {
      texts: { ja: { title: '避難指示', body: '直ちに避難してください。' } },
      targeting: { areaIds: [areaId] },
      channels: ['fcm'],
    });
    await approveAndSend(sut, alertId);
    const ofAlert = () => sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId);
    await eventually(async () => (await alertOf(sut, alertId)).counters.planned !== undefined, 60_000);
    await eventually(() => ofAlert().length >= 4_000, 60_000);

    expect(await fanout.kill()).toBe('SIGKILL');
    const atKill = ofAlert().length;
    expect(atKill).toBeLessThan(AUDIENCE);
    // The requests in flight at the kill: a batch claims its rows (attempts + 1) in one statement before it sends
    // them and writes every outcome in one statement after, so the rows claimed by a job the kill cut off are
    // exactly those still queued with an attempt counted (and held by the killed process's lease). Only they can be
    // sent again (once its lease is ended, by the job for their attempt count); every other row is either settled
    // or never claimed. There are at most
    // FANOUT_CONCURRENCY_FCM × FANOUT_BATCH_SIZE of them (one process; a batch's sends are all in flight at once).
    const inFlight = new Set(
      (await deliveryViews(sut, alertId))
        .filter((r) => r.status === 'queued' && r.attempts > 0)
        .map((r) => r.address),
    );
    expect(inFlight.size).toBeGreaterThan(0);
    expect(inFlight.size).toBeLessThanOrEqual(CONCURRENCY * BATCH);
    // Of those, the ones the fake had already received: once the dead process's HTTP/2 sessions are closed at
    // the fake, nothing it sent can still arrive. These are the requests in flight at the kill, counted at the fake.
    await eventually(() => sut.fcm.server.stats().openSessions === 0);
    const reachedInFlight = new Set(
      ofAlert()
        .filter((r) => inFlight.has(r.token))
        .map((r) => r.token),
    );

    fanout = await start();
    await waitForAlert(sut, alertId, 'sent', 120_000);

    const perToken = countBy(ofAlert(), (r) => r.token);
    const rows = await deliveryViews(sut, alertId);
    expect(rows).toHaveLength(AUDIENCE);
    expect(countBy(rows, (r) => r.status)).toEqual({ sent: AUDIENCE });
    // everyone at least once, counted at the fake
    expect(rows.filter((r) => !perToken[r.address])).toEqual([]);
    // twice only for requests in flight at the kill, and never more than twice
    const twice = Object.keys(perToken).filter((t) => perToken[t] > 1);
    expect(twice.filter((t) => !reachedInFlight.has(t))).toEqual([]);
    expect(twice.filter((t) => perToken[t] > 2)).toEqual([]);
    expect(twice.length).toBeLessThanOrEqual(reachedInFlight.size);
    expect(sut.fcm.server.stats().duplicates).toBe(twice.length);
  });
});
