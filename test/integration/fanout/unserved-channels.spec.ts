import { Redis } from 'ioredis';
import { Channel } from '@bousai/domain';
import { FanoutPresence } from '@bousai/queue';
import { FanoutAnnouncer } from '../../../apps/fanout/src/channels/fanout-announcer';
import { PlanAlertUseCase } from '../../../apps/fanout/src/plan/plan-alert.use-case';
import {
  alertRow,
  deliveries,
  eventually,
  type FanoutHarness,
  REDIS_URL,
  startFanout,
} from './support/fanout-harness';

jest.setTimeout(30_000);

/**
 * A fanout process sending on receiver and fcm only. Which channels are served is what the running fanouts announce
 * in Redis: a channel another fanout announces is planned and queued for it; a channel nobody announces gets
 * `undeliverable` rows instead of being left out.
 */
describe(`${PlanAlertUseCase.name}: channels no fanout serves`, () => {
  let sut: FanoutHarness;
  let presence: FanoutPresence;
  let planner: PlanAlertUseCase;
  let m: string;
  let emailEndpoint: string;
  let fcmEndpoint: string;

  beforeAll(async () => {
    sut = await startFanout();
    presence = sut.app.get(FanoutPresence);
    planner = sut.app.get(PlanAlertUseCase);
    m = await sut.seed.municipality();
    const area = await sut.seed.area(m);
    const household = await sut.seed.household(m, area);
    const resident = await sut.seed.resident(m, { householdId: household });
    fcmEndpoint = await sut.seed.fcm(m, resident);
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
       VALUES ($1, $2, 'email', 'resident@example.jp', now()) RETURNING id`,
      [m, resident],
    );
    emailEndpoint = row.id;
  });
  afterAll(() => sut.close());

  it('knows the channels this process announces, and forgets an instance whose key expired', async () => {
    await eventually(async () => (await presence.servedChannels()).has(Channel.Fcm));
    expect(await presence.servedChannels()).toEqual(new Set([Channel.Receiver, Channel.Fcm]));
    await presence.announce('short-lived', [Channel.Line], 200);
    expect((await presence.servedChannels()).has(Channel.Line)).toBe(true);
    await eventually(async () => !(await presence.servedChannels()).has(Channel.Line));
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.smembers(`${sut.prefix}:fanouts`)).toEqual([
        sut.app.get(FanoutAnnouncer).instanceId,
      ]);
    } finally {
      redis.disconnect();
    }
  });

  it('records a channel nobody serves as undeliverable, never sent, and the alert completes', async () => {
    const alertId = await sut.seed.alert(m, {
      targeting: { all: true },
      channels: [Channel.Fcm, Channel.Email],
      outbox: false,
    });
    await planner.execute(alertId);
    const rows = await deliveries(sut.db, alertId);
    expect(rows.find((r) => r.channel === 'email')).toMatchObject({
      endpointId: emailEndpoint,
      status: 'undeliverable',
      errorCode: 'NO_SENDER',
      attempts: 0,
    });
    // the served channel is planned as before (its worker in this process may have sent it already)
    expect(rows.find((r) => r.channel === 'fcm')).toMatchObject({ endpointId: fcmEndpoint });
    expect(rows.find((r) => r.channel === 'fcm')?.status).not.toBe('undeliverable');
    expect((await alertRow(sut.db, alertId)).counters.planned).toEqual({ fcm: 1, email: 1 });
    await eventually(async () => (await alertRow(sut.db, alertId)).status === 'sent');
    expect((await deliveries(sut.db, alertId)).find((r) => r.channel === 'email')?.status).toBe(
      'undeliverable',
    );
  });

  it('plans and queues a channel another running fanout announces', async () => {
    await presence.announce('mail-fanout', [Channel.Email]);
    try {
      const alertId = await sut.seed.alert(m, {
        targeting: { all: true },
        channels: [Channel.Email],
        outbox: false,
      });
      await planner.execute(alertId);
      expect((await deliveries(sut.db, alertId)).map((r) => [r.endpointId, r.status])).toEqual([
        [emailEndpoint, 'queued'],
      ]);
      // its batch job waits in the email queue for the other fanout
      const redis = new Redis(REDIS_URL);
      try {
        expect(await redis.exists(`${sut.prefix}:delivery-email:deliver-${alertId}-email-0`)).toBe(1);
      } finally {
        redis.disconnect();
      }
    } finally {
      await presence.withdraw('mail-fanout');
    }
    expect((await presence.servedChannels()).has(Channel.Email)).toBe(false);
  });

  it('ordered fallback: a first channel nobody serves is recorded undeliverable and the next one is sent', async () => {
    const town = await sut.seed.municipality();
    await sut.db.dataSource.query(`UPDATE municipality SET settings = $2 WHERE id = $1`, [
      town,
      JSON.stringify({
        channelFallback: { order: ['email', 'fcm'], modeBySeverity: { extreme: 'ordered' } },
      }),
    ]);
    const household = await sut.seed.household(town, await sut.seed.area(town));
    const both = await sut.seed.resident(town, { householdId: household });
    const appOnly = await sut.seed.resident(town, { householdId: household });
    const bothFcm = await sut.seed.fcm(town, both);
    const appOnlyFcm = await sut.seed.fcm(town, appOnly);
    const [mail] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
       VALUES ($1, $2, 'email', 'both@example.jp', now()) RETURNING id`,
      [town, both],
    );
    const alertId = await sut.seed.alert(town, {
      targeting: { all: true },
      channels: [Channel.Fcm, Channel.Email],
      outbox: false,
    });
    await planner.execute(alertId);
    const rows = await deliveries(sut.db, alertId);
    // email comes first in her order but nobody sends it: recorded, and her app gets the alert at once
    expect(rows.map((r) => [r.endpointId, r.channel, r.status === 'undeliverable']).sort()).toEqual(
      [
        [mail.id, 'email', true],
        [bothFcm, 'fcm', false],
        [appOnlyFcm, 'fcm', false],
      ].sort(),
    );
  });
});
