import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Channel, Role, type Targeting } from '@bousai/domain';
import { FanoutPresence } from '@bousai/queue';
import { FakeFcmServer, type FakeFcmOptions, type FakeFcmReceived, testQueuePrefix } from '@bousai/testing';
import { ChannelRegistry } from '../../../../apps/fanout/src/channels/channel-registry';
import { FanoutModule } from '../../../../apps/fanout/src/fanout.module';
import {
  dropQueueKeys,
  eventually,
  FAST_FANOUT,
  REDIS_URL,
  Seeder,
} from '../../../integration/fanout/support/fanout-harness';
import { startApi, type ApiHarness, type Tenant } from '../../support/api-harness';

export { eventually, REDIS_URL };

/** The fake FCM v1 server in this process, with a service-account file it trusts, and the fanout's FCM settings. */
export interface FakeFcm {
  server: FakeFcmServer;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startFakeFcm(options: FakeFcmOptions = {}): Promise<FakeFcm> {
  const server = await FakeFcmServer.start(options);
  const dir = mkdtempSync(join(tmpdir(), 'bousai-e2e-fcm-'));
  const credentials = join(dir, 'service-account.json');
  writeFileSync(credentials, JSON.stringify(server.serviceAccount()));
  return {
    server,
    env: {
      FCM_BASE_URL: server.url,
      FCM_TOKEN_URL: server.tokenUrl,
      FCM_CREDENTIALS_FILE: credentials,
      FCM_REQUEST_TIMEOUT_MS: '10000',
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The FCM message body the fake received, as the app reads it (FCM v1 `message.data`). */
export function dataOf(r: FakeFcmReceived): Record<string, string> {
  return r.message.data as Record<string, string>;
}

export interface StackOptions {
  /** Redis for the api and the fanout (default: the machine's). */
  redisUrl?: string;
  fcm?: FakeFcmOptions;
  /** Extra fanout settings. */
  fanout?: Record<string, string>;
  /** Extra api settings (e.g. the console's directory for browser tests). */
  api?: Record<string, string>;
  /** Boot the fanout app in this process (default); `false` when the test runs its own. */
  inProcessFanout?: boolean;
}

/**
 * The api (listening on a port, so receivers can connect), a fake FCM, and unless told otherwise the fanout app in
 * this process with its real senders (FCM over HTTP/2 to the fake, receivers through the Redis adapter), sharing one
 * private database and queue prefix.
 */
export interface Stack {
  api: ApiHarness;
  /** The api's origin (receivers connect to `${url}/receivers`). */
  url: string;
  fcm: FakeFcm;
  prefix: string;
  seed: Seeder;
  /** The environment the fanout app boots with. */
  fanoutEnv: Record<string, string>;
  fanout: INestApplication | undefined;
  startFanout(): Promise<INestApplication>;
  stopFanout(): Promise<void>;
  /** `Authorization` header of an operator of `role` in `tenant` (default: 安来市). */
  auth(role: Role, tenant?: Tenant): Promise<[string, string]>;
  alerts(tenant?: Tenant): string;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const prefix = testQueuePrefix();
  const fcm = await startFakeFcm(options.fcm);
  const api = await startApi({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, ...options.api });
  await api.app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  const fanoutEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: api.db.url,
    DATABASE_POOL_SIZE: '8',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    ...FAST_FANOUT,
    FANOUT_CHANNELS: 'receiver,fcm',
    ...fcm.env,
    ...options.fanout,
  };
  const stack: Stack = {
    api,
    url,
    fcm,
    prefix,
    seed: new Seeder(api.db),
    fanoutEnv,
    fanout: undefined,
    async startFanout() {
      const app = await NestFactory.create(FanoutModule.forRoot(fanoutEnv), { logger: false });
      await app.init();
      stack.fanout = app;
      // ready as an operator would see it: its channels announced (it announces once its Redis connection is up)
      const channels = app.get(ChannelRegistry).channels();
      const presence = app.get(FanoutPresence);
      await eventually(async () => {
        const served = await presence.servedChannels().catch(() => new Set<Channel>());
        return channels.every((c) => served.has(c));
      });
      return app;
    },
    async stopFanout() {
      const app = stack.fanout;
      stack.fanout = undefined;
      await app?.close();
    },
    async auth(role, tenant = api.tenants[0]) {
      return ['Authorization', `Bearer ${await api.token(tenant, role)}`];
    },
    alerts(tenant = api.tenants[0]) {
      return `/v1/municipalities/${tenant.municipalityId}/alerts`;
    },
    async close() {
      await stack.stopFanout();
      await api.close();
      await fcm.close();
      if (redisUrl === REDIS_URL) await dropQueueKeys(prefix);
    },
  };
  if (options.inProcessFanout !== false) await stack.startFanout();
  return stack;
}

export interface DraftAlert {
  texts: Record<string, { title: string; body: string }>;
  targeting: Targeting;
  channels?: string[];
  severity?: string;
  isDrill?: boolean;
  safetyRequest?: boolean;
}

/** An operator creates and submits the alert over HTTP; resolves to its id. */
export async function submitted(stack: Stack, draft: DraftAlert): Promise<string> {
  const op = await stack.auth(Role.Operator);
  const created = await stack.api.http
    .post(stack.alerts())
    .set(...op)
    .send({ severity: 'extreme', channels: ['receiver', 'fcm'], ...draft });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await expectStatus(stack.api.http.post(`${stack.alerts()}/${id}/submit`).set(...op), 'pending_approval');
  return id;
}

/** Another operator approves, then the operator sends (the two-person rule); resolves to the send's answer. */
export async function approveAndSend(stack: Stack, alertId: string): Promise<void> {
  const approver = await stack.auth(Role.Approver);
  await expectStatus(
    stack.api.http.post(`${stack.alerts()}/${alertId}/approve`).set(...approver),
    'approved',
  );
  const op = await stack.auth(Role.Operator);
  await expectStatus(stack.api.http.post(`${stack.alerts()}/${alertId}/send`).set(...op), 'dispatching');
}

async function expectStatus(
  req: PromiseLike<{ status: number; body: { status?: string } }>,
  status: string,
): Promise<void> {
  const res = await req;
  if (res.status >= 300 || res.body.status !== status) {
    throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** The alert as the api shows it to an operator. */
export async function alertOf(
  stack: Stack,
  alertId: string,
): Promise<{ status: string; counters: Record<string, Record<string, number>> }> {
  const res = await stack.api.http
    .get(`${stack.alerts()}/${alertId}`)
    .set(...(await stack.auth(Role.Viewer)));
  return res.body as { status: string; counters: Record<string, Record<string, number>> };
}

export async function waitForAlert(stack: Stack, alertId: string, status: string, timeoutMs = 60_000) {
  await eventually(async () => (await alertOf(stack, alertId)).status === status, timeoutMs);
}

/** Delivery rows of an alert with their endpoint's address and state. */
export interface DeliveryView {
  endpointId: string;
  address: string;
  channel: string;
  status: string;
  language: string;
  attempts: number;
  errorCode: string | null;
  endpointStatus: string;
}

export function deliveryViews(stack: Stack, alertId: string): Promise<DeliveryView[]> {
  return stack.api.db.dataSource.query<DeliveryView[]>(
    `SELECT d.endpoint_id AS "endpointId", e.address, d.channel, d.status, d.language, d.attempts::int AS attempts,
            d.error_code AS "errorCode", e.status AS "endpointStatus"
       FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
      WHERE d.alert_id = $1 ORDER BY d.id`,
    [alertId],
  );
}

/** Counts of `items` by `key`. */
export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}
