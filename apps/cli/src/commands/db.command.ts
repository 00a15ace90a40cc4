import { join } from 'node:path';
import {
  createDataSource,
  ensureDatabase,
  generateMigration,
  runMigrations,
  schemaDrift,
} from '@bousai/persistence';
import type { CliConfig } from '@bousai/config';

export async function migrate(config: CliConfig): Promise<number> {
  if (await ensureDatabase(config.DATABASE_URL)) console.log('created the database');
  const ds = await createDataSource(config, 'bousai-cli').initialize();
  try {
    const applied = await runMigrations(ds);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return 0;
  } finally {
    await ds.destroy();
  }
}

export async function migrationCheck(config: CliConfig): Promise<number> {
  const ds = await createDataSource(config, 'bousai-cli').initialize();
  try {
    const drift = await schemaDrift(ds);
    if (drift.length === 0) {
      console.log('schema matches the entities');
      return 0;
    }
    console.error('entities drift from the migrations; run `npm run db:migration:generate -- NAME`:');
    for (const q of drift) console.error(`  ${q}`);
    return 1;
  } finally {
    await ds.destroy();
  }
}

export async function migrationGenerate(config: CliConfig, name: string | undefined): Promise<number> {
  if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
    console.error('usage: npm run db:migration:generate -- <kebab-case-name>');
    return 2;
  }
  const ds = await createDataSource(config, 'bousai-cli').initialize();
  try {
    const file = await generateMigration(ds, name, join(process.cwd(), 'migrations'));
    console.log(file ? `wrote ${file}; add it to migrations/index.ts` : 'no changes: nothing to generate');
    return 0;
  } finally {
    await ds.destroy();
  }
}
