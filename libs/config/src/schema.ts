import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Keys every app reads. Local defaults match a developer machine with Postgres and Redis on 127.0.0.1. */
const baseShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool(false),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/bousai'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/, 'lowercase letters, digits, ":", "_" and "-" only')
    .default('bousai'),
  HOST: z.string().min(1).default('127.0.0.1'),
};

const DEV_JWT_SECRET = 'bousai-dev-only-jwt-secret-change-me-0123456789';

export const apiSchema = z
  .object({
    ...baseShape,
    PORT: port(3000),
    /** HMAC key for operator access tokens (HS256). At least 32 characters; required in production. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_SECONDS: z.coerce.number().int().min(10).max(86400).default(900),
    CSV_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
    /** Web Push endpoints must be https; tests and local fakes may allow http. */
    WEBPUSH_ALLOW_HTTP: bool(false),
  })
  // runs even when other keys are invalid, so one boot lists every problem
  .refine(
    (cfg) =>
      !(cfg.NODE_ENV === 'production' && (cfg.JWT_SECRET === undefined || cfg.JWT_SECRET === DEV_JWT_SECRET)),
    { path: ['JWT_SECRET'], message: 'must be set in production', when: () => true },
  );

export const ingestSchema = z.object({ ...baseShape, PORT: port(3001) });

export const fanoutSchema = z.object({ ...baseShape, PORT: port(3002) });

/** The command-line tools: migrations, seeding, operator creation, OpenAPI generation. */
export const cliSchema = z.object({
  ...baseShape,
  /** Password for `operator:create` when not typed at the prompt (never taken from an argument). */
  OPERATOR_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Password of the demo operators `seed:demo` creates; when unset it generates one and prints it once. */
  DEMO_OPERATOR_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
});

export type ApiConfig = z.infer<typeof apiSchema>;
export type IngestConfig = z.infer<typeof ingestSchema>;
export type FanoutConfig = z.infer<typeof fanoutSchema>;
export type CliConfig = z.infer<typeof cliSchema>;
/** What the shared libraries need: every app's config has at least these keys. */
export type BaseConfig = Pick<
  ApiConfig,
  | 'NODE_ENV'
  | 'LOG_LEVEL'
  | 'LOG_PRETTY'
  | 'DATABASE_URL'
  | 'DATABASE_POOL_SIZE'
  | 'REDIS_URL'
  | 'QUEUE_PREFIX'
  | 'HOST'
>;

export const schemas = { api: apiSchema, ingest: ingestSchema, fanout: fanoutSchema, cli: cliSchema };
export type AppName = keyof typeof schemas;
export type ConfigOf<A extends AppName> = z.infer<(typeof schemas)[A]>;
