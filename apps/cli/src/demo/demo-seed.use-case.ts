import { createECDH, randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';
import { hashDeviceSecret, newSecret } from '@bousai/domain';
import type { DemoSeedRepository, DemoSeedResult } from '@bousai/persistence';
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

/**
 * Seeds 安来市 with a synthetic roster and its demo operators. Re-running replaces the roster (see
 * DemoSeedRepository); operators keep their password unless one is configured.
 */
export async function seedDemo(repo: DemoSeedRepository, opts: SeedDemoOptions): Promise<SeedDemoReport> {
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
  const result = await repo.seed({
    municipality: YASUGI,
    areas: YASUGI_AREAS,
    roster,
    operators: [...YASUGI_OPERATORS],
    operatorPasswordHash,
    resetOperatorPasswords: opts.operatorPassword !== undefined,
  });
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
