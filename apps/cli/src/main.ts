import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@bousai/config';
import { migrate, migrationCheck, migrationGenerate } from './commands/db.command';
import { demoDrillCommand } from './commands/demo-drill.command';
import { operatorCreate } from './commands/operator-create.command';
import { seedDemoCommand } from './commands/seed-demo.command';
import { vapidGenerateCommand } from './commands/vapid-generate.command';
import { feedsParseCommand, feedsVerifyCommand } from './feeds/feeds.command';
import { feedsReplayCommand } from './feeds/replay.command';

const USAGE = `usage: node dist/apps/cli/apps/cli/src/main.js <command> [options]   (or: npm run <command> -- [options])
commands:
  migrate                      create the database if missing, then apply pending migrations
  migration:check              fail when the entities drift from the migrations
  migration:generate NAME      write a migration for the drift
  operator:create              --email E --role R [--municipality CODE [--municipality-name N]]
  seed:demo                    [--households N] [--residents N] [--seed N]: the demo municipality 安来市
  demo:drill                   play a whole drill on 安来市 against running apps (npm run demo does it all)
  vapid:generate               print a new Web Push VAPID key pair in .env form
  feeds:parse FILE             print a JMA XML / CAP / Atom document as the normalised message (JSON)
  feeds:verify DIR             compare the parser with DIR/EXPECTED.json
  feeds:replay DIR             [--municipality CODE]: run telegrams in time order through the rules, print alerts
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // feeds:* read files only: no configuration, database or Redis
  if (command === 'feeds:parse') return feedsParseCommand(rest);
  if (command === 'feeds:verify') return feedsVerifyCommand(rest);
  if (command === 'feeds:replay') return feedsReplayCommand(rest);
  // generates keys only: no configuration, database or Redis
  if (command === 'vapid:generate') return vapidGenerateCommand();
  const config = loadConfig('cli');
  switch (command) {
    case 'migrate':
      return migrate(config);
    case 'migration:check':
      return migrationCheck(config);
    case 'migration:generate':
      return migrationGenerate(config, parseArgs({ args: rest, allowPositionals: true }).positionals[0]);
    case 'operator:create':
      return operatorCreate(config, rest);
    case 'seed:demo':
      return seedDemoCommand(config, rest);
    case 'demo:drill':
      return demoDrillCommand(config, rest);
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
