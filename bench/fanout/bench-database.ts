import { hashDeviceSecret, hashPassword, newSecret, Role } from '@bousai/domain';
import { createDataSource, runMigrations } from '@bousai/persistence';

export type BenchDataSource = ReturnType<typeof createDataSource>;

export interface BenchAudience {
  /** Residents with one FCM endpoint each. */
  fcm: number;
  /** Households with one receiver each (the first `receivers` households, so some also have an app user). */
  receivers: number;
  /** Residents with one Web Push subscription each (made by the fake push service, which can decrypt for them). */
  webpush?: readonly { endpoint: string; keys: { p256dh: string; auth: string } }[];
  /** Residents with one confirmed email address each. */
  email?: number;
}

export interface BenchWorld {
  url: string;
  dataSource: BenchDataSource;
  municipalityId: string;
  operator: BenchCredentials;
  approver: BenchCredentials;
  receiverSerialPrefix: string;
  receiverSecret: string;
  close(): Promise<void>;
}

const SERIAL_PREFIX = 'BENCH-';
/** The benchmark's own connections, told apart from the apps' when their Postgres CPU is summed. */
export const BENCH_APPLICATION_NAME = 'bousai-bench';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops, creates and migrates the benchmark's own database `name` (never the dev database). */
export async function recreateBenchDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; dataSource: BenchDataSource }> {
  await dropBenchDatabase(serverUrl, name, true);
  const url = withDatabase(serverUrl, name);
  const dataSource = await createDataSource(
    { DATABASE_URL: url, DATABASE_POOL_SIZE: 10 },
    BENCH_APPLICATION_NAME,
  ).initialize();
  await runMigrations(dataSource);
  return { url, dataSource };
}

/** Drops the benchmark's database `name` (and creates it empty again with `recreate`). */
export async function dropBenchDatabase(serverUrl: string, name: string, recreate = false): Promise<void> {
  if (!/^bousai_bench[a-z0-9_]*$/.test(name)) throw new Error(`refusing to recreate database "${name}"`);
  const admin = await createDataSource({
    DATABASE_URL: withDatabase(serverUrl, 'postgres'),
    DATABASE_POOL_SIZE: 1,
  }).initialize();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (recreate) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
}

export interface BenchCredentials {
  email: string;
  password: string;
}

/** An operator and an approver of the municipality (`tag` keeps their addresses apart between municipalities). */
export async function seedOperators(
  ds: BenchDataSource,
  municipalityId: string,
  tag = '',
): Promise<{ operator: BenchCredentials; approver: BenchCredentials }> {
  const password = newSecret('pw', 16);
  const passwordHash = await hashPassword(password);
  const operator = { email: `operator${tag}@bench.example`, password };
  const approver = { email: `approver${tag}@bench.example`, password };
  for (const [role, who] of [
    [Role.Operator, operator],
    [Role.Approver, approver],
  ] as const) {
    await ds.query(
      `INSERT INTO operator (municipality_id, email, password_hash, role) VALUES ($1, $2, $3, $4)`,
      [municipalityId, who.email, passwordHash, role],
    );
  }
  return { operator, approver };
}

/**
 * A database of the benchmark's own (never the dev database): dropped, created and migrated on every run, then
 * seeded set-based with one municipality, one area, `fcm` residents with an app endpoint each and `receivers`
 * household receivers sharing one provisioning secret (hashed once, as `hashDeviceSecret` does for real ones).
 */
export async function prepareBenchDatabase(
  serverUrl: string,
  name: string,
  audience: BenchAudience,
): Promise<BenchWorld> {
  const { url, dataSource: ds } = await recreateBenchDatabase(serverUrl, name);

  const [{ id: municipalityId }] = await ds.query<{ id: string }[]>(
    `INSERT INTO municipality (code, name, jma_city_codes) VALUES ('999999', 'ベンチ市', '{}') RETURNING id`,
  );
  const [{ id: areaId }] = await ds.query<{ id: string }[]>(
    `INSERT INTO area (municipality_id, code, name) VALUES ($1, 'bench', 'ベンチ地区') RETURNING id`,
    [municipalityId],
  );
  // residents 1‥fcm have an FCM endpoint, the next ones a Web Push subscription, the next ones an email address
  const webpush = audience.webpush ?? [];
  const email = audience.email ?? 0;
  const residents = audience.fcm + webpush.length + email;
  const households = Math.max(residents, audience.receivers);
  await ds.query(
    `INSERT INTO household (municipality_id, external_id, area_id, address)
     SELECT $1, 'h' || i, $2, '住所' FROM generate_series(1, $3::int) AS i`,
    [municipalityId, areaId, households],
  );
  // one resident per household for the first `residents` households; one in ten reads English
  await ds.query(
    `INSERT INTO resident (municipality_id, external_id, household_id, name, language, consent_scopes)
     SELECT $1, h.external_id, h.id, '住民', CASE WHEN h.n % 10 = 0 THEN 'en' ELSE 'ja' END, '{alerts}'
       FROM (SELECT id, external_id, substr(external_id, 2)::int AS n FROM household WHERE municipality_id = $1) h
      WHERE h.n <= $2`,
    [municipalityId, residents],
  );
  // registration tokens about as long as real ones (≈160 characters)
  await ds.query(
    `INSERT INTO endpoint (municipality_id, resident_id, channel, address)
     SELECT $1, r.id, 'fcm', 'bench:' || r.external_id || ':' || repeat(md5(r.external_id), 5)
       FROM resident r WHERE r.municipality_id = $1 AND substr(r.external_id, 2)::int <= $2`,
    [municipalityId, audience.fcm],
  );
  if (webpush.length > 0) {
    await ds.query(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, subscription)
       SELECT $1, r.id, 'webpush', s.sub ->> 'endpoint', s.sub
         FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS s(sub, k)
         JOIN resident r ON r.municipality_id = $1 AND r.external_id = 'h' || ($2::int + s.k)`,
      [
        municipalityId,
        audience.fcm,
        JSON.stringify(webpush.map((w) => ({ endpoint: w.endpoint, keys: w.keys }))),
      ],
    );
  }
  // confirmed addresses (the planner skips unconfirmed ones); the fake SMTP accepts any recipient
  await ds.query(
    `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
     SELECT $1, r.id, 'email', 'resident-' || r.external_id || '@bench.example', now()
       FROM resident r
      WHERE r.municipality_id = $1 AND substr(r.external_id, 2)::int > $2 AND substr(r.external_id, 2)::int <= $3`,
    [municipalityId, audience.fcm + webpush.length, residents],
  );
  const receiverSecret = newSecret('rxs');
  await ds.query(
    `INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
     SELECT $1, h.id, 'receiver', $2 || lpad(substr(h.external_id, 2), 6, '0'), $3
       FROM household h WHERE h.municipality_id = $1 AND substr(h.external_id, 2)::int <= $4`,
    [municipalityId, SERIAL_PREFIX, hashDeviceSecret(receiverSecret), audience.receivers],
  );
  await ds.query('ANALYZE');

  const { operator, approver } = await seedOperators(ds, municipalityId);

  return {
    url,
    dataSource: ds,
    municipalityId,
    operator,
    approver,
    receiverSerialPrefix: SERIAL_PREFIX,
    receiverSecret,
    close: () => ds.destroy(),
  };
}
