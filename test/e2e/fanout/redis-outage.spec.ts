import { Role } from '@bousai/domain';
import { RedisServerProcess } from '@bousai/testing';
import { PASSWORD } from '../support/api-harness';
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

// a private redis-server stopped and started again under a running api and fanout; no timing assertions
jest.setTimeout(90_000);

describe('Redis outage during approval: an approved alert survives it', () => {
  let redis: RedisServerProcess;
  let sut: Stack;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    sut = await startStack({ redisUrl: redis.url, fanout: { FANOUT_CHANNELS: 'fcm' } });
  });
  afterAll(async () => {
    await sut.close();
    await redis.stop();
  });

  it('approve and send are accepted while Redis is down, and the alert goes out once Redis is back', async () => {
    const m = sut.api.tenants[0].municipalityId;
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, 1_200);
    const alertId = await submitted(sut, {
      texts: { ja: { title: '避難指示', body: '直ちに避難してください。' } },
      targeting: { areaIds: [areaId] },
      channels: ['fcm'],
    });
    // signed in before the outage: a login waits for Redis (its throttle will not run unguarded), the rest does not
    await sut.auth(Role.Approver);
    await sut.auth(Role.Viewer);

    await redis.stop();
    const login = await sut.api.http
      .post('/v1/auth/login')
      .send({ email: sut.api.tenants[0].operators.admin.email, password: PASSWORD });
    expect(login.status).toBe(503);
    await approveAndSend(sut, alertId);

    // committed in Postgres with its outbox row; the relay tries, fails and keeps it
    await eventually(async () => {
      const [row] = await outboxRow(alertId);
      return row !== undefined && row.attempts > 0 && row.lastError !== null;
    });
    expect((await outboxRow(alertId))[0]).toMatchObject({ dispatchedAt: null });
    expect((await alertOf(sut, alertId)).status).toBe('dispatching');
    expect(sut.fcm.server.received).toHaveLength(0);

    // a new, empty Redis on the same address
    await redis.start();
    await waitForAlert(sut, alertId, 'sent');

    const tokens = (await deliveryViews(sut, alertId)).map((r) => r.address);
    expect(tokens).toHaveLength(1_200);
    const got = sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId);
    expect(countBy(got, (r) => r.token)).toEqual(Object.fromEntries(tokens.map((t) => [t, 1])));
    expect(countBy(await deliveryViews(sut, alertId), (r) => r.status)).toEqual({ sent: 1_200 });
    expect((await outboxRow(alertId))[0].dispatchedAt).toEqual(expect.any(Date));
  });

  function outboxRow(
    alertId: string,
  ): Promise<{ attempts: number; lastError: string | null; dispatchedAt: Date | null }[]> {
    return sut.api.db.dataSource.query(
      `SELECT attempts, last_error AS "lastError", dispatched_at AS "dispatchedAt"
         FROM outbox WHERE topic = 'alert.plan' AND payload->>'alertId' = $1`,
      [alertId],
    );
  }
});
