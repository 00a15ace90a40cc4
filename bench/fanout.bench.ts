/**
 * End-to-end fan-out benchmark: one alert to N recipients through the real apps, each in its own process.
 *
 *   npm run bench:fanout -- --recipients 200000 [--channels fcm[,receiver][,webpush][,email]] [--receivers 2000]
 *                           [--webpush N] [--email N] [--push-decrypt-every 100]
 *                           [--baseline-recipients 5000] [--ceiling-recipients N] [--skip-baseline] [--skip-ceiling]
 *                           [--profile] [--env FANOUT_CONCURRENCY_FCM=4,…] [--node-flags v8-pool-size=2,…]
 *
 * `--recipients` counts app users (FCM, Web Push, email); `--receivers` the household receivers of a mixed run
 * (default 2,000, so `--recipients 12000 --channels fcm,receiver` is Yasugi's size). With one app channel it gets
 * them all; with several, `--webpush` and `--email` say how many (default a quarter on Web Push and a twelfth on
 * email) and FCM gets the rest: `--recipients 12000 --channels fcm,receiver,webpush,email` is 8k FCM, 3k Web
 * Push, 1k email and 2k receivers. `--env` passes fanout settings to the fanout process and to the ceiling's
 * sender alike; `--node-flags` adds Node/V8 flags (without their leading dashes) to the fanout process's own.
 *
 * Web Push goes to the fake push service (libs/testing; HTTPS, every VAPID JWT and aes128gcm header checked, one
 * payload in `--push-decrypt-every` decrypted: a real push service decrypts none, and this one shares the box
 * with the sender) and email to the fake SMTP relay (libs/testing; smtp-server, every message parsed), each in a process of its own
 * (bench/fanout/timed-fake-push.main.ts, timed-fake-smtp.main.ts) that timestamps every accepted message. The
 * Web Push subscriptions are created by that fake (so it can decrypt), the email addresses are confirmed.
 * With exactly one app channel, the ceiling is that channel's adapter fed from memory and the baseline is: FCM,
 * the naive one-job-per-recipient design sending with firebase-admin's `send` (and, as a second figure, the same
 * design given the engine's own HTTP/2 sender: the queue and database design alone); Web Push, web-push's
 * default `sendNotification` per message (a JWT signed per message, no caching); email, nodemailer without a
 * pool (one connection per message). A run with several app channels measures neither.
 *
 * Processes: the built `api` (alert lifecycle + the receivers' socket.io gateway) and `fanout` apps, the fake FCM
 * (bench/fanout/timed-fake-fcm.main.ts) and, with `receiver`, the receiver simulator. Postgres database
 * `bousai_bench` (dropped, created and migrated every run) and Redis db 5 under the prefix `bousai-bench`: dev
 * data is never touched.
 *
 * One run: seed the audience; operator creates, submits, approver approves; t0 = the moment the api answered
 * the HTTP `send` (its transaction with the outbox row has committed). Per delivery: FCM = arrival at the fake,
 * receiver = the device's own receipt time as it acknowledged it. allDone = the last FCM message accepted and
 * the last receiver ack durable in Postgres. Then, in the same run against the same fake: the ceiling (the same
 * HTTP/2 sender fed from memory, no queue, no database) and the baselines (the naive design: one BullMQ job, one
 * send and one INSERT per recipient; firebase-admin's sender, then ours) on a smaller N. The fake FCM answers in
 * microseconds over h2c, so these are this machine's limits, not FCM's: the client-side quota is lifted for the
 * run (FCM's default 600k/min would cap every path at 10k/s).
 *
 * Prints a table, then as its last line one JSON object with the figures. Asserts nothing. The apps' logs (and
 * with `--profile`, the fanout's `.cpuprofile`) stay in the directory printed at the start.
 */
import './fanout/register-paths';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@bousai/config';
import { clearRedis as clearRedisPrefixes } from './fanout/bench-cli';
import { NO_ARRIVALS, summarise, type Arrivals, type LatencySummary } from './fanout/arrivals';
import { BENCH_APPLICATION_NAME, type BenchWorld, prepareBenchDatabase } from './fanout/bench-database';
import { type FakePushSubscription } from '@bousai/testing';
import {
  type ChannelEnv,
  runEmailBaseline,
  runEmailCeiling,
  runWebPushCeiling,
  runWebPushLibraryBaseline,
} from './fanout/channel-send-paths';
import { Children, cpuSeconds, residentMb, startApp, startReceivers, TimedFakeFcm } from './fanout/processes';
import { benchSenderEnv } from './fanout/sender-env';
import { settle, type Settled } from './fanout/settle';
import { type TimedFake, TimedFakePush, TimedFakeSmtp } from './fanout/timed-fakes';
import {
  BENCH_MESSAGE,
  type FcmEnv,
  type NaiveSenderKind,
  NAIVE_CONCURRENCY,
  runCeiling,
  runNaiveBaseline,
} from './fanout/send-paths';

/**
 * The fanout's Node flags, as `npm run start:fanout` and docker-compose start it: a bounded old generation keeps
 * its RSS flat over a 1M-recipient alert (V8 otherwise lets the heap grow long before it collects); a larger young
 * generation lets a batch's short-lived objects (claimed rows, request bodies, outcomes) die there: ≈11 % less
 * fanout CPU per delivery here, peak RSS unchanged.
 */
const FANOUT_NODE_ARGS = ['--max-old-space-size=256', '--max-semi-space-size=64'];

const DATABASE_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_NAME = 'bousai_bench';
const REDIS_URL = 'redis://127.0.0.1:6379/5';
const QUEUE_PREFIX = 'bousai-bench';
const NAIVE_PREFIX = 'bousai-bench-naive';
/** ≈2k receivers + 12k app users, with some slack: runs up to this size are held to the 4 s (10 s mixed) bar. */
const YASUGI_SCALE = 20_000;
/** A Yasugi-scale alert over every channel (receivers, FCM, Web Push, email) completes each within this. */
const MIXED_BAR_MS = 10_000;

type BenchChannel = 'fcm' | 'receiver' | 'webpush' | 'email';
type AppChannel = 'fcm' | 'webpush' | 'email';
const APP_CHANNELS: readonly AppChannel[] = ['fcm', 'webpush', 'email'];

interface Options {
  channels: BenchChannel[];
  fcm: number;
  receivers: number;
  webpush: number;
  email: number;
  /** The fake push service decrypts one push in this many (`--push-decrypt-every`; a real one decrypts none). */
  pushDecryptEvery: number;
  /** The app channel whose ceiling and baseline are measured: the only one of the run, else none. */
  measured: AppChannel | null;
  baseline: number | null;
  ceiling: number | null;
  profile: boolean;
  /** Fanout settings for this run (`--env KEY=VALUE,…`), e.g. FANOUT_CONCURRENCY_FCM=4: tuning experiments. */
  env: Record<string, string>;
  /** Node/V8 flags the fanout process gets besides FANOUT_NODE_ARGS (`--node-flags a,b=1`): tuning experiments. */
  nodeFlags: string[];
}

function parseArgs(argv: string[]): Options {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const value = argv[i + 1];
    if (value !== undefined && !value.startsWith('--')) {
      flags.set(arg, value);
      i++;
    } else {
      flags.set(arg, true);
    }
  }
  const known = [
    '--recipients',
    '--channels',
    '--receivers',
    '--baseline-recipients',
    '--ceiling-recipients',
    '--skip-baseline',
    '--skip-ceiling',
    '--profile',
    '--env',
    '--webpush',
    '--email',
    '--push-decrypt-every',
    '--node-flags',
  ];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`unknown option ${k}`);
  const count = (name: string, fallback: number): number => {
    const v = flags.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer`);
    return n;
  };
  const channelsFlag = flags.get('--channels');
  const channels = (typeof channelsFlag === 'string' ? channelsFlag : 'fcm').split(',').map((c) => c.trim());
  for (const c of channels)
    if (c !== 'receiver' && !APP_CHANNELS.includes(c as AppChannel))
      throw new Error(`unsupported channel ${c}`);
  const typed = [...new Set(channels)] as BenchChannel[];
  const recipients = count('--recipients', 20_000);
  const apps = APP_CHANNELS.filter((c) => typed.includes(c));
  const split = splitRecipients(apps, recipients, {
    webpush: flags.has('--webpush') ? count('--webpush', 0) : undefined,
    email: flags.has('--email') ? count('--email', 0) : undefined,
  });
  const receivers = typed.includes('receiver')
    ? count('--receivers', apps.length > 0 ? 2_000 : recipients)
    : 0;
  const measured = apps.length === 1 ? apps[0] : null;
  const defaults: Record<AppChannel, { baseline: number; ceiling: number }> = {
    fcm: { baseline: 5_000, ceiling: Math.min(split.fcm, 200_000) },
    webpush: { baseline: Math.min(split.webpush, 3_000), ceiling: split.webpush },
    email: { baseline: Math.min(split.email, 2_000), ceiling: split.email },
  };
  return {
    channels: typed,
    ...split,
    receivers,
    pushDecryptEvery: count('--push-decrypt-every', 100),
    measured,
    baseline:
      measured && !flags.has('--skip-baseline')
        ? count('--baseline-recipients', defaults[measured].baseline)
        : null,
    ceiling:
      measured && !flags.has('--skip-ceiling')
        ? count('--ceiling-recipients', defaults[measured].ceiling)
        : null,
    profile: flags.has('--profile'),
    env: parseEnv(flags.get('--env')),
    nodeFlags: parseNodeFlags(flags.get('--node-flags')),
  };
}

/** `v8-pool-size=2,single-threaded-gc` → ['--v8-pool-size=2', '--single-threaded-gc']. */
function parseNodeFlags(flag: string | true | undefined): string[] {
  if (flag === undefined) return [];
  if (flag === true) throw new Error('--node-flags needs a value, e.g. v8-pool-size=2');
  return flag.split(',').map((f) => {
    const name = f.trim();
    if (!/^[a-z][a-z0-9-]*(=[\w./-]+)?$/.test(name)) throw new Error(`--node-flags: ${name} is not a flag`);
    return `--${name}`;
  });
}

/** App users per channel: all of them on a lone channel; else Web Push and email as asked, FCM the rest. */
function splitRecipients(
  apps: readonly AppChannel[],
  recipients: number,
  asked: { webpush: number | undefined; email: number | undefined },
): Record<AppChannel, number> {
  const out: Record<AppChannel, number> = { fcm: 0, webpush: 0, email: 0 };
  if (apps.length === 1) {
    out[apps[0]] = recipients;
    return out;
  }
  if (apps.includes('webpush')) out.webpush = asked.webpush ?? Math.round(recipients / 4);
  if (apps.includes('email')) out.email = asked.email ?? Math.round(recipients / 12);
  const rest = recipients - out.webpush - out.email;
  if (apps.includes('fcm')) out.fcm = rest;
  else if (asked.webpush === undefined && apps.includes('webpush')) out.webpush += rest;
  else if (apps.includes('email')) out.email += rest;
  if (rest < 0 || apps.some((c) => out[c] < 1))
    throw new Error(`--recipients ${recipients} cannot be split as ${JSON.stringify(out)}`);
  return out;
}

function parseEnv(flag: string | true | undefined): Record<string, string> {
  if (flag === undefined) return {};
  if (flag === true) throw new Error('--env needs KEY=VALUE[,KEY=VALUE…]');
  const env: Record<string, string> = {};
  for (const pair of flag.split(',')) {
    const match =
      /^(FANOUT_[A-Z0-9_]+|FCM_[A-Z0-9_]+|WEBPUSH_[A-Z0-9_]+|SMTP_[A-Z0-9_]+|DATABASE_POOL_SIZE|LOG_LEVEL)=(.+)$/.exec(
        pair.trim(),
      );
    if (!match)
      throw new Error(
        `--env: ${pair} is not FANOUT_*/FCM_*/WEBPUSH_*/SMTP_*/DATABASE_POOL_SIZE/LOG_LEVEL=value`,
      );
    env[match[1]] = match[2];
  }
  return env;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const clearRedis = () => clearRedisPrefixes(REDIS_URL, [QUEUE_PREFIX, NAIVE_PREFIX]);

async function api<T>(
  url: string,
  path: string,
  body: object | undefined,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body ?? {}),
  });
  const json = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
  return { status: res.status, body: json };
}

interface MainRun {
  t0: number;
  sendRequestMs: number;
  fcm: Arrivals;
  fcmAccepted: number;
  fcmDuplicates: number;
  webpush: Arrivals;
  email: Arrivals;
  /** (subscription or address, alert) pairs the fake accepted more than once. */
  webpushDuplicates: number;
  /** Pushes the fake decrypted and read (the sample), every one of them valid. */
  webpushDecrypted: number;
  /** The engine's pushes by the HTTP version they reached the fake over. */
  webpushByProtocol: { 'http/1.1': number; h2: number } | undefined;
  emailDuplicates: number;
  receiverDeviceMs: number[];
  receiverDurableMs: number[];
  recordedMs: number | null;
  statusCounts: Record<string, number>;
  rssMb: number;
  /** The fanout's RSS just before the send: what the idle app takes. */
  rssAtSendMb: number;
  /** CPU seconds used between the send and the end, by the fanout process and by the fakes (FCM, push, SMTP). */
  fanoutCpuS: number;
  fakeCpuS: number;
  fakePushCpuS: number | null;
  fakeSmtpCpuS: number | null;
  /** CPU seconds of the Postgres backends serving the benchmark database (api, fanout) over the same span. */
  postgresCpuS: number;
  /** 1-minute load average at the send and at the end: other work on the machine shows here. */
  loadAvg: [number, number];
}

/** Creates, submits, approves and sends one alert over HTTP, then waits until the fan-out has recorded it all. */
async function runMain(
  opts: Options,
  world: BenchWorld,
  fake: TimedFakeFcm,
  others: { push?: TimedFakePush; smtp?: TimedFakeSmtp },
  apiUrl: string,
  fanoutPid: number,
): Promise<MainRun> {
  const login = async (who: { email: string; password: string }) =>
    (await api<{ accessToken: string }>(apiUrl, '/v1/auth/login', who)).body.accessToken;
  const operator = await login(world.operator);
  const approver = await login(world.approver);
  const base = `/v1/municipalities/${world.municipalityId}/alerts`;
  const created = await api<{ id: string }>(
    apiUrl,
    base,
    { texts: BENCH_MESSAGE.texts, severity: 'extreme', targeting: { all: true }, channels: opts.channels },
    operator,
  );
  const alertId = created.body.id;
  await api(apiUrl, `${base}/${alertId}/submit`, undefined, operator);
  await api(apiUrl, `${base}/${alertId}/approve`, undefined, approver);
  await fake.clear();
  await others.push?.clear();
  await others.smtp?.clear();

  const fakePid = fake.child.pid ?? 0;
  const cpuOf = (f: TimedFake | undefined) => (f?.child.pid ? cpuSeconds(f.child.pid) : 0);
  const cpuBefore = [cpuSeconds(fanoutPid), cpuSeconds(fakePid), cpuOf(others.push), cpuOf(others.smtp)];
  const rssAtSendMb = residentMb(fanoutPid, 'VmRSS');
  const postgres = new PostgresCpu(world);
  await postgres.sample();
  const loadBefore = loadavg()[0];
  const requested = Date.now();
  await api(apiUrl, `${base}/${alertId}/send`, undefined, operator);
  const t0 = Date.now();

  const ds = world.dataSource;
  const expected = opts.fcm + opts.receivers + opts.webpush + opts.email;
  const deadline = t0 + 120_000 + expected / 2;
  for (let poll = 1; ; poll++) {
    const [alert] = await ds.query<{ status: string }[]>(`SELECT status FROM alert WHERE id = $1`, [alertId]);
    if (alert.status === 'sent') break;
    if (Date.now() > deadline) throw new Error(`alert still ${alert.status} after ${Date.now() - t0} ms`);
    if (poll % 20 === 0) await postgres.sample();
    await sleep(50);
  }
  const rssMb = residentMb(fanoutPid);
  const fanoutCpuS = cpuSeconds(fanoutPid) - cpuBefore[0];
  const fakeCpuS = cpuSeconds(fakePid) - cpuBefore[1];
  const fakePushCpuS = others.push ? cpuOf(others.push) - cpuBefore[2] : null;
  const fakeSmtpCpuS = others.smtp ? cpuOf(others.smtp) - cpuBefore[3] : null;
  await postgres.sample();
  const postgresCpuS = postgres.used();
  const stats = await fake.stats();
  const fcm = opts.fcm > 0 ? await fake.arrivals() : NO_ARRIVALS;
  const webpush = others.push && opts.webpush > 0 ? await others.push.arrivals() : NO_ARRIVALS;
  const email = others.smtp && opts.email > 0 ? await others.smtp.arrivals() : NO_ARRIVALS;
  const pushStats = others.push ? await others.push.stats() : undefined;
  const webpushDuplicates = pushStats?.duplicates ?? 0;
  const webpushDecrypted = pushStats?.decrypted ?? 0;
  const emailDuplicates = others.smtp ? (await others.smtp.stats()).duplicates : 0;
  const receiverRows = await ds.query<{ device: string | null; durable: string | null }[]>(
    `SELECT (extract(epoch FROM device_delivered_at) * 1000)::float8 AS device,
            (extract(epoch FROM delivered_at) * 1000)::float8 AS durable
       FROM delivery WHERE alert_id = $1 AND channel = 'receiver' AND status = 'delivered'`,
    [alertId],
  );
  const counts = await ds.query<{ key: string; n: number }[]>(
    `SELECT channel || ':' || status AS key, count(*)::int AS n FROM delivery WHERE alert_id = $1 GROUP BY 1`,
    [alertId],
  );
  const [{ sent }] = await ds.query<{ sent: string | null }[]>(
    `SELECT (extract(epoch FROM sent_at) * 1000)::float8 AS sent FROM alert WHERE id = $1`,
    [alertId],
  );
  return {
    t0,
    sendRequestMs: t0 - requested,
    fcm,
    fcmAccepted: stats.accepted,
    fcmDuplicates: stats.duplicates,
    webpush,
    email,
    webpushDuplicates,
    webpushDecrypted,
    webpushByProtocol: pushStats?.byProtocol,
    emailDuplicates,
    receiverDeviceMs: receiverRows.filter((r) => r.device !== null).map((r) => Number(r.device) - t0),
    receiverDurableMs: receiverRows.filter((r) => r.durable !== null).map((r) => Number(r.durable) - t0),
    recordedMs: sent === null ? null : Number(sent) - t0,
    statusCounts: Object.fromEntries(counts.map((c) => [c.key, c.n])),
    rssMb,
    rssAtSendMb,
    fanoutCpuS,
    fakeCpuS,
    fakePushCpuS,
    fakeSmtpCpuS,
    postgresCpuS,
    loadAvg: [loadBefore, loadavg()[0]],
  };
}

/**
 * CPU used by the Postgres processes working on the benchmark database (the apps' backends, autovacuum on its
 * tables), sampled about once a second: a backend that starts during the run counts from zero, one that ends
 * loses what it used since its last sample (the apps keep pooled connections, so that is little).
 */
class PostgresCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private sampled = false;

  constructor(private readonly world: BenchWorld) {}

  async sample(): Promise<void> {
    const rows = await this.world.dataSource.query<{ pid: number }[]>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> $1`,
      [BENCH_APPLICATION_NAME],
    );
    for (const { pid } of rows) {
      let cpu: number;
      try {
        cpu = cpuSeconds(pid);
      } catch {
        continue; // ended between the query and the read
      }
      if (!this.first.has(pid)) this.first.set(pid, this.sampled ? 0 : cpu);
      this.last.set(pid, cpu);
    }
    this.sampled = true;
  }

  /** CPU seconds between the first sample and the latest. */
  used(): number {
    let total = 0;
    for (const [pid, cpu] of this.last) total += cpu - (this.first.get(pid) ?? 0);
    return total;
  }
}

/** Messages per second of a path that started at `started`, by the fake's arrival times. */
function rate(started: number, arrivals: Arrivals): { perSec: number; ms: number } {
  const s = summarise(started, arrivals);
  const ms = s.lastMs ?? 0;
  return { perSec: ms > 0 ? (s.count / ms) * 1_000 : 0, ms };
}

/** One measured send path of the run: its rate at the fake, and the bench process's CPU per message. */
type PathFigures = { perSec: number; ms: number; cpuMicrosPerMessage: number };

/** Runs one send path of `messages` (resolving to its start time) and measures it at `fake`. */
async function measurePath(
  fake: TimedFake,
  messages: number,
  run: () => Promise<number>,
): Promise<PathFigures> {
  const cpu = process.cpuUsage();
  const started = await run();
  const used = process.cpuUsage(cpu);
  return {
    ...rate(started, await fake.arrivals()),
    cpuMicrosPerMessage: (used.user + used.system) / messages,
  };
}

const round = (n: number | null, digits = 0) => (n === null ? null : Number(n.toFixed(digits)));

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const children = new Children();
  const logDir = mkdtempSync(join(tmpdir(), 'bousai-bench-fanout-'));
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.error('interrupted: stopping child processes');
    void children.stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let world: BenchWorld | undefined;
  try {
    const log = (msg: string) => console.error(`[bench] ${msg}`);
    log(`logs in ${logDir}`);
    const fake = await TimedFakeFcm.start(children);
    const push = opts.webpush > 0 ? await TimedFakePush.start(children, opts.pushDecryptEvery) : undefined;
    const smtp = opts.email > 0 ? await TimedFakeSmtp.start(children) : undefined;
    // every sender of the run (fanout process, ceiling, baseline) gets the same settings; `--env` comes last
    const fcmEnv: FcmEnv & ChannelEnv = { ...(await benchSenderEnv(fake, smtp?.port, logDir)), ...opts.env };
    const settings = loadConfig('fanout', fcmEnv);

    let phase = Date.now();
    let subscriptions: FakePushSubscription[] = [];
    if (push) {
      subscriptions = await push.createSubscriptions(opts.webpush);
      log(`${subscriptions.length} Web Push subscriptions created by the fake in ${Date.now() - phase} ms`);
      phase = Date.now();
    }
    log(
      `seeding ${opts.fcm} FCM, ${opts.webpush} Web Push and ${opts.email} email users and ${opts.receivers} receivers into ${DATABASE_NAME}`,
    );
    world = await prepareBenchDatabase(DATABASE_SERVER, DATABASE_NAME, {
      fcm: opts.measured === 'fcm' ? Math.max(opts.fcm, opts.baseline ?? 0) : opts.fcm,
      receivers: opts.receivers,
      webpush: subscriptions,
      email: opts.email,
    });
    log(`seeded in ${Date.now() - phase} ms`);
    await clearRedis();

    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: world.url,
      REDIS_URL,
      QUEUE_PREFIX,
    };
    const apiApp = await startApp(
      children,
      'api',
      { ...common, JWT_SECRET: `bench-${Date.now()}-0123456789abcdef0123456789abcdef` },
      logDir,
    );
    const fanout = await startApp(
      children,
      'fanout',
      { ...common, ...fcmEnv, FANOUT_CHANNELS: opts.channels.join(',') },
      logDir,
      [
        ...FANOUT_NODE_ARGS,
        ...opts.nodeFlags,
        ...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`] : []),
      ],
    );
    const fanoutPid = fanout.child.pid;
    if (fanoutPid === undefined) throw new Error('fanout has no pid');
    let receivers;
    if (opts.receivers > 0) {
      phase = Date.now();
      log(`connecting ${opts.receivers} simulated receivers`);
      receivers = await startReceivers(
        children,
        apiApp.url,
        opts.receivers,
        world.receiverSerialPrefix,
        world.receiverSecret,
        logDir,
      );
      log(`connected in ${Date.now() - phase} ms`);
    }

    const settled: Record<string, Settled> = {};
    const benchDataSource = world.dataSource;
    const quiet = async (phase: string) => {
      settled[phase] = await settle(benchDataSource);
      const s = settled[phase];
      log(
        s.quiet
          ? `settled for the ${phase} in ${s.waitedMs} ms (vacuum, checkpoint, CPUs ${Math.round(s.idle * 100)} % idle)`
          : `the box is still busy before the ${phase} after ${s.waitedMs} ms (${Math.round(s.idle * 100)} % idle): measuring anyway`,
      );
    };
    await quiet('engine');
    log('sending the alert');
    const run = await runMain(opts, world, fake, { push, smtp }, apiApp.url, fanoutPid);
    await children.stop(fanout.child);
    await children.stop(apiApp.child);
    if (receivers) await children.stop(receivers);

    // the measured channel's fake, for the ceiling and the baseline
    const measuredFake: TimedFake | undefined =
      opts.measured === 'webpush' ? push : opts.measured === 'email' ? smtp : fake;
    let ceiling: PathFigures | null = null;
    if (opts.ceiling !== null && opts.measured !== null && measuredFake) {
      await quiet('ceiling');
      log(`ceiling: bare ${opts.measured} sender fed from memory, ${opts.ceiling} messages`);
      const messages = opts.ceiling;
      ceiling = await measurePath(measuredFake, messages, () =>
        opts.measured === 'webpush'
          ? runWebPushCeiling(measuredFake, fcmEnv, subscriptions, messages)
          : opts.measured === 'email'
            ? runEmailCeiling(measuredFake, fcmEnv, messages)
            : runCeiling(fake, fcmEnv, messages),
      );
    }
    let baseline: PathFigures | null = null;
    let sameSenderBaseline: PathFigures | null = null;
    if (opts.baseline !== null && opts.measured !== null && measuredFake) {
      await quiet('baseline');
      log(`baseline: ${BASELINE_NAMES[opts.measured]}, ${opts.baseline} recipients`);
      const recipients = opts.baseline;
      const naiveWorld = world;
      const naive = async (kind: NaiveSenderKind) =>
        (await runNaiveBaseline(fake, naiveWorld, fcmEnv, REDIS_URL, NAIVE_PREFIX, recipients, kind)).started;
      baseline = await measurePath(measuredFake, recipients, () =>
        opts.measured === 'webpush'
          ? runWebPushLibraryBaseline(measuredFake, fcmEnv, subscriptions, recipients)
          : opts.measured === 'email'
            ? runEmailBaseline(measuredFake, fcmEnv, recipients)
            : naive('firebase-admin'),
      );
      if (opts.measured === 'fcm') {
        // the same naive design with our own HTTP/2 sender: what the queue and database design alone is worth
        await clearRedis();
        await quiet('same-sender baseline');
        log(
          `same-sender baseline: the naive design with the engine's HTTP/2 sender, ${recipients} recipients`,
        );
        sameSenderBaseline = await measurePath(measuredFake, recipients, () => naive('bousai'));
      }
    }
    await clearRedis();

    // --- figures ---
    const fcm = summarise(run.t0, run.fcm);
    const wp = summarise(run.t0, run.webpush);
    const em = summarise(run.t0, run.email);
    const rx = summarise(run.t0, NO_ARRIVALS, run.receiverDeviceMs);
    const rxDurableLast = run.receiverDurableMs.length > 0 ? Math.max(...run.receiverDurableMs) : null;
    const all = summarise(run.t0, mergeArrivals(run.fcm, run.webpush, run.email), run.receiverDeviceMs);
    const delivered = fcm.count + wp.count + em.count + rx.count;
    const allDoneByChannel: Partial<Record<BenchChannel, number | null>> = {
      ...(opts.fcm > 0 ? { fcm: round(fcm.lastMs) } : {}),
      ...(opts.receivers > 0 ? { receiver: round(rxDurableLast) } : {}),
      ...(opts.webpush > 0 ? { webpush: round(wp.lastMs) } : {}),
      ...(opts.email > 0 ? { email: round(em.lastMs) } : {}),
    };
    const allDoneMs = Math.round(Math.max(0, ...Object.values(allDoneByChannel).map((v) => v ?? 0)));
    const deliveriesPerSec = allDoneMs > 0 ? (delivered / allDoneMs) * 1_000 : 0;
    // the steady phase, 10th to 90th percentile arrival: what the engine does once planning, first connections
    // and JIT are behind it, as the ceiling and baseline are measured after a warm-up of their own. Reported
    // beside the whole-run figure, which the targets are judged on.
    const steadySpanMs = all.p10Ms !== null && all.p90Ms !== null ? all.p90Ms - all.p10Ms : 0;
    const steadyPerSec = steadySpanMs > 0 ? ((0.8 * delivered) / steadySpanMs) * 1_000 : null;
    const completeByChannel: Partial<Record<BenchChannel, boolean>> = {
      ...(opts.fcm > 0 ? { fcm: fcm.count === opts.fcm } : {}),
      ...(opts.receivers > 0 ? { receiver: rx.count === opts.receivers } : {}),
      ...(opts.webpush > 0 ? { webpush: wp.count === opts.webpush } : {}),
      ...(opts.email > 0 ? { email: em.count === opts.email } : {}),
    };
    const complete = Object.values(completeByChannel).every(Boolean);
    const recipients = opts.fcm + opts.receivers + opts.webpush + opts.email;
    const onlyFcmAndReceivers = opts.webpush === 0 && opts.email === 0;
    const ratio = (a: number | undefined, b: number | undefined) =>
      a !== undefined && b !== undefined && b > 0 ? round(a / b, 2) : null;
    const result = {
      recipients,
      channels: opts.channels,
      delivered,
      complete,
      deliveriesPerSec: round(deliveriesPerSec),
      steadyDeliveriesPerSec: round(steadyPerSec),
      firstDeliveryMs: all.firstMs,
      p50Ms: all.p50Ms,
      p99Ms: all.p99Ms,
      allDoneMs,
      allDoneMsByChannel: allDoneByChannel,
      recordedMs: round(run.recordedMs),
      sendRequestMs: run.sendRequestMs,
      measuredChannel: opts.measured,
      ceilingPerSec: ceiling ? round(ceiling.perSec) : null,
      ceilingRecipients: opts.ceiling,
      ceilingCpuMicrosPerMessage: ceiling ? round(ceiling.cpuMicrosPerMessage) : null,
      baselinePerSec: baseline ? round(baseline.perSec) : null,
      baselineRecipients: opts.baseline,
      baselineKind: opts.measured ? BASELINE_NAMES[opts.measured] : null,
      baselineCpuMicrosPerMessage: baseline ? round(baseline.cpuMicrosPerMessage) : null,
      // what the bare sender alone gains over the baseline: no engine bound by that sender can gain more
      ceilingOverBaseline: ceiling && baseline ? round(ceiling.perSec / baseline.perSec, 1) : null,
      // FCM: the engine against the baseline, and against the naive design given the engine's own sender
      ratioVsBaseline: opts.measured === 'fcm' ? ratio(deliveriesPerSec, baseline?.perSec) : null,
      sameSenderBaselinePerSec: sameSenderBaseline ? round(sameSenderBaseline.perSec) : null,
      sameSenderBaselineCpuMicrosPerMessage: sameSenderBaseline
        ? round(sameSenderBaseline.cpuMicrosPerMessage)
        : null,
      ratioVsSameSenderBaseline: sameSenderBaseline
        ? ratio(deliveriesPerSec, sameSenderBaseline.perSec)
        : null,
      // Web Push: the engine and the bare adapter against web-push's default per-message path, same run, same fake
      ratioVsLibraryDefault: opts.measured === 'webpush' ? ratio(deliveriesPerSec, baseline?.perSec) : null,
      steadyRatioVsLibraryDefault:
        opts.measured === 'webpush' ? ratio(steadyPerSec ?? undefined, baseline?.perSec) : null,
      ceilingRatioVsLibraryDefault:
        opts.measured === 'webpush' ? ratio(ceiling?.perSec, baseline?.perSec) : null,
      // sender CPU per message, library default over the bare adapter: steadier than the rates on a busy machine
      cpuRatioVsLibraryDefault:
        opts.measured === 'webpush'
          ? ratio(baseline?.cpuMicrosPerMessage, ceiling?.cpuMicrosPerMessage)
          : null,
      rssMb: round(run.rssMb, 1),
      rssAtSendMb: round(run.rssAtSendMb, 1),
      cpuSeconds: {
        fanout: round(run.fanoutCpuS, 2),
        postgres: round(run.postgresCpuS, 2),
        fakeFcm: round(run.fakeCpuS, 2),
        fakePush: round(run.fakePushCpuS, 2),
        fakeSmtp: round(run.fakeSmtpCpuS, 2),
      },
      /** The engine's own CPU per delivery (fanout process + its Postgres backends): robust to a busy machine. */
      engineCpuMicrosPerDelivery:
        delivered > 0 ? round(((run.fanoutCpuS + run.postgresCpuS) / delivered) * 1e6) : null,
      loadAvg1m: run.loadAvg.map((l) => round(l, 1)),
      // before each measured phase: vacuum, checkpoint, then the wait for idle CPUs (false: measured while busy)
      settled: Object.fromEntries(
        Object.entries(settled).map(([phase, s]) => [phase, { ms: s.waitedMs, quiet: s.quiet }]),
      ),
      perChannel: {
        ...(opts.fcm > 0 ? { fcm: { expected: opts.fcm, ...fcm, duplicates: run.fcmDuplicates } } : {}),
        ...(opts.receivers > 0
          ? { receiver: { expected: opts.receivers, ...rx, lastDurableMs: round(rxDurableLast) } }
          : {}),
        ...(opts.webpush > 0
          ? {
              webpush: {
                expected: opts.webpush,
                ...wp,
                duplicates: run.webpushDuplicates,
                decrypted: run.webpushDecrypted,
                decryptEvery: opts.pushDecryptEvery,
                byProtocol: run.webpushByProtocol,
              },
            }
          : {}),
        ...(opts.email > 0
          ? { email: { expected: opts.email, ...em, duplicates: run.emailDuplicates } }
          : {}),
      },
      deliveryRows: run.statusCounts,
      settings: {
        fanoutNodeFlags: [...FANOUT_NODE_ARGS, ...opts.nodeFlags],
        batchSize: settings.FANOUT_BATCH_SIZE,
        planChunk: settings.FANOUT_PLAN_CHUNK_SIZE,
        fcmConcurrency: settings.FANOUT_CONCURRENCY_FCM,
        receiverConcurrency: settings.FANOUT_CONCURRENCY_RECEIVER,
        webpushConcurrency: settings.FANOUT_CONCURRENCY_WEBPUSH,
        emailConcurrency: settings.FANOUT_CONCURRENCY_EMAIL,
        fcmSessions: settings.FCM_SESSIONS,
        fcmMaxStreams: settings.FCM_MAX_STREAMS,
        webpushMaxSockets: settings.WEBPUSH_MAX_SOCKETS,
        webpushHttp2: settings.WEBPUSH_HTTP2,
        webpushHttp2Sessions: settings.WEBPUSH_HTTP2_SESSIONS,
        webpushHttp2MaxStreams: settings.WEBPUSH_HTTP2_MAX_STREAMS,
        webpushEncryptThreads: settings.WEBPUSH_ENCRYPT_THREADS,
        smtpPoolMax: settings.SMTP_POOL_MAX,
        smtpMaxMessages: settings.SMTP_MAX_MESSAGES,
        relayPollMs: settings.FANOUT_RELAY_POLL_MS,
        naiveConcurrency: NAIVE_CONCURRENCY,
      },
      meetsTargets: {
        vsCeiling: ceiling ? deliveriesPerSec >= 0.7 * ceiling.perSec : null,
        vsBaseline: baseline && opts.measured === 'fcm' ? deliveriesPerSec >= 15 * baseline.perSec : null,
        webpushVsLibraryDefault3x:
          baseline && opts.measured === 'webpush' ? deliveriesPerSec >= 3 * baseline.perSec : null,
        firstDeliveryWithin150ms: all.firstMs !== null && all.firstMs <= 150,
        // the 4 s bar (ETWS) is set for a municipality of Yasugi's size over receivers and FCM, not for 200k
        allDoneWithin4s:
          onlyFcmAndReceivers && recipients <= YASUGI_SCALE ? complete && allDoneMs <= 4_000 : null,
        // with Web Push and email in the mix: every channel's sends done within 10 s
        yasugiMixedWithin10s:
          !onlyFcmAndReceivers && opts.channels.length > 1 && recipients <= YASUGI_SCALE
            ? complete && allDoneMs <= MIXED_BAR_MS
            : null,
        rssUnder512Mb: run.rssMb < 512,
      },
    };
    printTable(result, { fcm, webpush: wp, email: em, receiver: rx }, ceiling, baseline, sameSenderBaseline);
    console.log(JSON.stringify(result));
  } finally {
    await children.stopAll();
    await world?.close();
  }
}

const BASELINE_NAMES: Record<AppChannel, string> = {
  fcm: 'naive design (one job, one firebase-admin send and one INSERT per recipient)',
  webpush: 'web-push sendNotification per message (no caching)',
  email: 'nodemailer sendMail per message, no pool (one connection each)',
};

/** Arrival counts of several fakes as one (they share the wall clock). */
function mergeArrivals(...all: Arrivals[]): Arrivals {
  const perMs = new Map<number, number>();
  let count = 0;
  for (const a of all) {
    count += a.count;
    for (const [at, n] of a.buckets) perMs.set(at, (perMs.get(at) ?? 0) + n);
  }
  return { count, buckets: [...perMs].sort((a, b) => a[0] - b[0]) };
}

function printTable(
  r: {
    recipients: number;
    channels: string[];
    delivered: number;
    deliveriesPerSec: number | null;
    steadyDeliveriesPerSec: number | null;
    allDoneMs: number;
    recordedMs: number | null;
    sendRequestMs: number;
    measuredChannel: AppChannel | null;
    rssMb: number | null;
    rssAtSendMb: number | null;
    cpuSeconds: Record<string, number | null>;
    engineCpuMicrosPerDelivery: number | null;
    loadAvg1m: (number | null)[];
    baselineRecipients: number | null;
    ceilingRecipients: number | null;
    meetsTargets: Record<string, boolean | null>;
  },
  channels: Record<'fcm' | 'webpush' | 'email' | 'receiver', LatencySummary>,
  ceiling: PathFigures | null,
  baseline: PathFigures | null,
  sameSenderBaseline: PathFigures | null,
): void {
  const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
  const row = (label: string, ...cells: string[]) =>
    console.log(`  ${label.padEnd(38)}${cells.map((c) => c.padStart(12)).join('')}`);
  console.log(`\nFan-out of one alert to ${r.recipients} recipients (${r.channels.join(' + ')})`);
  console.log(
    `  t0 = the api answered POST …/send (${r.sendRequestMs} ms request); latency = arrival − t0\n`,
  );
  row('', 'count', 'first', 'p50', 'p99', 'last');
  const labels = {
    fcm: 'FCM accepted by the fake',
    webpush: 'Web Push accepted by the fake',
    email: 'email accepted by the fake SMTP',
    receiver: 'receivers acked (device time)',
  } as const;
  for (const key of ['fcm', 'webpush', 'email', 'receiver'] as const) {
    const c = channels[key];
    if (c.count > 0) row(labels[key], String(c.count), ms(c.firstMs), ms(c.p50Ms), ms(c.p99Ms), ms(c.lastMs));
  }
  console.log('');
  row('all done (last accepted / acked)', ms(r.allDoneMs));
  row('every outcome recorded (alert sent)', ms(r.recordedMs));
  row('engine throughput', `${r.deliveriesPerSec}/s`);
  if (r.steadyDeliveriesPerSec !== null)
    row('  steady (10th–90th percentile)', `${r.steadyDeliveriesPerSec}/s`);
  if (ceiling)
    row(
      `ceiling: bare ${r.measuredChannel} sender, ${r.ceilingRecipients}`,
      `${Math.round(ceiling.perSec)}/s`,
      ms(ceiling.ms),
      `${Math.round(ceiling.cpuMicrosPerMessage)} µs CPU`,
    );
  if (baseline)
    row(
      `baseline: ${r.measuredChannel === 'fcm' ? 'naive, firebase-admin' : r.measuredChannel === 'webpush' ? 'web-push lib' : 'no pool'}, ${r.baselineRecipients}`,
      `${Math.round(baseline.perSec)}/s`,
      ms(baseline.ms),
      `${Math.round(baseline.cpuMicrosPerMessage)} µs CPU`,
    );
  if (sameSenderBaseline)
    row(
      `baseline: naive, our sender, ${r.baselineRecipients}`,
      `${Math.round(sameSenderBaseline.perSec)}/s`,
      ms(sameSenderBaseline.ms),
      `${Math.round(sameSenderBaseline.cpuMicrosPerMessage)} µs CPU`,
    );
  row('fanout RSS: peak (VmHWM), at send', `${r.rssMb} MB`, `${r.rssAtSendMb} MB`);
  const cpu = Object.entries(r.cpuSeconds).filter(([, v]) => v !== null);
  row(`CPU s: ${cpu.map(([k]) => k).join(', ')}`, ...cpu.map(([, v]) => `${v} s`));
  row('engine CPU per delivery', `${r.engineCpuMicrosPerDelivery} µs`);
  row('load average (1 min) at send, at end', ...r.loadAvg1m.map((l) => String(l)));
  console.log('');
  for (const [k, v] of Object.entries(r.meetsTargets))
    row(`target ${k}`, v === null ? 'n/a' : v ? 'met' : 'MISSED');
  console.log('');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
