import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig, type Env } from '@bousai/config';
import { createDataSource, runMigrations } from '@bousai/persistence';

/** Name of the database every test file clones: migrated once per run by the jest global setup. */
export const TEMPLATE_DB = 'bousai_test_template';

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

/** Drops and re-creates the template, then migrates it: every test run starts from the migrations alone. */
export async function prepareTemplateDatabase(): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  const ds = await createDataSource({
    DATABASE_URL: withDatabase(adminUrl(), TEMPLATE_DB),
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
      opts.migrated === false ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`,
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
