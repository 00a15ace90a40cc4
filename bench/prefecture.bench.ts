/**
 * A prefecture in one run (issue 22): ≈ 1M endpoints over 島根県's 19 municipalities, one alert to every endpoint of
 * each municipality sent at once (J-ALERT reaches every municipality together), then 70 % of the phones and
 * browsers acknowledging, one ack per request.
 *
 *   npm run bench:prefecture -- [--endpoints 1000000] [--receivers N] [--webpush N] [--email N]
 *                               [--ack-share 0.7] [--connections 128] [--env FANOUT_CONCURRENCY_FCM=4,…]
 *
 * `--endpoints` defaults to 1,000,000 (`--endpoints 100000` for a quick run): 3 % Web Push, 2 % confirmed email addresses, 0.5 %
 * household receivers (at most 5,000: the simulator holds a socket per device on this box) and FCM the rest, each
 * split between the municipalities by their 2020 census population (bench/fanout/prefecture-roster.ts). One area
 * and one household per app user per municipality, seeded set-based (`generate_series`).
 *
 * Processes: the built `api` and `fanout` apps (the fanout with its production Node flags, sending on every
 * channel), the timed fakes for FCM, Web Push and SMTP and the receiver simulator, all on 127.0.0.1. Database
 * `bousai_bench_prefecture` (dropped, created and migrated; dropped again at the end), Redis db 5 under
 * `bousai-bench-prefecture`.
 *
 * One run: per municipality its operator creates and submits, its approver approves (unmeasured); then the 19
 * `send`s go out together; t0 = the moment they were issued. allAccepted = the last message the fakes accepted
 * and the last receiver ack durable; recorded = every alert `sent` (every outcome durable). Then, the fan-out
 * over, `--ack-share` of the FCM and Web Push deliveries (a random sample) are acknowledged through the api, one
 * `POST /v1/acks/signed` a delivery with the token the push carried (signed here with the same secret),
 * `--connections` in flight, as `bench:acks`'s `http-token` phase sends them; `lost` counts acks answered as
 * recorded whose row does not show them. Prints a table, then as its last line one JSON object. Asserts nothing.
 */
import './fanout/register-paths';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDeliveryAckToken } from '@bousai/domain';
import { ackBySignedToken, countLost, httpClient, percentile, runPool } from './fanout/ack-load';
import { NO_ARRIVALS, summarise } from './fanout/arrivals';
import { clearRedis as clearRedisPrefixes, parseFlags, postJson } from './fanout/bench-cli';
import { dropBenchDatabase } from './fanout/bench-database';
import { preparePrefectureDatabase, prefectureMix, type PrefectureWorld } from './fanout/prefecture-roster';
import { Children, cpuSeconds, residentMb, startApp, startReceivers, TimedFakeFcm } from './fanout/processes';
import { benchSenderEnv } from './fanout/sender-env';
import { BENCH_MESSAGE } from './fanout/send-paths';
import { settle } from './fanout/settle';
import { TimedFakePush, TimedFakeSmtp } from './fanout/timed-fakes';

const DATABASE_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_NAME = 'bousai_bench_prefecture';
const REDIS_URL = 'redis://127.0.0.1:6379/5';
const QUEUE_PREFIX = 'bousai-bench-prefecture';
/** As `npm run start:fanout` starts it (see bench/fanout.bench.ts). */
const FANOUT_NODE_ARGS = ['--max-old-space-size=256', '--max-semi-space-size=64'];
const JWT_SECRET = 'bench-prefecture-jwt-secret-0123456789-0123456789';
/** The acks' bar (issue 22): 70 % of the devices acknowledged within a minute. */
const ACK_BAR_MS = 60_000;

interface Options {
  endpoints: number;
  fcm: number;
  webpush: number;
  email: number;
  receivers: number;
  ackShare: number;
  connections: number;
  env: Record<string, string>;
}

function parseArgs(argv: string[]): Options {
  const flags = parseFlags(argv, [
    '--endpoints',
    '--receivers',
    '--webpush',
    '--email',
    '--ack-share',
    '--connections',
    '--env',
  ]);
  const endpoints = flags.int('--endpoints', 1_000_000, 1);
  const receivers = flags.int('--receivers', Math.min(5_000, Math.round(endpoints * 0.005)));
  const webpush = flags.int('--webpush', Math.round(endpoints * 0.03));
  const email = flags.int('--email', Math.round(endpoints * 0.02));
  const fcm = endpoints - receivers - webpush - email;
  if (fcm < 0) throw new Error('--receivers, --webpush and --email exceed --endpoints');
  const ackShare = Number(flags.get('--ack-share') ?? 0.7);
  if (!(ackShare > 0 && ackShare <= 1)) throw new Error('--ack-share is a fraction in (0, 1]');
  return {
    endpoints,
    fcm,
    webpush,
    email,
    receivers,
    ackShare,
    connections: flags.int('--connections', 128, 1),
    env: flags.env(/^((FANOUT|FCM|WEBPUSH|SMTP|DATABASE)_[A-Z0-9_]+|LOG_LEVEL)$/),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number | null, digits = 0) => (n === null ? null : Number(n.toFixed(digits)));

const clearRedis = () => clearRedisPrefixes(REDIS_URL, [QUEUE_PREFIX]);
const post = postJson;

/** Each municipality's alert to all its endpoints, created, submitted and approved: ready to send. */
async function prepareAlerts(
  apiUrl: string,
  world: PrefectureWorld,
): Promise<{ path: string; token: string; id: string }[]> {
  const channels = ['fcm', 'webpush', 'email', 'receiver'];
  const out = [];
  for (const m of world.municipalities) {
    const login = async (who: { email: string; password: string }) =>
      (await post<{ accessToken: string }>(apiUrl, '/v1/auth/login', who)).accessToken;
    const [operator, approver] = [await login(m.operator), await login(m.approver)];
    const base = `/v1/municipalities/${m.id}/alerts`;
    const { id } = await post<{ id: string }>(
      apiUrl,
      base,
      { texts: BENCH_MESSAGE.texts, severity: 'extreme', targeting: { all: true }, channels },
      operator,
    );
    await post(apiUrl, `${base}/${id}/submit`, {}, operator);
    await post(apiUrl, `${base}/${id}/approve`, {}, approver);
    out.push({ path: `${base}/${id}/send`, token: operator, id });
  }
  return out;
}

/** A deterministic shuffle (xorshift), so every run samples the same share the same way. */
function sample<T>(items: T[], share: number): T[] {
  let seed = 0x2545f491;
  for (let i = items.length - 1; i > 0; i--) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const j = (seed >>> 0) % (i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items.slice(0, Math.round(items.length * share));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const children = new Children();
  const logDir = mkdtempSync(join(tmpdir(), 'bousai-bench-prefecture-'));
  const onSignal = () => void children.stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const log = (msg: string) => console.error(`[bench] ${msg}`);
  let world: PrefectureWorld | undefined;
  try {
    log(`logs in ${logDir}`);
    const fake = await TimedFakeFcm.start(children);
    const push = await TimedFakePush.start(children, 100);
    const smtp = await TimedFakeSmtp.start(children);
    const senders = { ...(await benchSenderEnv(fake, smtp.port, logDir)), ...opts.env };
    let phase = Date.now();
    const subscriptions = await push.createSubscriptions(opts.webpush);
    const mixes = prefectureMix(opts);
    log(
      `seeding ${opts.endpoints} endpoints over ${mixes.length} municipalities (${opts.fcm} FCM, ${opts.webpush} Web Push, ${opts.email} email, ${opts.receivers} receivers)`,
    );
    world = await preparePrefectureDatabase(DATABASE_SERVER, DATABASE_NAME, mixes, subscriptions);
    const seedMs = Date.now() - phase;
    log(`seeded in ${seedMs} ms`);
    await clearRedis();

    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      REDIS_URL,
      QUEUE_PREFIX,
      DATABASE_URL: world.url,
    };
    const api = await startApp(
      children,
      'api',
      { ...common, JWT_SECRET, ACK_TOKEN_SECRET: senders.ACK_TOKEN_SECRET },
      logDir,
    );
    const fanout = await startApp(
      children,
      'fanout',
      { ...common, ...senders, FANOUT_CHANNELS: 'receiver,fcm,webpush,email' },
      logDir,
      FANOUT_NODE_ARGS,
    );
    const fanoutPid = fanout.child.pid;
    if (fanoutPid === undefined) throw new Error('fanout has no pid');
    if (opts.receivers > 0) {
      phase = Date.now();
      await startReceivers(
        children,
        api.url,
        opts.receivers,
        world.receiverSerialPrefix,
        world.receiverSecret,
        logDir,
      );
      log(`${opts.receivers} receivers connected in ${Date.now() - phase} ms`);
    }
    const sends = await prepareAlerts(api.url, world);
    const alertIds = sends.map((s) => s.id);
    await Promise.all([fake.clear(), push.clear(), smtp.clear()]);
    const quiet = await settle(world.dataSource);
    log(`settled in ${quiet.waitedMs} ms (${quiet.quiet ? 'quiet' : 'the box is busy: measuring anyway'})`);

    // --- the fan-out: 19 sends at once ---
    const cpu0 = { fanout: cpuSeconds(fanoutPid), api: cpuSeconds(api.child.pid ?? 0) };
    const rssAtSendMb = residentMb(fanoutPid, 'VmRSS');
    const loadAtSend = loadavg()[0];
    log(`sending ${sends.length} alerts at once`);
    const t0 = Date.now();
    await Promise.all(sends.map((s) => post(api.url, s.path, {}, s.token)));
    const sendsAnsweredMs = Date.now() - t0;
    const ds = world.dataSource;
    for (const deadline = t0 + 120_000 + opts.endpoints; ;) {
      const [{ pending }] = await ds.query<{ pending: number }[]>(
        `SELECT count(*)::int AS pending FROM alert WHERE id = ANY($1) AND status <> 'sent'`,
        [alertIds],
      );
      if (pending === 0) break;
      if (Date.now() > deadline) throw new Error(`${pending} alerts not sent after ${Date.now() - t0} ms`);
      await sleep(100);
    }
    const rssPeakMb = residentMb(fanoutPid);
    const fanoutCpuS = cpuSeconds(fanoutPid) - cpu0.fanout;
    const loadAtEnd = loadavg()[0];
    const arrivals = {
      fcm: summarise(t0, opts.fcm > 0 ? await fake.arrivals() : NO_ARRIVALS),
      webpush: summarise(t0, opts.webpush > 0 ? await push.arrivals() : NO_ARRIVALS),
      email: summarise(t0, opts.email > 0 ? await smtp.arrivals() : NO_ARRIVALS),
    };
    const [{ receivers: receiverLast }] = await ds.query<{ receivers: number | null }[]>(
      `SELECT (extract(epoch FROM max(delivered_at)) * 1000)::float8 AS receivers
         FROM delivery WHERE alert_id = ANY($1) AND channel = 'receiver' AND delivered_at IS NOT NULL`,
      [alertIds],
    );
    const [{ recorded }] = await ds.query<{ recorded: number }[]>(
      `SELECT (extract(epoch FROM max(sent_at)) * 1000)::float8 AS recorded FROM alert WHERE id = ANY($1)`,
      [alertIds],
    );
    const rows = await ds.query<{ key: string; n: number }[]>(
      `SELECT channel || ':' || status AS key, count(*)::int AS n FROM delivery WHERE alert_id = ANY($1) GROUP BY 1`,
      [alertIds],
    );
    const statusCounts = Object.fromEntries(rows.map((r) => [r.key, r.n]));
    const receiversDelivered =
      (statusCounts['receiver:delivered'] ?? 0) + (statusCounts['receiver:played'] ?? 0);
    const accepted = arrivals.fcm.count + arrivals.webpush.count + arrivals.email.count + receiversDelivered;
    const lastByChannel = {
      fcm: arrivals.fcm.lastMs,
      webpush: arrivals.webpush.lastMs,
      email: arrivals.email.lastMs,
      receiver: receiverLast === null ? null : Number(receiverLast) - t0,
    };
    const allAcceptedMs = Math.max(0, ...Object.values(lastByChannel).map((v) => v ?? 0));
    const duplicates = {
      fcm: (await fake.stats()).duplicates,
      webpush: (await push.stats()).duplicates,
      email: (await smtp.stats()).duplicates,
    };

    // --- the acks: a share of the phones and browsers, one signed-token ack a request ---
    const appDeliveries = (
      await ds.query<{ id: string }[]>(
        `SELECT id::text AS id FROM delivery WHERE alert_id = ANY($1) AND channel IN ('fcm', 'webpush')`,
        [alertIds],
      )
    ).map((r) => r.id);
    const acking = sample(appDeliveries, opts.ackShare);
    const expiresAt = Date.now() + 3_600_000;
    const jobs = acking.map((deliveryId) => ({
      deliveryId,
      token: signDeliveryAckToken({ deliveryId, expiresAt }, senders.ACK_TOKEN_SECRET),
    }));
    log(
      `${jobs.length} acks (${Math.round(opts.ackShare * 100)} % of ${appDeliveries.length} app deliveries)`,
    );
    const http = httpClient(api.url, opts.connections);
    const apiCpuBeforeAcks = cpuSeconds(api.child.pid ?? 0);
    const acks = await runPool(jobs, opts.connections, (job) => ackBySignedToken(http, job));
    http.close();
    const apiAckCpuS = cpuSeconds(api.child.pid ?? 0) - apiCpuBeforeAcks;
    const lost = await countLost(world, acks.accepted, 'delivered');
    const acksMs = Math.round(acks.seconds * 1_000);

    const result = {
      endpoints: opts.endpoints,
      municipalities: world.municipalities.length,
      perChannel: { fcm: opts.fcm, webpush: opts.webpush, email: opts.email, receiver: opts.receivers },
      seedMs,
      sendsAnsweredMs,
      accepted,
      complete: accepted === opts.endpoints,
      firstAcceptedMs: Math.min(
        ...[arrivals.fcm.firstMs, arrivals.webpush.firstMs, arrivals.email.firstMs].map((v) => v ?? Infinity),
      ),
      allAcceptedMs: Math.round(allAcceptedMs),
      allAcceptedMsByChannel: Object.fromEntries(
        Object.entries(lastByChannel).map(([k, v]) => [k, round(v)]),
      ),
      recordedMs: Math.round(Number(recorded) - t0),
      deliveriesPerSec: round(allAcceptedMs > 0 ? (accepted / allAcceptedMs) * 1_000 : 0),
      duplicates,
      fanoutRssPeakMb: round(rssPeakMb, 1),
      fanoutRssAtSendMb: round(rssAtSendMb, 1),
      fanoutCpuS: round(fanoutCpuS, 1),
      loadAvg1m: [round(loadAtSend, 1), round(loadAtEnd, 1)],
      acks: {
        devices: appDeliveries.length,
        sent: jobs.length,
        recorded: acks.accepted.length,
        failed: acks.failed,
        ms: acksMs,
        perSec: Math.round(acks.accepted.length / acks.seconds),
        p50Ms: round(percentile(acks.latencies, 50), 1),
        p99Ms: round(percentile(acks.latencies, 99), 1),
        apiCpuMicrosPerAck: round((apiAckCpuS * 1e6) / Math.max(1, acks.accepted.length)),
        withinAMinute: acks.failed === 0 && acksMs <= ACK_BAR_MS,
        lost,
      },
      statusCounts,
      env: opts.env,
    };
    const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
    console.log(
      [
        `\n島根県 in one run: ${opts.endpoints} endpoints, ${result.municipalities} municipalities, one alert each sent at once`,
        `  endpoints            FCM ${opts.fcm}, Web Push ${opts.webpush}, email ${opts.email}, receivers ${opts.receivers} (seeded in ${seedMs} ms)`,
        `  sends answered       ${sendsAnsweredMs} ms after t0 (19 POST …/send at once)`,
        `  accepted             ${accepted} of ${opts.endpoints}; duplicates ${JSON.stringify(duplicates)}`,
        `  first / all accepted ${ms(result.firstAcceptedMs)} / ${ms(allAcceptedMs)} (FCM ${ms(lastByChannel.fcm)}, Web Push ${ms(lastByChannel.webpush)}, email ${ms(lastByChannel.email)}, receivers ${ms(lastByChannel.receiver)})`,
        `  every outcome recorded ${ms(result.recordedMs)}`,
        `  deliveries/s         ${result.deliveriesPerSec}`,
        `  fanout RSS           peak ${result.fanoutRssPeakMb} MB (at send ${result.fanoutRssAtSendMb} MB), CPU ${result.fanoutCpuS} s`,
        `  acks                 ${acks.accepted.length} of ${jobs.length} (${Math.round(opts.ackShare * 100)} % of ${appDeliveries.length}) in ${acksMs} ms = ${result.acks.perSec}/s, p50 ${result.acks.p50Ms} ms, p99 ${result.acks.p99Ms} ms, failed ${acks.failed}, lost ${lost}`,
        `  acks within a minute ${result.acks.withinAMinute ? 'yes' : 'NO'}`,
        `  load average (1 min) ${result.loadAvg1m.join(' at send, ')} at the end`,
      ].join('\n'),
    );
    console.log(JSON.stringify(result));
  } finally {
    await children.stopAll();
    await world?.close();
    await clearRedis();
    await dropBenchDatabase(DATABASE_SERVER, DATABASE_NAME);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
