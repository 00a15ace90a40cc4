import type { z } from 'zod';
import { schemas, type AppName, type ConfigOf } from './schema';

export type Env = Record<string, string | undefined>;

/** Raised at boot with every invalid or missing key at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(
    readonly app: AppName,
    readonly problems: { key: string; message: string }[],
  ) {
    super(
      `Invalid configuration for ${app}:\n` + problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** The one place that reads `process.env`. Empty strings count as unset, so `FOO=` falls back to the default. */
export function loadConfig<A extends AppName>(app: A, env: Env = process.env): ConfigOf<A> {
  const schema: z.ZodType = schemas[app];
  const input: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') input[k] = v;
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      app,
      result.error.issues.map((i) => ({ key: i.path.join('.') || '(root)', message: i.message })),
    );
  }
  return result.data as ConfigOf<A>;
}

const TEST_TEMPLATE_KEY = 'BOUSAI_TEST_TEMPLATE_DB';

/**
 * The migrated template database of the current test run. The jest global setup names it once per run and
 * passes it to the workers through the environment, so concurrent runs never drop each other's template.
 */
export const testRun = {
  templateDatabase(): string | undefined {
    return process.env[TEST_TEMPLATE_KEY];
  },
  setTemplateDatabase(name: string): void {
    process.env[TEST_TEMPLATE_KEY] = name;
  },
};
