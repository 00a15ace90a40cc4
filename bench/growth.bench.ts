/**
 * Whether the per-alert and per-district reads cost in proportion to the alert, not to the years of deliveries
 * behind it (issue 22 item 3): the drill report, the coverage KPI, the follow-up list and the live snapshot, timed
 * for a current alert with an empty history, then again after ≈ 10M delivery rows of older alerts.
 *
 *   npm run bench:growth                          (--rows 10000000 --endpoints 40000 --runs 9)
 *   npm run bench:growth -- --rows 400000          a quick run (the scaled-down history)
 *
 * One database, `bousai_growth_bench` (created, migrated, dropped after): a municipality of GROWTH_ENDPOINTS
 * residents, one app endpoint each, two a household, in 8 districts, a tenth 要援護者. The current alert (a
 * drill asking everyone) has a delivery per endpoint, answers from 60 %, open staff follow-ups for 1,000. Month
 * partitions exist for the last 24 months and 3 ahead in both phases (empty in the first). The history: older
 * alerts made over the previous 23 months up to the coverage window (62 days ago), each delivered to every endpoint (written straight into their month's
 * partition with their counters, as the fan-out would have left them: most delivered, a tenth read). Each query
 * runs warm: two unmeasured runs, then the median of `--runs`
 * (more for quick queries: at least a second of runs). Prints one JSON object; asserts nothing.
 */
import './fanout/register-paths';
import {
  CoverageRepository,
  createDataSource,
  DeliveryPartitionRepository,
  DrillRepository,
  EscalationRepository,
  LiveCountersRepository,
  monthOf,
  runMigrations,
  uuidV7Floor,
} from '@bousai/persistence';
import type { DataSource } from 'typeorm';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
const NAME = 'bousai_growth_bench';
/** `--rows N --endpoints N --runs N` (the repository's code reads no environment outside @bousai/config). */
function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} wants a positive integer`);
  return value;
}
const ROWS = flag('rows', 10_000_000);
const ENDPOINTS = flag('endpoints', 40_000);
const RUNS = flag('runs', 9);
const DAY = 86_400_000;

type Query = () => Promise<unknown>;

async function admin(sql: string): Promise<void> {
  const ds = await createDataSource({
    DATABASE_URL: `${SERVER}/postgres`,
    DATABASE_POOL_SIZE: 1,
  }).initialize();
  try {
    await ds.query(sql);
  } finally {
    await ds.destroy();
  }
}

async function seedRoster(ds: DataSource): Promise<string> {
  const [{ id: mid }] = await ds.query<{ id: string }[]>(
    `INSERT INTO municipality (code, name, jma_city_codes) VALUES ('999998', '成長市', '{}') RETURNING id`,
  );
  await ds.query(
    `INSERT INTO area (municipality_id, code, name) SELECT $1, 'a' || i, '地区' || i FROM generate_series(1, 8) i`,
    [mid],
  );
  await ds.query(
    `INSERT INTO household (municipality_id, external_id, area_id, address)
     SELECT $1, 'h' || i, (SELECT id FROM area WHERE code = 'a' || (i % 8 + 1)), '住所' || i
       FROM generate_series(1, $2::int) i`,
    [mid, Math.ceil(ENDPOINTS / 2)],
  );
  await ds.query(
    `INSERT INTO resident (municipality_id, external_id, household_id, name, language, consent_scopes, needs_assistance)
     SELECT $1, 'r' || i, h.id, '住民' || i, 'ja', '{alerts}', i % 10 = 0
       FROM generate_series(1, $2::int) i JOIN household h ON h.external_id = 'h' || ((i + 1) / 2)`,
    [mid, ENDPOINTS],
  );
  await ds.query(
    `INSERT INTO endpoint (municipality_id, resident_id, channel, address)
     SELECT $1, r.id, 'fcm', 'token-' || r.external_id FROM resident r WHERE r.municipality_id = $1 ORDER BY r.id`,
    [mid],
  );
  return mid;
}

/** The alert the four queries are about: a drill sent to everyone an hour ago, mid-way through its answers. */
async function seedCurrentAlert(ds: DataSource, mid: string): Promise<string> {
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, is_drill, dispatched_at)
     VALUES ($1, 'operator', '{"ja": {"title": "訓練"}}', 'extreme', '{"all": true}', '{fcm}', 'sent', true,
             now() - interval '1 hour') RETURNING id`,
    [mid],
  );
  await ds.query(
    `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, status, sent_at, delivered_at, read_at)
     SELECT $1, e.id, 'fcm', (row_number() OVER (ORDER BY e.id)) / 500,
            CASE WHEN n % 10 = 0 THEN 'read' WHEN n % 10 < 8 THEN 'delivered' ELSE 'sent' END,
            now() - interval '59 minutes',
            CASE WHEN n % 10 < 8 THEN now() - interval '58 minutes' END,
            CASE WHEN n % 10 = 0 THEN now() - interval '50 minutes' END
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM endpoint WHERE municipality_id = $2) e`,
    [id, mid],
  );
  await ds.query(
    `INSERT INTO safety_request (alert_id, resident_id, target_group, created_at)
     SELECT $1, r.id, CASE WHEN r.needs_assistance THEN 'needs_assistance' ELSE 'everyone' END,
            now() - interval '1 hour'
       FROM resident r WHERE r.municipality_id = $2`,
    [id, mid],
  );
  await ds.query(
    `WITH answered AS (
       UPDATE safety_request s SET current_status = 'safe', answered_at = now() - (n || ' seconds')::interval
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM safety_request WHERE alert_id = $1) x
        WHERE s.id = x.id AND x.n % 10 < 6 RETURNING s.id, s.answered_at)
     INSERT INTO safety_response (safety_request_id, status, channel, responded_at)
     SELECT id, 'safe', 'app', answered_at FROM answered`,
    [id],
  );
  await ds.query(
    `INSERT INTO escalation_task (alert_id, resident_id, step, state, due_at)
     SELECT $1, s.resident_id, 'staff_follow_up', 'open', now() - interval '10 minutes'
       FROM safety_request s WHERE s.alert_id = $1 AND s.current_status IS NULL ORDER BY s.id LIMIT 1000`,
    [id],
  );
  return id;
}

/** ≈ `rows` deliveries of older alerts over the previous 23 months, written partition by partition. */
async function fillHistory(ds: DataSource, mid: string, rows: number): Promise<number> {
  const alerts = Math.max(1, Math.round(rows / ENDPOINTS));
  const now = Date.now();
  let written = 0;
  for (let i = 0; i < alerts; i++) {
    // spread evenly from ≈ 23 months ago up to what the coverage KPI's 30-day window reads (its 30 days and the 31
    // before them): alerts inside the window are the window's own work, not history
    const at = new Date(
      now - 62 * DAY - Math.round(((alerts - 1 - i) / Math.max(1, alerts - 1)) * 640 * DAY),
    );
    const id = uuidV7Floor(at).slice(0, 24) + (i + 1).toString(16).padStart(12, '0');
    await ds.query(
      `INSERT INTO alert (id, municipality_id, source, texts, severity, targeting, channels, status, created_at,
                          dispatched_at)
       VALUES ($1, $2, 'operator', '{}', 'severe', '{"all": true}', '{fcm}', 'closed', $3, $3)`,
      [id, mid, at],
    );
    const month = new Date(at);
    const partition = `delivery_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
    const [{ n }] = await ds.query<{ n: number }[]>(
      `WITH ins AS (
         INSERT INTO ${partition} (id, alert_id, endpoint_id, channel, batch_no, status, queued_at, sent_at,
                                   delivered_at, read_at)
         SELECT nextval(pg_get_serial_sequence('delivery', 'id')), $1, e.id, 'fcm', e.n / 500,
                CASE WHEN e.n % 10 = 0 THEN 'read' WHEN e.n % 10 < 8 THEN 'delivered' ELSE 'sent' END,
                $2, $2, CASE WHEN e.n % 10 < 8 THEN $2::timestamptz + interval '1 minute' END,
                CASE WHEN e.n % 10 = 0 THEN $2::timestamptz + interval '5 minutes' END
           FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM endpoint WHERE municipality_id = $3) e
         RETURNING status)
       , counted AS (
         INSERT INTO delivery_counter (alert_id, channel, status, shard, n)
         SELECT $1, 'fcm', status, 0, count(*) FROM ins GROUP BY status RETURNING n)
       SELECT sum(n)::int AS n FROM counted`,
      [id, at, mid],
    );
    written += n;
  }
  return written;
}

/** Quick queries run at least this long in all, so a millisecond's noise of a busy box does not decide. */
const MIN_TOTAL_MS = 1_000;

async function median(query: Query): Promise<number> {
  await query();
  const w0 = process.hrtime.bigint();
  await query();
  const once = Math.max(0.01, Number(process.hrtime.bigint() - w0) / 1e6);
  const runs = Math.max(RUNS, Math.min(1_001, Math.ceil(MIN_TOTAL_MS / once)) | 1);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await query();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 100) / 100;
}

async function timeAll(queries: Record<string, Query>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, query] of Object.entries(queries)) out[name] = await median(query);
  return out;
}

async function main(): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${NAME}`);
  const ds = await createDataSource({
    DATABASE_URL: `${SERVER}/${NAME}`,
    DATABASE_POOL_SIZE: 4,
  }).initialize();
  try {
    await runMigrations(ds);
    const month = monthOf(new Date());
    const partitions = await new DeliveryPartitionRepository(ds).ensure(month - 24, month + 3);
    const mid = await seedRoster(ds);
    const alertId = await seedCurrentAlert(ds, mid);
    await ds.query('VACUUM ANALYZE');

    const drills = new DrillRepository(ds);
    const coverage = new CoverageRepository(ds);
    const escalation = new EscalationRepository(ds);
    const live = new LiveCountersRepository(ds);
    const since = new Date(Date.now() - 30 * DAY);
    const queries: Record<string, Query> = {
      drillReport: () =>
        Promise.all([
          drills.groupStats([alertId]),
          drills.districtStats(alertId),
          drills.nonResponders(alertId),
        ]),
      coverageKpi: () => coverage.byArea(mid, since),
      coverageFollowUpPage: () => coverage.uncovered(mid, since, { limit: 50 }),
      followUpList: () => escalation.followUpList(mid, alertId),
      liveSnapshot: () => live.counters([alertId]),
    };
    const before = await timeAll(queries);

    const t0 = Date.now();
    const historyRows = await fillHistory(ds, mid, ROWS);
    const fillSeconds = (Date.now() - t0) / 1000;
    await ds.query('VACUUM ANALYZE');
    await ds.query('CHECKPOINT');
    const after = await timeAll(queries);

    const result = Object.fromEntries(
      Object.keys(queries).map((k) => [
        k,
        { beforeMs: before[k], afterMs: after[k], ratio: Math.round((after[k] / before[k]) * 100) / 100 },
      ]),
    );
    const [{ size }] = await ds.query<{ size: string }[]>(
      `SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS size FROM pg_inherits
        WHERE inhparent = 'delivery'::regclass`,
    );
    console.log(
      JSON.stringify({
        endpoints: ENDPOINTS,
        historyRows,
        monthPartitions: partitions.length,
        deliverySize: size,
        fillSeconds,
        runs: RUNS,
        queries: result,
        worstRatio: Math.max(...Object.values(result).map((r) => r.ratio)),
      }),
    );
  } finally {
    await ds.destroy();
    // `--keep`: leave the filled database for EXPLAIN (dropped by the next run)
    if (!process.argv.includes('--keep')) await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
