import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { fanoutSchema } from '@bousai/config';
import { OutboxNotifications, OutboxRelayRepository } from '@bousai/persistence';
import { PlanAlertJob, QueueProducer } from '@bousai/queue';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '@bousai/testing';
import { fanoutSettings } from '../../../apps/fanout/src/fanout.settings';
import { OutboxRelay } from '../../../apps/fanout/src/outbox/outbox.relay';
import { dropQueueKeys, eventually, REDIS_URL } from './support/fanout-harness';

// real Postgres, Redis and BullMQ: allow more than jest's default 5 s per test and hook
jest.setTimeout(30_000);

interface OutboxState {
  attempts: number;
  dispatchedAt: Date | null;
  lastError: string | null;
  availableAt: Date;
}

describe(OutboxRelay.name, () => {
  let db: TestDatabase;
  let prefix: string;
  const producers: QueueProducer[] = [];
  const settings = fanoutSettings(
    fanoutSchema.parse({ FANOUT_RELAY_BACKOFF_MAX_MS: '100', FANOUT_RELAY_BATCH: '10' }),
  );

  beforeAll(async () => {
    // the relay warns about the outage on purpose; the assertions say what matters
    Logger.overrideLogger(false);
    db = await createTestDatabase();
    prefix = testQueuePrefix();
  });
  afterAll(async () => {
    await Promise.all(producers.map((p) => p.close()));
    await dropQueueKeys(prefix);
    await db.drop();
  });

  /** A relay whose producer talks to `redisUrl`, connected (or given up on) before it is returned. */
  async function relayTo(
    redisUrl: string,
    relaySettings = settings,
  ): Promise<{ sut: OutboxRelay; producer: QueueProducer }> {
    const producer = new QueueProducer({ redisUrl, prefix, timeoutMs: 1_000 });
    producers.push(producer);
    producer.connect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sut = new OutboxRelay(
      new OutboxRelayRepository(db.dataSource),
      producer,
      relaySettings,
      new OutboxNotifications(db.dataSource),
    );
    return { sut, producer };
  }

  async function planRow(alertId = randomUUID()): Promise<{ id: string; alertId: string }> {
    const rows = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO outbox (topic, payload, job_id) VALUES ('alert.plan', $1, $2) RETURNING id::text AS id`,
      [JSON.stringify({ alertId }), `plan-${alertId}`],
    );
    return { id: rows[0].id, alertId };
  }

  async function state(id: string): Promise<OutboxState> {
    const rows = await db.dataSource.query<OutboxState[]>(
      `SELECT attempts, dispatched_at AS "dispatchedAt", last_error AS "lastError", available_at AS "availableAt"
         FROM outbox WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  it('keeps a row pending while Redis is unreachable, then dispatches it once Redis answers', async () => {
    const row = await planRow();
    const down = await relayTo('redis://127.0.0.1:1');

    expect(await down.sut.relayOnce()).toBe(1);
    const pending = await state(row.id);
    expect(pending).toMatchObject({
      attempts: 1,
      dispatchedAt: null,
      lastError: expect.stringMatching(/redis/i),
    });
    expect(pending.availableAt.getTime()).toBeGreaterThan(Date.now() - 1_000);
    expect(await down.sut.relayOnce()).toBe(0); // not due again yet

    const up = await relayTo(REDIS_URL);
    await eventually(async () => (await up.sut.relayOnce()) === 1, 5_000);
    const done = await state(row.id);
    expect(done).toMatchObject({ attempts: 1, dispatchedAt: expect.any(Date), lastError: null });
    await expect(up.producer.presence(PlanAlertJob, { alertId: row.alertId })).resolves.toBe('live');
  });

  it('lets several relays share the rows without taking one twice', async () => {
    const rows = await Promise.all(Array.from({ length: 45 }, () => planRow()));
    const relays = await Promise.all([relayTo(REDIS_URL), relayTo(REDIS_URL), relayTo(REDIS_URL)]);
    let taken = 0;
    for (;;) {
      const counts = await Promise.all(relays.map((r) => r.sut.relayOnce()));
      taken += counts.reduce((a, b) => a + b, 0);
      if (counts.every((c) => c === 0)) break;
    }
    expect(taken).toBe(45);
    for (const row of rows) expect((await state(row.id)).dispatchedAt).toBeInstanceOf(Date);
  });

  it('lets two relays race on the same rows: each row is enqueued, none lost, none taken twice', async () => {
    const rows = await Promise.all(Array.from({ length: 60 }, () => planRow()));
    const [a, b] = await Promise.all([relayTo(REDIS_URL), relayTo(REDIS_URL)]);
    // both relays claim as fast as they can, at the same time, until neither finds anything due
    const drain = async (relay: OutboxRelay) => {
      let taken = 0;
      for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) taken += n;
      return taken;
    };
    const [byA, byB] = await Promise.all([drain(a.sut), drain(b.sut)]);

    expect(byA + byB).toBe(60);
    for (const row of rows) {
      expect(await state(row.id)).toMatchObject({ dispatchedAt: expect.any(Date), attempts: 0 });
      await expect(a.producer.presence(PlanAlertJob, { alertId: row.alertId })).resolves.toBe('live');
    }
  });

  it('leaves a row claimed by a relay that died to be relayed once its lease has passed', async () => {
    const row = await planRow();
    // a relay claims the row and dies before enqueueing it: nothing marks the row, only its lease ends
    const dead = new OutboxRelayRepository(db.dataSource);
    const claimed = await dead.claim(randomUUID(), 100, 1_500);
    expect(claimed.map((r) => r.id)).toContain(row.id);

    const { sut, producer } = await relayTo(REDIS_URL);
    expect(await sut.relayOnce()).toBe(0); // the lease still runs: nobody else takes the row
    expect(await state(row.id)).toMatchObject({ dispatchedAt: null, attempts: 0 });

    await eventually(async () => (await sut.relayOnce()) === 1, 10_000);
    expect(await state(row.id)).toMatchObject({ dispatchedAt: expect.any(Date), lastError: null });
    await expect(producer.presence(PlanAlertJob, { alertId: row.alertId })).resolves.toBe('live');
  });

  describe('woken by the commit (LISTEN/NOTIFY)', () => {
    // the poll is as slow as the settings allow (5 s): a row relayed well before it was relayed by the notification
    const slowPoll = fanoutSettings(fanoutSchema.parse({ FANOUT_RELAY_POLL_MS: '5000' }));
    const listeners = () =>
      db.dataSource.query<{ pid: number }[]>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN bousai_outbox'`,
      );

    it('relays a committed row at once, not at its next poll', async () => {
      const { sut, producer } = await relayTo(REDIS_URL, slowPoll);
      sut.onApplicationBootstrap();
      try {
        await eventually(async () => (await listeners()).length === 1, 5_000);
        // the relay's first poll has run; the next is 5 s away
        const row = await planRow();

        await eventually(async () => (await state(row.id)).dispatchedAt !== null, 2_500);
        await expect(producer.presence(PlanAlertJob, { alertId: row.alertId })).resolves.toBe('live');
      } finally {
        await sut.onModuleDestroy();
      }
      expect(await listeners()).toHaveLength(0);
    });

    it('listens again when its connection is cut, and relays what was committed meanwhile', async () => {
      const { sut } = await relayTo(REDIS_URL, slowPoll);
      sut.onApplicationBootstrap();
      try {
        await eventually(async () => (await listeners()).length === 1, 5_000);
        const [{ pid }] = await listeners();
        await db.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
        const row = await planRow();

        await eventually(async () => (await state(row.id)).dispatchedAt !== null, 2_500);
        const again = await listeners();
        expect(again).toHaveLength(1);
        expect(again[0].pid).not.toBe(pid);
      } finally {
        await sut.onModuleDestroy();
      }
    });
  });

  it('keeps rows it cannot understand, with the reason', async () => {
    const [unknown] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO outbox (topic, payload, job_id) VALUES ('alert.frobnicate', '{}', 'x-1') RETURNING id::text AS id`,
    );
    const alertId = randomUUID();
    const [mismatch] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO outbox (topic, payload, job_id) VALUES ('alert.plan', $1, 'plan-other') RETURNING id::text AS id`,
      [JSON.stringify({ alertId })],
    );
    const { sut } = await relayTo(REDIS_URL);
    await sut.relayOnce();
    expect(await state(unknown.id)).toMatchObject({
      dispatchedAt: null,
      lastError: 'unknown outbox topic alert.frobnicate',
    });
    expect(await state(mismatch.id)).toMatchObject({
      dispatchedAt: null,
      lastError: `job id plan-other is not plan-${alertId}`,
    });
  });
});
