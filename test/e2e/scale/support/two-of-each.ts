import type { Role } from '@bousai/domain';
import {
  type AppProcess,
  createTestDatabase,
  startAppProcess,
  type TestDatabase,
  testQueuePrefix,
} from '@bousai/testing';
import {
  dropQueueKeys,
  FAST_FANOUT,
  REDIS_URL,
  Seeder,
} from '../../../integration/fanout/support/fanout-harness';
import { type FakeFcm, startFakeFcm } from '../../fanout/support/fanout-stack';
import { JWT_SECRET, PASSWORD, seedTenant, type Tenant } from '../../support/api-harness';

export const ACK_TOKEN_SECRET = 'e2e-scale-ack-secret-0123456789-abcdef';

/** A loaded 2-core box may take minutes to compile and boot an app from source: a bound, not an expectation. */
const READY_TIMEOUT_MS = 300_000;

/**
 * Two api and two fanout processes, each an OS process of its own on its own port, on one Postgres database and
 * one Redis queue prefix, with a fake FCM (HTTP/2, real protocol) in this process: the smallest horizontal
 * deployment. Nothing but the database URL, the prefix and the shared secrets ties the processes together.
 */
export interface Topology {
  db: TestDatabase;
  prefix: string;
  tenant: Tenant;
  seed: Seeder;
  fcm: FakeFcm;
  apis: AppProcess[];
  fanouts: AppProcess[];
  apiEnv: Record<string, string>;
  fanoutEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startTopology(fanoutSettings: Record<string, string> = {}): Promise<Topology> {
  const db = await createTestDatabase();
  const prefix = testQueuePrefix();
  const tenant = await seedTenant(db, '322067', '安来市');
  const fcm = await startFakeFcm();
  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    ACK_TOKEN_SECRET,
  };
  const apiEnv = { ...shared, JWT_SECRET, LIVE_PUSH_INTERVAL_MS: '500' };
  const fanoutEnv = {
    ...shared,
    ...FAST_FANOUT,
    FANOUT_CHANNELS: 'receiver,fcm',
    ...fcm.env,
    ...fanoutSettings,
  };
  // one after another: on a loaded 2-core box, four apps compiling from source at once each take four times as long
  const up: AppProcess[] = [];
  try {
    for (const [entry, env] of [
      ['apps/api/src/main.ts', apiEnv],
      ['apps/api/src/main.ts', apiEnv],
      ['apps/fanout/src/main.ts', fanoutEnv],
      ['apps/fanout/src/main.ts', fanoutEnv],
    ] as const) {
      up.push(await startAppProcess(entry, env, { readyTimeoutMs: READY_TIMEOUT_MS }));
    }
  } catch (err) {
    await Promise.all(up.map((p) => p.kill()));
    await fcm.close();
    await db.drop();
    throw err;
  }
  return {
    db,
    prefix,
    tenant,
    seed: new Seeder(db),
    fcm,
    apis: up.slice(0, 2),
    fanouts: up.slice(2),
    apiEnv,
    fanoutEnv,
    async close() {
      await Promise.all([...up].map((p) => p.stop()));
      await fcm.close();
      await dropQueueKeys(prefix);
      await db.drop();
    },
  };
}

/** A JSON request to one api process; resolves to its status and body. */
export async function call(
  api: AppProcess,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Signs in through `api`: an operator token is good at every api process (one JWT_SECRET). */
export async function signIn(api: AppProcess, tenant: Tenant, role: Role): Promise<string> {
  const res = await call(api, 'POST', '/v1/auth/login', {
    body: { email: tenant.operators[role].email, password: PASSWORD },
  });
  if (res.status !== 200) throw new Error(`login ${role}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** Expects a 2xx answer whose `status` is `status`. */
export async function expectAlertStatus(
  pending: Promise<{ status: number; body: Record<string, unknown> }>,
  status: string,
): Promise<Record<string, unknown>> {
  const res = await pending;
  if (res.status >= 300 || res.body.status !== status) {
    throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/**
 * `fanout_deliveries_total` of one fanout process as its `/metrics` shows it: delivery attempts it recorded, by
 * `channel/outcome`.
 */
export async function deliveriesRecordedBy(fanout: AppProcess): Promise<Record<string, number>> {
  const text = await (await fetch(`${fanout.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('fanout_deliveries_total{')) continue;
    const channel = /channel="([^"]+)"/.exec(line)?.[1];
    const outcome = /outcome="([^"]+)"/.exec(line)?.[1];
    out[`${channel}/${outcome}`] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

export const total = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);

/** Delivery counts of an alert by channel and status, straight from the table. */
export async function countsInDatabase(
  db: TestDatabase,
  alertId: string,
): Promise<Record<string, Record<string, number>>> {
  const rows = await db.dataSource.query<{ channel: string; status: string; n: number }[]>(
    `SELECT channel, status, count(*)::int AS n FROM delivery WHERE alert_id = $1 GROUP BY 1, 2`,
    [alertId],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.channel] ??= {})[r.status] = r.n;
  return out;
}

/** JSON with keys sorted at every level, to compare counters whatever order they were built in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Posts acks by signed token as a phone would, through a load balancer in front of `apis`: request `i` goes to
 * `apis[i % n]`, and one that gets no answer (connection refused or reset: a process gone) or a 5xx is sent again
 * to the next api, as a load balancer retrying an idempotent request would. Resolves to the api index that
 * recorded each ack (by delivery id) once every one was answered as recorded.
 */
export class AckClient {
  /** Which api recorded each delivery's ack. */
  readonly recordedBy = new Map<string, number>();
  /** Requests sent again to another api after no answer or a 5xx. */
  retried = 0;
  private next = 0;

  constructor(private readonly apis: readonly AppProcess[]) {}

  async ack(deliveryId: string, token: string): Promise<void> {
    const first = this.next++ % this.apis.length;
    for (let attempt = 0; attempt < 20; attempt++) {
      const i = (first + attempt) % this.apis.length;
      const answer = await call(this.apis[i], 'POST', '/v1/acks/signed', {
        body: { token, stage: 'delivered' },
      }).catch(() => undefined);
      if (answer && answer.status === 200 && answer.body.recorded === true) {
        this.recordedBy.set(deliveryId, i);
        return;
      }
      if (answer && answer.status < 500) {
        throw new Error(`ack ${deliveryId}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      this.retried++;
    }
    throw new Error(`ack ${deliveryId}: no api recorded it`);
  }

  /** Acks `items` with `concurrency` requests in flight. */
  async ackAll(items: readonly { deliveryId: string; token: string }[], concurrency = 16): Promise<void> {
    let k = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (k < items.length) {
          const item = items[k++];
          await this.ack(item.deliveryId, item.token);
        }
      }),
    );
  }
}
