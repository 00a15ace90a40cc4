import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@bousai/config';
import { migrate, migrationCheck, migrationGenerate } from './commands/db.command';

const USAGE = `usage: node dist/apps/cli/main.js <command> [options]
commands:
  migrate                      apply pending migrations
  migration:check              fail when the entities drift from the migrations
  migration:generate NAME      write a migration for the drift
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig('cli');
  switch (command) {
    case 'migrate':
      return migrate(config);
    case 'migration:check':
      return migrationCheck(config);
    case 'migration:generate':
      return migrationGenerate(config, parseArgs({ args: rest, allowPositionals: true }).positionals[0]);
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
