/**
 * Horizontal scale: one alert to N app users through several api and fanout processes on one Postgres database
 * and one Redis prefix, then every recipient's ack by signed token through the apis in turn.
 *
 *   npm run bench:scale -- [--recipients 50000] [--apis 2] [--fanouts 2] [--ack-concurrency 64]
 *                          [--env FANOUT_CONCURRENCY_FCM=4,…]
 *
 * Processes: `--apis` built `api` apps and `--fanouts` built `fanout` apps, each its own OS process on its own
 * port, and the fake FCM (bench/fanout/timed-fake-fcm.main.ts, HTTP/2, arrival times kept per millisecond).
 * Database `bousai_bench_scale` (dropped, created and migrated every run), Redis db 5 under `bousai-bench-scale`.
 *
 * One run: the operator creates and submits through api #1, the approver approves through api #2, the operator
 * sends through api #1; t0 = that answer. `allAcceptedMs`: t0 to the last message the fake accepted;
 * `recordedMs`: t0 to the alert's `sent_at` (every outcome durable). Each fanout's share is its own
 * `fanout_deliveries_total` (GET /metrics). Then the acks: one `POST /v1/acks/signed` per delivery (the token a
 * phone finds in its push: signed here with the shared ACK_TOKEN_SECRET, as the fanout signs it), request i to
 * api i mod `--apis`, `--ack-concurrency` in flight; `acksPerSec` counts acks answered as recorded, and every
 * row is checked `delivered` afterwards. The fake answers in microseconds and the FCM quota is lifted, so these
 * are the box's limits. Prints a table, then as its last line one JSON object. Asserts nothing.
 */
import './fanout/register-paths';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDeliveryAckToken } from '@bousai/domain';
import { clearRedis as clearRedisPrefixes, parseFlags, postJson } from './fanout/bench-cli';
import { prepareBenchDatabase } from './fanout/bench-database';
import { Children, startApp, TimedFakeFcm, type AppProcess } from './fanout/processes';
import { summarise } from './fanout/arrivals';
import { BENCH_MESSAGE } from './fanout/send-paths';

const DATABASE_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_NAME = 'bousai_bench_scale';
const REDIS_URL = 'redis://127.0.0.1:6379/5';
const QUEUE_PREFIX = 'bousai-bench-scale';
const ACK_TOKEN_SECRET = 'bench-scale-ack-token-secret-0123456789';
const JWT_SECRET = 'bench-scale-jwt-secret-0123456789-0123456789';
const FANOUT_NODE_ARGS = ['--max-old-space-size=256', '--max-semi-space-size=64'];

interface Options {
  recipients: number;
  apis: number;
  fanouts: number;
  ackConcurrency: number;
  env: Record<string, string>;
}

function parseArgs(argv: string[]): Options {
  const flags = parseFlags(argv, ['--recipients', '--apis', '--fanouts', '--ack-concurrency', '--env']);
  return {
    recipients: flags.int('--recipients', 50_000, 1),
    apis: flags.int('--apis', 2, 1),
    fanouts: flags.int('--fanouts', 2, 1),
    ackConcurrency: flags.int('--ack-concurrency', 64, 1),
    env: flags.env(/^((FANOUT|FCM|ACK|DATABASE)_[A-Z0-9_]+|LOG_LEVEL)$/),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const clearRedis = () => clearRedisPrefixes(REDIS_URL, [QUEUE_PREFIX]);
const post = postJson;

/** `fanout_deliveries_total` of one fanout, summed over channels and outcomes. */
async function deliveriesRecorded(fanout: AppProcess): Promise<number> {
  const text = await (await fetch(`${fanout.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('fanout_deliveries_total{'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const children = new Children();
  const logDir = mkdtempSync(join(tmpdir(), 'bousai-bench-scale-'));
  const onSignal = () => void children.stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const log = (msg: string) => console.error(`[bench] ${msg}`);
  try {
    log(`logs in ${logDir}`);
    const fake = await TimedFakeFcm.start(children);
    const credentialsFile = join(logDir, 'service-account.json');
    writeFileSync(credentialsFile, JSON.stringify(await fake.serviceAccount()));
    await clearRedis();
    log(`seeding ${opts.recipients} app users`);
    const world = await prepareBenchDatabase(DATABASE_SERVER, DATABASE_NAME, {
      fcm: opts.recipients,
      receivers: 0,
    });
    const shared = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: world.url,
      REDIS_URL,
      QUEUE_PREFIX,
      ACK_TOKEN_SECRET,
    };
    const start = (name: 'api' | 'fanout', i: number, env: Record<string, string>, args: string[] = []) => {
      const dir = join(logDir, `${name}-${i + 1}`);
      mkdirSync(dir);
      return startApp(children, name, env, dir, args);
    };
    // one after another: booting them all at once on a small box only makes each slower
    const apis: AppProcess[] = [];
    for (let i = 0; i < opts.apis; i++) apis.push(await start('api', i, { ...shared, JWT_SECRET }));
    const fanoutEnv = {
      ...shared,
      FANOUT_CHANNELS: 'fcm',
      FCM_BASE_URL: fake.url,
      FCM_TOKEN_URL: fake.tokenUrl,
      FCM_CREDENTIALS_FILE: credentialsFile,
      FCM_QUOTA_PER_MINUTE: String(1e9),
      ...opts.env,
    };
    const fanouts: AppProcess[] = [];
    for (let i = 0; i < opts.fanouts; i++)
      fanouts.push(await start('fanout', i, fanoutEnv, FANOUT_NODE_ARGS));
    log(`${apis.length} apis and ${fanouts.length} fanouts ready`);

    const [api1, api2 = api1] = apis.map((a) => a.url);
    const login = async (url: string, who: { email: string; password: string }) =>
      (await post<{ accessToken: string }>(url, '/v1/auth/login', who)).accessToken;
    const operator = await login(api1, world.operator);
    const approver = await login(api2, world.approver);
    const base = `/v1/municipalities/${world.municipalityId}/alerts`;
    const { id: alertId } = await post<{ id: string }>(
      api1,
      base,
      { texts: BENCH_MESSAGE.texts, severity: 'extreme', targeting: { all: true }, channels: ['fcm'] },
      operator,
    );
    await post(api1, `${base}/${alertId}/submit`, {}, operator);
    await post(api2, `${base}/${alertId}/approve`, {}, approver);
    await fake.clear();
    const loadBefore = loadavg()[0];
    await post(api1, `${base}/${alertId}/send`, {}, operator);
    const t0 = Date.now();
    const ds = world.dataSource;
    for (const deadline = t0 + 120_000 + opts.recipients; ;) {
      const [alert] = await ds.query<{ status: string }[]>(`SELECT status FROM alert WHERE id = $1`, [
        alertId,
      ]);
      if (alert.status === 'sent') break;
      if (Date.now() > deadline) throw new Error(`alert still ${alert.status} after ${Date.now() - t0} ms`);
      await sleep(50);
    }
    const arrivals = summarise(t0, await fake.arrivals());
    const stats = await fake.stats();
    const [{ sent }] = await ds.query<{ sent: number }[]>(
      `SELECT (extract(epoch FROM sent_at) * 1000)::float8 AS sent FROM alert WHERE id = $1`,
      [alertId],
    );
    const shares = await Promise.all(fanouts.map(deliveriesRecorded));

    // the acks, every one by its delivery's signed token, spread over the apis in turn
    const ids = (
      await ds.query<{ id: string }[]>(`SELECT id::text AS id FROM delivery WHERE alert_id = $1`, [alertId])
    ).map((r) => r.id);
    const expiresAt = Date.now() + 3_600_000;
    const tokens = ids.map((deliveryId) => signDeliveryAckToken({ deliveryId, expiresAt }, ACK_TOKEN_SECRET));
    const perApi = apis.map(() => 0);
    let next = 0;
    let refused = 0;
    const acksStarted = Date.now();
    await Promise.all(
      Array.from({ length: opts.ackConcurrency }, async () => {
        for (let k = next++; k < tokens.length; k = next++) {
          const i = k % apis.length;
          const res = await fetch(`${apis[i].url}/v1/acks/signed`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token: tokens[k], stage: 'delivered' }),
          });
          const body = (await res.json()) as { recorded?: boolean };
          if (res.status === 200 && body.recorded === true) perApi[i]++;
          else refused++;
        }
      }),
    );
    const acksMs = Date.now() - acksStarted;
    const counts = await ds.query<{ status: string; n: number }[]>(
      `SELECT status, count(*)::int AS n FROM delivery WHERE alert_id = $1 GROUP BY 1`,
      [alertId],
    );
    const result = {
      recipients: opts.recipients,
      apis: opts.apis,
      fanouts: opts.fanouts,
      accepted: stats.accepted,
      duplicates: stats.duplicates,
      firstAcceptedMs: arrivals.firstMs,
      allAcceptedMs: arrivals.lastMs,
      recordedMs: Math.round(Number(sent) - t0),
      fanoutShares: shares,
      acksRecorded: perApi.reduce((a, b) => a + b, 0),
      acksPerApi: perApi,
      acksRefused: refused,
      acksMs,
      acksPerSec: Math.round((perApi.reduce((a, b) => a + b, 0) / acksMs) * 1_000),
      statusCounts: Object.fromEntries(counts.map((c) => [c.status, c.n])),
      loadAvg: [loadBefore, loadavg()[0]],
      env: opts.env,
    };
    console.log(
      [
        `recipients            ${result.recipients} (${result.apis} apis, ${result.fanouts} fanouts)`,
        `accepted / duplicates ${result.accepted} / ${result.duplicates}`,
        `first / all accepted  ${result.firstAcceptedMs} ms / ${result.allAcceptedMs} ms after send`,
        `recorded (sent_at)    ${result.recordedMs} ms after send`,
        `per-fanout share      ${shares.map((s) => `${s} (${((s / opts.recipients) * 100).toFixed(1)} %)`).join(', ')}`,
        `acks                  ${result.acksRecorded} in ${acksMs} ms = ${result.acksPerSec}/s, per api ${perApi.join(', ')}, refused ${refused}`,
        `rows                  ${JSON.stringify(result.statusCounts)}`,
      ].join('\n'),
    );
    console.log(JSON.stringify(result));
    await world.close();
  } finally {
    await children.stopAll();
    await clearRedis();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
