import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** Applies pending migrations; returns the names applied. Migrations are a separate step, never run on boot. */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const applied = await ds.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/**
 * The SQL that would make the database match the entities. Empty after migrating means the entities and the
 * migrations agree; anything else is drift (CI fails on it).
 */
export async function schemaDrift(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

function escapeTemplate(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** Writes `migrations/<timestamp>-<name>.ts` from the drift, or returns undefined when there is none. */
export async function generateMigration(
  ds: DataSource,
  name: string,
  dir: string,
): Promise<string | undefined> {
  const sql = await ds.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) return undefined;
  const stamp = Date.now();
  const className = `${name.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toUpperCase())}${stamp}`;
  const up = sql.upQueries.map((q) => `    await q.query(\`${escapeTemplate(q.query)}\`);`).join('\n');
  const down = [...sql.downQueries]
    .reverse()
    .map((q) => `    await q.query(\`${escapeTemplate(q.query)}\`);`)
    .join('\n');
  const file = join(dir, `${stamp}-${name}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(q: QueryRunner): Promise<void> {
${up}
  }

  async down(q: QueryRunner): Promise<void> {
${down}
  }
}
`,
  );
  return file;
}

/** Creates the database named in `url` when it does not exist yet (first run on a fresh machine). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}
