import { parseArgs } from 'node:util';
import type { CliConfig } from '@bousai/config';
import {
  createDataSource,
  OperatorRepository,
  RosterRepository,
  TransactionRunner,
} from '@bousai/persistence';
import { seedDemo, type SeedDemoReport } from '../demo/demo-seed.use-case';
import { YASUGI } from '../demo/yasugi.data';

const USAGE = `usage: npm run seed:demo -- [--households N] [--residents N] [--seed N] [--receiver-secret S] [--keep-existing]
  Seeds 安来市 (${YASUGI.code}) with a synthetic roster and demo operators (admin|approver|operator|viewer@yasugi.example).
  Re-running replaces the municipality's roster. Operator password: DEMO_OPERATOR_PASSWORD, or one generated
  and printed once when the operators are first created.
  --keep-existing  do nothing when 安来市 exists already (prints "kept ..."): an operator's work stays
  --households N   default 15000
  --residents N    default 38000 (at least --households)
  --seed N         PRNG seed, default 1: the same seed gives the same roster
  --receiver-secret S   device secret of every demo receiver (default: a random one, forgotten)
`;

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new RangeError(`--${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > 2_000_000) throw new RangeError(`--${name} must be between ${min} and 2000000`);
  return n;
}

export async function seedDemoCommand(config: CliConfig, args: string[]): Promise<number> {
  let households: number, residents: number, seed: number;
  let receiverSecret: string | undefined;
  let keepExisting: boolean;
  try {
    const { values } = parseArgs({
      args,
      options: {
        households: { type: 'string' },
        residents: { type: 'string' },
        seed: { type: 'string' },
        'receiver-secret': { type: 'string' },
        'keep-existing': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    households = count('households', values.households, 15_000, 1);
    residents = count('residents', values.residents, 38_000, 1);
    seed = count('seed', values.seed, 1, 0);
    if (residents < households) throw new RangeError('--residents must be at least --households');
    receiverSecret = values['receiver-secret'];
    keepExisting = values['keep-existing'] ?? false;
    if (receiverSecret !== undefined && receiverSecret.length < 16) {
      throw new RangeError('--receiver-secret must be at least 16 characters');
    }
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }

  const ds = await createDataSource(config, 'bousai-cli').initialize();
  try {
    const operators = new OperatorRepository(ds);
    if (keepExisting && (await operators.findMunicipalityByCode(YASUGI.code))) {
      // scripts/up.sh reads this line: the town, its roster and its operators' passwords are as they were
      console.log(`kept ${YASUGI.name} (${YASUGI.code}): it exists already; nothing was seeded`);
      return 0;
    }
    const stores = { tx: new TransactionRunner(ds), roster: new RosterRepository(ds), operators };
    const report = await seedDemo(stores, {
      households,
      residents,
      seed,
      operatorPassword: config.DEMO_OPERATOR_PASSWORD,
      receiverSecret,
    });
    print(report, seed);
    return 0;
  } finally {
    await ds.destroy();
  }
}

function print(report: SeedDemoReport, seed: number): void {
  const { result: r } = report;
  const row = (table: string, removed: number | string, inserted: number | string) =>
    `  ${table.padEnd(14)}${String(removed).padStart(10)}${String(inserted).padStart(10)}`;
  const lines = [
    `seed:demo ${YASUGI.name} (${YASUGI.code}, municipality ${r.municipalityId}), seed ${seed}`,
    row('table', 'removed', 'written'),
    row('municipality', '-', r.municipalityCreated ? 'created' : 'updated'),
    row('area', '-', r.areas),
    row('household', r.removed.households, r.inserted.households),
    row('resident', r.removed.residents, r.inserted.residents),
    row('supporter', r.removed.supporters, r.inserted.supporters),
    row('endpoint', r.removed.endpoints, r.inserted.endpoints),
    ...Object.entries(report.endpointsByChannel).map(([channel, n]) => row(`  ${channel}`, '', n)),
    row('operator', '-', r.operators.created.length + r.operators.reset.length + r.operators.kept.length),
    `  operators: ${describeOperators(r.operators)}`,
    `elapsed: generate ${report.generateMs} ms, write ${report.writeMs} ms, total ${report.totalMs} ms`,
  ];
  if (report.generatedOperatorPassword) {
    lines.push(
      '',
      `DEMO OPERATOR PASSWORD (for ${r.operators.created.join(', ')}; shown only this once, only its hash is stored):`,
      `  ${report.generatedOperatorPassword}`,
    );
  }
  console.log(lines.join('\n'));
}

function describeOperators(ops: SeedDemoReport['result']['operators']): string {
  const parts = [
    ops.created.length ? `created ${ops.created.join(', ')}` : '',
    ops.reset.length ? `password reset from DEMO_OPERATOR_PASSWORD for ${ops.reset.join(', ')}` : '',
    ops.kept.length
      ? `kept (password unchanged; set DEMO_OPERATOR_PASSWORD to reset) ${ops.kept.join(', ')}`
      : '',
    ops.taken.length ? `SKIPPED, email used by another municipality: ${ops.taken.join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}
