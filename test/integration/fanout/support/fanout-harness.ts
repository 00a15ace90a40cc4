import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import type { ChannelAdapter, DeliveryOutcome, DeliveryTarget, OutgoingMessage } from '@bousai/channels';
import { AlertStatus, Channel, type Targeting } from '@bousai/domain';
import { OutboxWriter } from '@bousai/persistence';
import { outboxMessage, PlanAlertJob } from '@bousai/queue';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '@bousai/testing';
import { FanoutModule } from '../../../../apps/fanout/src/fanout.module';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** One `send` call as the engine made it. */
export interface SendCall {
  channel: Channel;
  targets: DeliveryTarget[];
  message: OutgoingMessage;
}

type Decide = (target: DeliveryTarget, call: SendCall) => DeliveryOutcome | Promise<DeliveryOutcome>;

/**
 * A `ChannelAdapter` (our own interface) that records what the engine asked it to send and answers with what the
 * test decides (`sent` by default). `hold()` makes later calls wait until `release()`, to catch the engine
 * mid-run.
 */
export class RecordingAdapter implements ChannelAdapter {
  readonly calls: SendCall[] = [];
  decide: Decide = (t) => ({
    deliveryId: t.deliveryId,
    kind: 'sent',
    providerMessageId: `pm-${t.deliveryId}`,
  });
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  constructor(readonly channel: Channel) {}

  async send(targets: readonly DeliveryTarget[], message: OutgoingMessage): Promise<DeliveryOutcome[]> {
    const call: SendCall = { channel: this.channel, targets: [...targets], message };
    this.calls.push(call);
    if (this.gate) await this.gate;
    return Promise.all(targets.map(async (t) => this.decide(t, call)));
  }

  hold(): void {
    this.gate ??= new Promise<void>((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  /** Resolves once `send` has been called `n` times in all. */
  async calledTimes(n: number, timeoutMs = 20_000): Promise<void> {
    await eventually(() => this.calls.length >= n, timeoutMs);
  }

  /** Every target id sent, with repeats. */
  sentEndpointIds(filter: (call: SendCall) => boolean = () => true): string[] {
    return this.calls.filter(filter).flatMap((c) => c.targets.map((t) => t.endpointId));
  }
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fast settings for tests: short polls and backoffs; the sweeper only runs when a test calls it. */
export const FAST_FANOUT: Record<string, string> = {
  FANOUT_RELAY_POLL_MS: '20',
  FANOUT_RELAY_BACKOFF_MAX_MS: '50',
  FANOUT_RETRY_BASE_MS: '20',
  FANOUT_RETRY_CAP_MS: '100',
  FANOUT_SWEEP_INTERVAL_MS: '3600000',
  FANOUT_SWEEP_DEADLINE_MS: '1000',
};

export interface FanoutHarness {
  app: INestApplication;
  db: TestDatabase;
  prefix: string;
  adapters: Record<'fcm' | 'receiver', RecordingAdapter>;
  seed: Seeder;
  close(): Promise<void>;
}

/** Boots the fanout app in process against a private database and queue prefix, with recording senders. */
export async function startFanout(env: Record<string, string> = {}): Promise<FanoutHarness> {
  const db = await createTestDatabase();
  const prefix = testQueuePrefix();
  const adapters = {
    fcm: new RecordingAdapter(Channel.Fcm),
    receiver: new RecordingAdapter(Channel.Receiver),
  };
  const app = await NestFactory.create(
    FanoutModule.forRoot(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: db.url,
        DATABASE_POOL_SIZE: '8',
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        ...FAST_FANOUT,
        ...env,
      },
      { adapters: [adapters.receiver, adapters.fcm] },
    ),
    { logger: false },
  );
  await app.init();
  return {
    app,
    db,
    prefix,
    adapters,
    seed: new Seeder(db),
    async close() {
      adapters.fcm.release();
      adapters.receiver.release();
      await app.close();
      await dropQueueKeys(prefix);
      await db.drop();
    },
  };
}

/** Removes every Redis key under a test's queue prefix. */
export async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface AreaCodes {
  jmaCityCode?: string;
  jmaQuakeAreaCode?: string;
  jmaTsunamiAreaCode?: string;
  jmaEewAreaCode?: string;
}

export interface ResidentOptions {
  householdId?: string | null;
  language?: string;
  needsAssistance?: boolean;
  staff?: boolean;
  consentScopes?: string[];
}

let serial = 0;
const unique = (label: string) => `${label}-${process.pid}-${++serial}-${randomUUID().slice(0, 8)}`;

/** Builders for the rows an alert's audience is made of; every one takes explicit overrides. */
export class Seeder {
  constructor(private readonly db: TestDatabase) {}

  private async one(sql: string, params: unknown[]): Promise<string> {
    const rows = await this.db.dataSource.query<{ id: string }[]>(sql, params);
    return rows[0].id;
  }

  municipality(): Promise<string> {
    return this.one(`INSERT INTO municipality (code, name) VALUES ($1, $2) RETURNING id`, [
      unique('m'),
      'テスト市',
    ]);
  }

  area(municipalityId: string, codes: AreaCodes = {}): Promise<string> {
    return this.one(
      `INSERT INTO area (municipality_id, code, name, jma_city_code, jma_quake_area_code, jma_tsunami_area_code,
                         jma_eew_area_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        municipalityId,
        unique('a'),
        '地区',
        codes.jmaCityCode ?? null,
        codes.jmaQuakeAreaCode ?? null,
        codes.jmaTsunamiAreaCode ?? null,
        codes.jmaEewAreaCode ?? null,
      ],
    );
  }

  household(municipalityId: string, areaId: string | null): Promise<string> {
    return this.one(
      `INSERT INTO household (municipality_id, external_id, area_id, address) VALUES ($1, $2, $3, '住所') RETURNING id`,
      [municipalityId, unique('h'), areaId],
    );
  }

  resident(municipalityId: string, o: ResidentOptions = {}): Promise<string> {
    return this.one(
      `INSERT INTO resident (municipality_id, external_id, household_id, name, language, needs_assistance, staff,
                             consent_scopes)
       VALUES ($1, $2, $3, '住民', $4, $5, $6, $7) RETURNING id`,
      [
        municipalityId,
        unique('r'),
        o.householdId ?? null,
        o.language ?? 'ja',
        o.needsAssistance ?? false,
        o.staff ?? false,
        o.consentScopes ?? ['alerts'],
      ],
    );
  }

  /** An app (FCM) endpoint of a resident. */
  fcm(municipalityId: string, residentId: string, status = 'active'): Promise<string> {
    return this.one(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, status) VALUES ($1, $2, 'fcm', $3, $4)
       RETURNING id`,
      [municipalityId, residentId, unique('tok'), status],
    );
  }

  /** A household receiver (no resident). */
  receiver(municipalityId: string, householdId: string): Promise<string> {
    return this.one(
      `INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
       VALUES ($1, $2, 'receiver', $3, 'hash') RETURNING id`,
      [municipalityId, householdId, unique('rx')],
    );
  }

  /**
   * `n` households in `areaId`, one resident each with one FCM endpoint (set-based: fast for thousands).
   * Resolves to the endpoint ids.
   */
  async bulkFcm(municipalityId: string, areaId: string, n: number): Promise<string[]> {
    const tag = unique('bulk');
    const rows = await this.db.dataSource.query<{ id: string }[]>(
      `WITH h AS (
         INSERT INTO household (municipality_id, external_id, area_id, address)
         SELECT $1, $3 || '-' || i, $2, '住所' FROM generate_series(1, $4) AS i
         RETURNING id, external_id
       ),
       r AS (
         INSERT INTO resident (municipality_id, external_id, household_id, name)
         SELECT $1, h.external_id, h.id, '住民' FROM h
         RETURNING id, external_id
       )
       INSERT INTO endpoint (municipality_id, resident_id, channel, address)
       SELECT $1, r.id, 'fcm', 'tok-' || r.external_id FROM r
       RETURNING id`,
      [municipalityId, areaId, tag, n],
    );
    return rows.map((r) => r.id);
  }

  /**
   * A dispatching alert, as the api's send leaves it: its status and, unless `outbox: false`, the `alert.plan`
   * outbox row (the relay picks it up).
   */
  async alert(
    municipalityId: string,
    o: {
      targeting: Targeting;
      channels?: string[];
      texts?: Record<string, { title: string; body: string }>;
      outbox?: boolean;
      isDrill?: boolean;
    },
  ): Promise<string> {
    const id = await this.one(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, is_drill,
                          dispatched_at, expires_at)
       VALUES ($1, 'operator', $2, 'extreme', $3, $4, $5, $6, now(), now() + interval '3 hours') RETURNING id`,
      [
        municipalityId,
        JSON.stringify(
          o.texts ?? {
            ja: { title: '避難指示', body: '直ちに避難してください。' },
            en: { title: 'Evacuate', body: 'Evacuate now.' },
          },
        ),
        JSON.stringify(o.targeting),
        o.channels ?? [Channel.Receiver, Channel.Fcm],
        AlertStatus.Dispatching,
        o.isDrill ?? false,
      ],
    );
    if (o.outbox !== false) await announcePlan(this.db, id);
    return id;
  }
}

/** Writes the `alert.plan` outbox row of an alert, as the lifecycle's send does (the relay picks it up). */
export async function announcePlan(db: TestDatabase, alertId: string): Promise<void> {
  await new OutboxWriter().enqueue(db.dataSource.manager, [outboxMessage(PlanAlertJob, { alertId })]);
}

export interface DeliveryRow {
  id: string;
  endpointId: string;
  channel: string;
  batchNo: number;
  status: string;
  language: string;
  attempts: number;
  errorCode: string | null;
}

export function deliveries(db: TestDatabase, alertId: string): Promise<DeliveryRow[]> {
  return db.dataSource.query<DeliveryRow[]>(
    `SELECT id::text AS id, endpoint_id AS "endpointId", channel, batch_no AS "batchNo", status, language,
            attempts, error_code AS "errorCode"
       FROM delivery WHERE alert_id = $1 ORDER BY id`,
    [alertId],
  );
}

export async function alertRow(
  db: TestDatabase,
  alertId: string,
): Promise<{ status: string; counters: Record<string, Record<string, number>>; sentAt: Date | null }> {
  const rows = await db.dataSource.query<
    { status: string; counters: Record<string, Record<string, number>>; sentAt: Date | null }[]
  >(`SELECT status, counters, sent_at AS "sentAt" FROM alert WHERE id = $1`, [alertId]);
  return rows[0];
}

export async function waitForStatus(db: TestDatabase, alertId: string, status: string, timeoutMs = 30_000) {
  await eventually(async () => (await alertRow(db, alertId)).status === status, timeoutMs);
}
