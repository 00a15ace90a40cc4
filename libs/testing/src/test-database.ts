import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig, testRun, type Env } from '@bousai/config';
import { createDataSource, runMigrations } from '@bousai/persistence';

function templateDb(): string {
  const name = testRun.templateDatabase();
  if (!name)
    throw new Error('no test template database: run the tests through jest (its global setup makes one)');
  return name;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** The server to create test databases on: DATABASE_URL's server, connected to the `postgres` database. */
export function adminUrl(env?: Env): string {
  return withDatabase(loadConfig('cli', env).DATABASE_URL, 'postgres');
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates this run's template and migrates it: every test run starts from the migrations alone. Test databases
 * left behind by runs that died more than a day ago are dropped on the way.
 */
export async function prepareTemplateDatabase(): Promise<void> {
  const name = `bousai_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  testRun.setTemplateDatabase(name);
  await admin(async (c) => {
    const stale = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^bousai_(tpl|test)_' AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 day'`,
    );
    for (const { datname } of stale.rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const ds = await createDataSource({
    DATABASE_URL: withDatabase(adminUrl(), name),
    DATABASE_POOL_SIZE: 1,
  }).initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** A private database cloned from the migrated template: isolation by data, not by test order. */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `bousai_test_${randomBytes(6).toString('hex')}`;
  await admin((c) =>
    c.query(
      opts.migrated === false
        ? `CREATE DATABASE ${name}`
        : `CREATE DATABASE ${name} TEMPLATE ${templateDb()}`,
    ),
  );
  const url = withDatabase(adminUrl(), name);
  const dataSource = await createDataSource(
    { DATABASE_URL: url, DATABASE_POOL_SIZE: 5 },
    'bousai-test',
  ).initialize();
  return {
    name,
    url,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A BullMQ/Redis key prefix private to one test file. */
export function testQueuePrefix(): string {
  return `bousai-test-${randomBytes(4).toString('hex')}`;
}

/** Drops this run's template (jest global teardown). */
export async function dropTemplateDatabase(): Promise<void> {
  const name = testRun.templateDatabase();
  if (name) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
