/**
 * Durable acknowledgements per second: residents' apps over HTTP keep-alive and household receivers over socket.io,
 * against the built `api` in a process of its own. Every ack counted was answered as recorded, i.e. after the group
 * commit that holds it (ACK_FLUSH_MS / RECEIVER_FLUSH_MS ≤ 100 ms, one bulk UPDATE per batch) committed.
 *
 *   npm run bench:acks -- [--residents 2000] [--batch 25] [--singles 10000] [--connections 128]
 *                         [--receivers 2000] [--socket-acks 25] [--socket-batch 25] [--socket-window 1000]
 *                         [--env KEY=VALUE,…]
 *                         [--phases http-single,http-token,http-batch,socket-batch,socket-single,safety-single]
 *                         [--profile]
 *                         [--database bousai_bench_acks_NAME]
 *
 * Phases, each on deliveries of its own (status `sent`), after an unmeasured warm-up:
 *   http-batch   each request: one resident's credential and `--batch` acks (`delivered`) of their deliveries
 *   http-single  each request: one ack by resident credential (a phone acking one alert)
 *   http-token   each request: one ack by the delivery's signed token (the PWA's service worker)
 *   socket-batch  `--receivers` connected devices each send `--socket-acks` acks as `reports` events of
 *                 `--socket-batch` acks each (how a receiver sends its outbox), `--socket-window` acks in flight
 *   socket-single the same devices each send `--socket-acks` `ack` events, one ack each, `--socket-window` in flight
 *   safety-single each request: one safety answer (`POST /v1/resident/safety/{alertId}`, `safe`) by resident
 *                 credential to an alert that asked every resident (answered once committed, audited; `lost`
 *                 counts answers without their response or their audit row)
 * Latency is per request (HTTP) or per event (socket), from send to durable answer. `lost` counts acks answered as
 * recorded whose row does not show them afterwards (must be 0). The headline `httpAcksPerSec` is one ack per
 * request, as a phone sends it: the slower of `http-single` and `http-token` (its `p99Ms` the larger of theirs);
 * the batched phases' rates (an app or a receiver that queued acks sends them together) are printed beside it.
 *
 * Database `bousai_bench_acks` or `--database` (dropped, created and migrated every run); Redis db 5 under a prefix
 * of the same name. The
 * clients run in this process and share the two cores with the api and Postgres. Prints a table, then as its last
 * line one JSON object. Asserts nothing.
 */
import './fanout/register-paths';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_REPORTS_PER_EVENT } from '@bousai/channels';
import { newSecret, signDeliveryAckToken } from '@bousai/domain';
import { ReceiverSimulator, type SimulatedReceiver } from '@bousai/testing';
import { seedAlert, seedDeliveries, seedResidents } from '../test/e2e/acks/support/ack-seed';
import {
  type AckAnswer,
  ackBySignedToken,
  countLost,
  httpClient,
  percentile,
  runPool,
  type Stage,
} from './fanout/ack-load';
import { parseFlags } from './fanout/bench-cli';
import { BENCH_APPLICATION_NAME, prepareBenchDatabase, type BenchWorld } from './fanout/bench-database';
import { Children, cpuSeconds, startApp } from './fanout/processes';

const DATABASE_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_NAME = 'bousai_bench_acks';
const REDIS_URL = 'redis://127.0.0.1:6379/5';

interface Options {
  residents: number;
  batch: number;
  singles: number;
  connections: number;
  receivers: number;
  socketAcks: number;
  socketBatch: number;
  socketWindow: number;
  /** Write the api's `.cpuprofile` into the log directory. */
  profile: boolean;
  /** The phases to run (all by default). */
  phases: ReadonlySet<string>;
  env: Record<string, string>;
  /** Another database (and Redis prefix) than the default, for two checkouts benchmarking on one machine. */
  database: string;
}

const PHASES = [
  'http-batch',
  'http-single',
  'http-token',
  'socket-batch',
  'socket-single',
  'safety-single',
] as const;

function phaseList(value: string | undefined): ReadonlySet<string> {
  const phases = value === undefined ? [...PHASES] : value.split(',').filter(Boolean);
  for (const p of phases) {
    if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--phases: unknown phase ${p}`);
  }
  return new Set(phases);
}

function parseArgs(argv: string[]): Options {
  const flags = parseFlags(
    argv,
    [
      '--residents',
      '--batch',
      '--singles',
      '--connections',
      '--receivers',
      '--socket-acks',
      '--socket-batch',
      '--socket-window',
      '--env',
      '--phases',
      '--database',
    ],
    ['--profile'],
  );
  const num = (flag: string, fallback: number) => flags.int(flag, fallback);
  return {
    residents: num('--residents', 2_000),
    batch: Math.min(500, Math.max(1, num('--batch', 25))),
    singles: num('--singles', 10_000),
    connections: Math.max(1, num('--connections', 128)),
    receivers: num('--receivers', 2_000),
    socketAcks: num('--socket-acks', 25),
    socketBatch: Math.min(MAX_REPORTS_PER_EVENT, Math.max(1, num('--socket-batch', 25))),
    socketWindow: Math.max(1, num('--socket-window', 1_000)),
    profile: flags.has('--profile'),
    phases: phaseList(flags.get('--phases')),
    database: flags.get('--database') ?? DATABASE_NAME,
    env: flags.env(),
  };
}

interface PhaseResult {
  phase: string;
  requests: number;
  acks: number;
  /** Acks answered as recorded. */
  accepted: number;
  /** Requests or acks that got no durable answer (an error or a refusal). */
  failed: number;
  seconds: number;
  acksPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU per accepted ack: the api process, its Postgres backends, and this (client) process. */
  apiCpuMicrosPerAck: number;
  dbCpuMicrosPerAck: number;
  clientCpuMicrosPerAck: number;
  /** Transactions committed in the database during the phase (group commit: far fewer than acks). */
  commits: number;
  lost: number;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Transactions committed in the benchmark's database so far. Postgres publishes its counters at most once a second
 * (PGSTAT_MIN_INTERVAL), hence the wait; the few commits of the benchmark's own queries are included.
 */
async function commitCount(world: BenchWorld): Promise<number> {
  await new Promise((r) => setTimeout(r, 1_100));
  const [{ n }] = await world.dataSource.query<{ n: string }[]>(
    `SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return Number(n);
}

/** CPU seconds so far of the Postgres backends serving the api (not the benchmark's own connections). */
async function postgresCpu(world: BenchWorld): Promise<Map<number, number>> {
  const rows = await world.dataSource.query<{ pid: number }[]>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> $1`,
    [BENCH_APPLICATION_NAME],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuSeconds(pid));
    } catch {
      // ended between the query and the read
    }
  }
  return cpu;
}

/**
 * `alerts` new alerts, each with one delivery (status `sent`) per endpoint, then ANALYZE: per endpoint, its
 * delivery ids in alert order.
 */
async function seedPerEndpoint(
  world: BenchWorld,
  endpointIds: readonly string[],
  alerts: number,
  channel?: string,
): Promise<string[][]> {
  const out: string[][] = endpointIds.map(() => []);
  for (let a = 0; a < alerts; a++) {
    const alertId = await seedAlert(
      world.dataSource,
      world.municipalityId,
      channel ? { channels: [channel] } : {},
    );
    const ids = await seedDeliveries(world.dataSource, alertId, endpointIds, channel ? { channel } : {});
    ids.forEach((id, i) => out[i].push(id));
  }
  await world.dataSource.query('ANALYZE delivery');
  return out;
}

async function measurePhase<J>(
  phase: string,
  world: BenchWorld,
  apiPid: number,
  jobs: readonly J[],
  acksPerJob: (job: J) => number,
  concurrency: number,
  send: (job: J) => Promise<string[]>,
  stage: Stage = 'delivered',
  lostOf: (accepted: string[]) => Promise<number> = (accepted) => countLost(world, accepted, stage),
): Promise<PhaseResult> {
  const commits0 = await commitCount(world);
  const cpu0 = cpuSeconds(apiPid);
  const db0 = await postgresCpu(world);
  const client0 = process.cpuUsage();
  const run = await runPool(jobs, concurrency, send);
  const apiCpu = cpuSeconds(apiPid) - cpu0;
  const client = process.cpuUsage(client0);
  const db1 = await postgresCpu(world);
  let dbCpu = 0;
  for (const [pid, t] of db1) dbCpu += t - (db0.get(pid) ?? 0);
  const commits = (await commitCount(world)) - commits0;
  const perAck = (seconds: number) => round((seconds * 1e6) / Math.max(1, run.accepted.length));
  const acks = jobs.reduce((n, j) => n + acksPerJob(j), 0);
  return {
    phase,
    requests: jobs.length,
    acks,
    accepted: run.accepted.length,
    failed: run.failed,
    seconds: round(run.seconds, 2),
    acksPerSec: Math.round(run.accepted.length / run.seconds),
    p50Ms: round(percentile(run.latencies, 50)),
    p90Ms: round(percentile(run.latencies, 90)),
    p99Ms: round(percentile(run.latencies, 99)),
    maxMs: round(percentile(run.latencies, 100)),
    apiCpuMicrosPerAck: perAck(apiCpu),
    dbCpuMicrosPerAck: perAck(dbCpu),
    clientCpuMicrosPerAck: perAck((client.user + client.system) / 1e6),
    commits,
    lost: await lostOf(run.accepted),
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const children = new Children();
  const logDir = mkdtempSync(join(tmpdir(), 'bousai-bench-acks-'));
  const stopAll = () => void children.stopAll().then(() => process.exit(130));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  console.log(`bench:acks — logs in ${logDir}`);

  const world = await prepareBenchDatabase(DATABASE_SERVER, opts.database, {
    fcm: 0,
    receivers: opts.receivers,
  });
  const sims: ReceiverSimulator[] = [];
  try {
    const ackTokenSecret = newSecret('ack');
    const residents = await seedResidents(world.dataSource, world.municipalityId, opts.residents);
    const endpointIds = residents.map((r) => r.endpointIds[0]);
    const api = await startApp(
      children,
      'api',
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATABASE_URL: world.url,
        REDIS_URL,
        QUEUE_PREFIX: opts.database.replaceAll('_', '-'),
        JWT_SECRET: `bench-${Date.now()}-0123456789abcdef0123456789abcdef`,
        ACK_TOKEN_SECRET: ackTokenSecret,
        ...opts.env,
      },
      logDir,
      opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`] : [],
    );
    const apiPid = api.child.pid;
    if (apiPid === undefined) throw new Error('api has no pid');
    const http = httpClient(api.url, opts.connections);

    /** `alerts` new alerts with one delivery per resident each: per resident, their delivery ids. */
    const deliveriesPerResident = (alerts: number) => seedPerEndpoint(world, endpointIds, alerts);
    const byResident = async (
      job: { credential: string; ids: string[] },
      stage: Stage,
    ): Promise<string[]> => {
      const res = await http.post(
        '/v1/acks',
        { acks: job.ids.map((deliveryId) => ({ deliveryId, stage, deviceAt: new Date().toISOString() })) },
        `Bearer ${job.credential}`,
      );
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return (res.body as { results: AckAnswer[] }).results
        .filter((r) => r.recorded)
        .map((r) => r.deliveryId);
    };
    const singlesFor = (perResident: string[][]) =>
      perResident.flatMap((ids, i) => ids.map((id) => ({ credential: residents[i].credential, ids: [id] })));

    const byToken = (job: { deliveryId: string; token: string }) => ackBySignedToken(http, job);
    const tokensFor = (perResident: string[][]) =>
      perResident.flat().map((deliveryId) => ({
        deliveryId,
        token: signDeliveryAckToken({ deliveryId, expiresAt: Date.now() + 3_600_000 }, ackTokenSecret),
      }));

    // warm-up (JIT, pools, prepared plans) of both single-ack paths: not measured
    const warm = singlesFor(await deliveriesPerResident(1));
    await runPool(warm, opts.connections, (job) => byResident(job, 'delivered'));
    await runPool(tokensFor(await deliveriesPerResident(1)), opts.connections, byToken);

    const results: PhaseResult[] = [];
    const singleAlerts = Math.max(1, Math.ceil(opts.singles / Math.max(1, opts.residents)));
    if (opts.residents > 0 && opts.phases.has('http-single')) {
      const singles = singlesFor(await deliveriesPerResident(singleAlerts)).slice(0, opts.singles);
      results.push(
        await measurePhase(
          'http-single',
          world,
          apiPid,
          singles,
          () => 1,
          opts.connections,
          (j) => byResident(j, 'delivered'),
        ),
      );
    }
    if (opts.residents > 0 && opts.phases.has('http-token')) {
      const tokenJobs = tokensFor(await deliveriesPerResident(singleAlerts)).slice(0, opts.singles);
      results.push(
        await measurePhase('http-token', world, apiPid, tokenJobs, () => 1, opts.connections, byToken),
      );
    }
    if (opts.residents > 0 && opts.phases.has('http-batch')) {
      const batches = (await deliveriesPerResident(opts.batch)).map((ids, i) => ({
        credential: residents[i].credential,
        ids,
      }));
      results.push(
        await measurePhase(
          'http-batch',
          world,
          apiPid,
          batches,
          (j) => j.ids.length,
          opts.connections,
          (j) => byResident(j, 'delivered'),
        ),
      );
    }
    http.close();

    if (opts.residents > 0 && opts.phases.has('safety-single')) {
      // alerts that asked every resident for their safety; each request answers one of them for one resident
      const jobs: { credential: string; alertId: string }[] = [];
      for (let a = 0; a < singleAlerts + 1; a++) {
        const alertId = await seedAlert(world.dataSource, world.municipalityId, { status: 'sent' });
        await world.dataSource.query(
          `UPDATE alert SET safety_request = true, sent_at = now() WHERE id = $1`,
          [alertId],
        );
        await world.dataSource.query(
          `INSERT INTO safety_request (alert_id, resident_id, target_group)
           SELECT $1, r, 'everyone' FROM unnest($2::uuid[]) AS r`,
          [alertId, residents.map((r) => r.residentId)],
        );
        for (const r of residents) jobs.push({ credential: r.credential, alertId });
      }
      const answer = async (job: { credential: string; alertId: string }): Promise<string[]> => {
        const res = await http.post(
          `/v1/resident/safety/${job.alertId}`,
          { answer: 'safe', via: 'app' },
          `Bearer ${job.credential}`,
        );
        if (res.status !== 201) throw new Error(`HTTP ${res.status}`);
        return [(res.body as { id: string }).id];
      };
      // warm-up on the first alert's requests, then the measured phase on the others
      await runPool(jobs.slice(0, opts.residents), opts.connections, answer);
      results.push(
        await measurePhase(
          'safety-single',
          world,
          apiPid,
          jobs.slice(opts.residents, opts.residents + opts.singles),
          () => 1,
          opts.connections,
          answer,
          'delivered',
          async (accepted) => {
            const [{ lost }] = await world.dataSource.query<{ lost: number }[]>(
              // an answer is lost when its response or its audit row is missing
              `SELECT count(*)::int AS lost FROM unnest($1::bigint[]) AS a(id)
                 LEFT JOIN safety_response s ON s.id = a.id
                 LEFT JOIN audit_log l ON l.action = 'safety.answer' AND l.details->>'responseId' = a.id::text
                WHERE s.id IS NULL OR l.id IS NULL`,
              [accepted],
            );
            return lost;
          },
        ),
      );
    }
    const socketPhases = opts.phases.has('socket-batch') || opts.phases.has('socket-single');
    if (opts.receivers > 0 && opts.socketAcks > 0 && socketPhases) {
      const devices = Array.from({ length: opts.receivers }, (_, i) => ({
        serial: `${world.receiverSerialPrefix}${String(i + 1).padStart(6, '0')}`,
        secret: world.receiverSecret,
      }));
      // connected before their deliveries exist, so store-and-forward has nothing to send: only acks are measured
      const sim = await ReceiverSimulator.start({
        url: api.url,
        devices,
        behaviour: { ackMode: 'none', replyTimeoutMs: 120_000 },
        connectConcurrency: 200,
      });
      sims.push(sim);
      const endpoints = await world.dataSource.query<{ id: string; address: string }[]>(
        `SELECT id, address FROM endpoint WHERE channel = 'receiver' ORDER BY address`,
      );
      const endpointOf = new Map(endpoints.map((e) => [e.address, e.id]));
      const receiverEndpoints = devices.map((d) => {
        const id = endpointOf.get(d.serial);
        if (!id) throw new Error(`no endpoint for ${d.serial}`);
        return id;
      });
      /** Every device's `alerts` fresh deliveries, seeded as that many alerts to all the receivers. */
      const seedAlertPerDevice = (alerts: number) =>
        seedPerEndpoint(world, receiverEndpoints, alerts, 'receiver');
      const seedPerDevice = () => seedAlertPerDevice(opts.socketAcks);

      // warm-up (JIT, the gateway's handlers, prepared plans, the receivers' endpoint rows): not measured
      const warmIds = (await seedAlertPerDevice(1)).map((ids) => ids[0]);
      await runPool(
        warmIds.map((deliveryId, i) => ({ device: sim.devices[i], deliveryId })),
        opts.socketWindow,
        async ({ device, deliveryId }) => {
          const receivedAt = new Date().toISOString();
          await device.reports([{ event: 'ack', payload: { deliveryId, receivedAt } }]);
          await device.ack(deliveryId);
          return [deliveryId];
        },
      );

      if (opts.phases.has('socket-batch')) {
        const batches: { device: SimulatedReceiver; deliveryIds: string[] }[] = [];
        (await seedPerDevice()).forEach((ids, i) => {
          for (let k = 0; k < ids.length; k += opts.socketBatch) {
            batches.push({ device: sim.devices[i], deliveryIds: ids.slice(k, k + opts.socketBatch) });
          }
        });
        results.push(
          await measurePhase(
            'socket-batch',
            world,
            apiPid,
            batches,
            (b) => b.deliveryIds.length,
            Math.max(1, Math.round(opts.socketWindow / opts.socketBatch)),
            async ({ device, deliveryIds }) => {
              const receivedAt = new Date().toISOString();
              const reply = await device.reports(
                deliveryIds.map((deliveryId) => ({ event: 'ack', payload: { deliveryId, receivedAt } })),
              );
              if (!reply?.ok) throw new Error('not recorded');
              return deliveryIds.filter((_, i) => reply.results[i]?.ok);
            },
          ),
        );
      }
      if (opts.phases.has('socket-single')) {
        const pairs: { device: SimulatedReceiver; deliveryId: string }[] = [];
        (await seedPerDevice()).forEach((ids, i) => {
          for (const deliveryId of ids) pairs.push({ device: sim.devices[i], deliveryId });
        });
        results.push(
          await measurePhase(
            'socket-single',
            world,
            apiPid,
            pairs,
            () => 1,
            opts.socketWindow,
            async ({ device, deliveryId }) => {
              const reply = await device.ack(deliveryId);
              if (!reply?.ok) throw new Error('not recorded');
              return [deliveryId];
            },
          ),
        );
      }
    }

    const table = results.map((r) => ({
      phase: r.phase,
      requests: r.requests,
      acks: r.accepted,
      failed: r.failed,
      s: r.seconds,
      'acks/s': r.acksPerSec,
      'p50 ms': r.p50Ms,
      'p90 ms': r.p90Ms,
      'p99 ms': r.p99Ms,
      'max ms': r.maxMs,
      'api µs/ack': r.apiCpuMicrosPerAck,
      'db µs/ack': r.dbCpuMicrosPerAck,
      'client µs/ack': r.clientCpuMicrosPerAck,
      commits: r.commits,
      lost: r.lost,
    }));
    console.table(table);
    const of = (phase: string) => results.find((r) => r.phase === phase);
    // the headline is one ack per request, as phones send them: the slower of the two credentials
    const singles = [of('http-single'), of('http-token')].filter((r): r is PhaseResult => r !== undefined);
    console.log(
      JSON.stringify({
        httpAcksPerSec: singles.length > 0 ? Math.min(...singles.map((r) => r.acksPerSec)) : 0,
        p99Ms: Math.max(0, ...singles.map((r) => r.p99Ms)),
        lost: results.reduce((n, r) => n + r.lost, 0),
        httpSingleAcksPerSec: of('http-single')?.acksPerSec ?? 0,
        httpTokenAcksPerSec: of('http-token')?.acksPerSec ?? 0,
        httpBatchAcksPerSec: of('http-batch')?.acksPerSec ?? 0,
        httpBatchSize: opts.batch,
        socketAcksPerSec: of('socket-batch')?.acksPerSec ?? 0,
        socketBatchSize: opts.socketBatch,
        socketSingleAcksPerSec: of('socket-single')?.acksPerSec ?? 0,
        safetyAnswersPerSec: of('safety-single')?.acksPerSec ?? 0,
        phases: results,
      }),
    );
  } finally {
    for (const s of sims) s.close();
    await children.stopAll();
    await world.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
