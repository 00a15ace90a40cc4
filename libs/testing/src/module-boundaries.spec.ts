import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The module boundaries of .dependency-cruiser.js bite: the repository's own rules, run by the same tool as
 * `npm run check`, on a small tree of files that break them (and one that keeps them).
 */
const root = join(__dirname, '..', '..', '..');

/** Each fixture file: its imports, and the rules it must break (none: it keeps them all). */
const FIXTURES: Record<string, { source: string; breaks: string[] }> = {
  'apps/api/src/push.ts': {
    // a deep sub-path of a provider SDK, from the app that must load none
    source: `import { getMessaging } from 'firebase-admin/messaging';\nexport const m = getMessaging;\n`,
    breaks: ['owner-provider-sdks'],
  },
  'apps/api/src/mail.ts': {
    // type-only, and the types come from @types/nodemailer: still the provider SDK
    source: `import type { Transporter } from 'nodemailer';\nexport type Mail = Transporter;\n`,
    breaks: ['owner-provider-sdks'],
  },
  'apps/api/src/senders.ts': {
    source: `import { sender } from '@bousai/channels/senders';\nexport const s = sender;\n`,
    breaks: ['api-no-senders'],
  },
  'apps/api/src/ok.ts': {
    source:
      `import { name } from '@bousai/channels';\nimport { rule } from '@bousai/domain';\n` +
      `import type { Redis } from '@bousai/queue';\nexport const ok: [string, string, Redis?] = [name, rule];\n`,
    breaks: [],
  },
  'apps/fanout/src/live.ts': {
    source: `import { Server } from 'socket.io';\nexport const io = Server;\n`,
    breaks: ['owner-socket.io'],
  },
  'apps/ingest/src/entities.ts': {
    source: `import { TypeOrmModule } from '@nestjs/typeorm';\nexport const t = TypeOrmModule;\n`,
    breaks: ['owner-persistence'],
  },
  'libs/domain/src/cache.ts': {
    // a type-only import counts: the type still comes from the package
    source: `import type { Redis } from 'ioredis';\nexport type Cache = Redis;\n`,
    breaks: ['owner-redis'],
  },
  'libs/feeds/src/store.ts': {
    source: `import { repository } from '@bousai/persistence';\nexport const r = repository;\n`,
    breaks: ['lib-table-feeds'],
  },
  'libs/queue/src/deep.ts': {
    source: `import { rule } from '../../domain/src/rules';\nexport const r = rule;\n`,
    breaks: ['entry-points-only'],
  },
  'libs/channels/src/index.ts': { source: `export const name = 'fcm';\n`, breaks: [] },
  'libs/channels/src/senders.ts': { source: `export const sender = 'fcm';\n`, breaks: [] },
  'libs/domain/src/index.ts': { source: `export * from './rules';\n`, breaks: [] },
  'libs/domain/src/rules.ts': { source: `export const rule = 'two-person';\n`, breaks: [] },
  'libs/persistence/src/index.ts': { source: `export const repository = 'alerts';\n`, breaks: [] },
  'libs/queue/src/index.ts': { source: `export type { Redis } from 'ioredis';\n`, breaks: [] },
};

interface Violation {
  from: string;
  rule: { name: string };
}

describe('module boundaries (.dependency-cruiser.js)', () => {
  let dir: string;
  let violations: Violation[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bousai-boundaries-'));
    for (const [file, { source }] of Object.entries(FIXTURES)) {
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file), source);
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // the repository's path aliases, and its rules with package paths kept under ./node_modules
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { baseUrl: '.', paths: tsconfig.compilerOptions.paths } }),
    );
    writeFileSync(
      join(dir, 'rules.js'),
      `const base = require(${JSON.stringify(join(root, '.dependency-cruiser.js'))});\n` +
        `module.exports = { ...base, options: { ...base.options, preserveSymlinks: true } };\n`,
    );
    const bin = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
    // exit code 1 means "violations found": the report is on stdout either way
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, 'apps', 'libs', '--config', 'rules.js', '--output-type', 'json'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(Object.entries(FIXTURES))('%s breaks exactly the rules it should', (file, { breaks }) => {
    const broken = violations.filter((v) => v.from === file).map((v) => v.rule.name);
    expect(broken.sort()).toEqual([...breaks].sort());
  });
});
