import { createECDH, randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';
import { hashDeviceSecret, newSecret } from '@bousai/domain';
import type {
  OperatorRepository,
  RosterRepository,
  Transaction,
  TransactionRunner,
} from '@bousai/persistence';
import type { DemoArea, DemoMunicipality, DemoOperator, DemoRoster, DemoSeedResult } from './demo-data';
import { generateDemoRoster } from './demo-roster.generator';
import { YASUGI, YASUGI_AREAS, YASUGI_OPERATORS } from './yasugi.data';

export interface SeedDemoOptions {
  households: number;
  residents: number;
  seed: number;
  /** DEMO_OPERATOR_PASSWORD: given → every demo operator gets it (existing ones are reset). */
  operatorPassword?: string;
  /** Given → every demo receiver accepts this device secret (`npm run demo` connects simulated receivers). */
  receiverSecret?: string;
  now?: Date;
}

export interface SeedDemoReport {
  result: DemoSeedResult;
  endpointsByChannel: Record<string, number>;
  /** Set only when no password was configured and at least one operator was created with this one. */
  generatedOperatorPassword?: string;
  generateMs: number;
  writeMs: number;
  totalMs: number;
}

/** RFC 8291 subscription keys: an uncompressed P-256 public point and a 16-byte auth secret, base64url. */
function webPushKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/** Where the demo is written: the generic stores of the roster and the operators, and a transaction runner. */
export interface DemoStores {
  tx: TransactionRunner;
  roster: RosterRepository;
  operators: OperatorRepository;
}

/**
 * Seeds 安来市 with a synthetic roster and its demo operators. Re-running replaces the roster (see
 * {@link writeDemo}); operators keep their password unless one is configured.
 */
export async function seedDemo(stores: DemoStores, opts: SeedDemoOptions): Promise<SeedDemoReport> {
  const started = performance.now();
  const operatorPassword = opts.operatorPassword ?? randomBytes(18).toString('base64url');
  // one device secret for all demo receivers: the one `npm run demo` connects its simulated receivers with, or
  // else a random one, hashed and forgotten (no device can log in with the seeded rows)
  const receiverSecretHash = hashDeviceSecret(opts.receiverSecret ?? newSecret('rxs', 24));
  const operatorPasswordHash = await argon2.hash(operatorPassword, { type: argon2.argon2id });

  const generating = performance.now();
  const roster = generateDemoRoster(
    { households: opts.households, residents: opts.residents, seed: opts.seed, now: opts.now ?? new Date() },
    { receiverSecretHash, webPushKeys: webPushKeys() },
  );
  const writing = performance.now();
  const result = await stores.tx.run((em) =>
    writeDemo(stores, em, {
      municipality: YASUGI,
      areas: YASUGI_AREAS,
      roster,
      operators: YASUGI_OPERATORS,
      operatorPasswordHash,
      resetOperatorPasswords: opts.operatorPassword !== undefined,
    }),
  );
  const done = performance.now();

  const endpointsByChannel: Record<string, number> = {};
  for (const e of roster.endpoints) endpointsByChannel[e.channel] = (endpointsByChannel[e.channel] ?? 0) + 1;
  return {
    result,
    endpointsByChannel,
    generatedOperatorPassword:
      opts.operatorPassword === undefined && result.operators.created.length > 0
        ? operatorPassword
        : undefined,
    generateMs: Math.round(writing - generating),
    writeMs: Math.round(done - writing),
    totalMs: Math.round(done - started),
  };
}

interface DemoSeedInput {
  municipality: DemoMunicipality;
  areas: readonly DemoArea[];
  roster: DemoRoster;
  operators: readonly DemoOperator[];
  /** argon2id hash given to operators that are created (and, with `resetOperatorPasswords`, to existing ones). */
  operatorPasswordHash: string;
  resetOperatorPasswords: boolean;
}

/**
 * Writes the demo data set in the transaction `em`. The municipality, its areas and operators are upserted, so
 * their ids, and alerts that reference them, survive; the roster (households, residents, their supporters and
 * endpoints — and with them, through the foreign keys, any deliveries, safety requests and escalation tasks that
 * pointed at them) is deleted and COPYed in anew.
 */
async function writeDemo(stores: DemoStores, em: Transaction, input: DemoSeedInput): Promise<DemoSeedResult> {
  const { roster, operators } = stores;
  const municipality = await roster.upsertMunicipality(em, input.municipality);
  const municipalityId = municipality.id;
  const areaIds = await roster.upsertAreas(em, municipalityId, input.areas);
  const areaId = (code: string): string => {
    const id = areaIds.get(code);
    if (!id) throw new Error(`household refers to an unknown area code ${code}`);
    return id;
  };
  const removed = await roster.deleteRoster(em, municipalityId);
  const households = await roster.bulkInsertHouseholds(
    em,
    municipalityId,
    input.roster.households.map(({ areaCode, ...h }) => ({ ...h, areaId: areaId(areaCode) })),
  );
  const inserted = {
    households,
    residents: await roster.bulkInsertResidents(em, municipalityId, input.roster.residents),
    supporters: await roster.bulkInsertSupporters(em, municipalityId, input.roster.supporters),
    endpoints: await roster.bulkInsertEndpoints(em, municipalityId, input.roster.endpoints),
  };
  const result: DemoSeedResult['operators'] = { created: [], reset: [], kept: [], taken: [] };
  for (const op of input.operators) {
    const outcome = await operators.upsertByEmail(
      em,
      municipalityId,
      { ...op, passwordHash: input.operatorPasswordHash },
      input.resetOperatorPasswords,
    );
    if (outcome === 'taken') result.taken.push(op.email);
    else if (outcome === 'created') result.created.push(op.email);
    else if (input.resetOperatorPasswords) result.reset.push(op.email);
    else result.kept.push(op.email);
  }
  return {
    municipalityId,
    municipalityCreated: municipality.created,
    areas: areaIds.size,
    removed,
    inserted,
    operators: result,
  };
}
