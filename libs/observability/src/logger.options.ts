import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import pino, { type LevelWithSilent, type LoggerOptions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { MASK, SENSITIVE_KEYS, scrubText } from './personal-data.scrubber';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Probes and scrapes arrive every few seconds; logging each would drown everything else. */
export const QUIET_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

export interface LoggerSettings {
  app: string;
  level: LevelWithSilent;
  /** Human-readable output, honoured only where pino-pretty is installed (never in production images). */
  pretty?: boolean;
}

/**
 * Key-level redaction. pino's paths are exact, so each key is listed at the top level and one level down;
 * deeper or unexpected places are covered by the text scrubber that runs over every finished line.
 */
export function redactPaths(): string[] {
  const keys = SENSITIVE_KEYS.filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  return [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    'res.headers["set-cookie"]',
    ...keys,
    ...keys.map((k) => `*.${k}`),
  ];
}

/** Options for a plain pino logger: the ones every app, worker and tool shares. */
export function pinoOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { app: settings.app, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths(), censor: '[Redacted]' },
    serializers: { err: pino.stdSerializers.err },
    hooks: {
      // the last stop before the destination: messages, error messages and stacks, bindings, everything
      streamWrite: scrubText,
    },
    ...prettyTransport(settings.pretty),
  };
}

/** Options for pino-http (nestjs-pino's `pinoHttp`): request id, quiet probes, no bodies, no client address. */
export function pinoHttpOptions(settings: LoggerSettings): PinoHttpOptions {
  return {
    ...pinoOptions(settings),
    genReqId: requestId,
    autoLogging: { ignore: (req) => QUIET_PATHS.includes(pathOf(req.url)) },
    customLogLevel: (_req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    serializers: {
      err: pino.stdSerializers.err,
      // pino-http hands these the standard serialisation; keep what helps and drop bodies and addresses
      req: (req: { id?: unknown; method?: string; url?: string; headers?: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(req.url),
        headers: pickHeaders(req.headers ?? {}),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * Query parameters whose values are never personal data (paging, filters by enum, uuid or date); their values stay
 * in the log to help debugging. Every other value is masked: `externalId` (住民番号/世帯番号), `token`, `code`,
 * `email` and whatever a route adds later, so a new filter is private until someone lists it here.
 */
const LOGGED_QUERY_VALUES = new Set([
  'limit',
  'cursor',
  'before',
  'days',
  'status',
  'format',
  'encoding',
  'channel',
  'language',
  'needsAssistance',
  'staff',
  'drills',
  'areaId',
  'householdId',
  'residentId',
]);

/** Parameter names as routes spell them; anything else (digits, dashes, no `=`) may itself be an identifier. */
const QUERY_KEY = /^[A-Za-z][A-Za-z_]{0,63}$/;

/** The request URL as logged: the path as sent (the text scrubber still runs over it), query values masked. */
export function loggableUrl(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      if (LOGGED_QUERY_VALUES.has(key)) return pair;
      return eq < 0 || !QUERY_KEY.test(key) ? MASK.secret : `${key}=${MASK.secret}`;
    });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Reuses the caller's `x-request-id` when it is a plain token (no log injection), else makes one; echoes it. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

const LOGGED_HEADERS = ['host', 'user-agent', 'content-type', 'content-length', 'authorization', 'cookie'];

function pickHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const h of LOGGED_HEADERS) if (headers[h] !== undefined) out[h] = headers[h];
  return out;
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function prettyTransport(pretty: boolean | undefined): Pick<LoggerOptions, 'transport'> {
  if (!pretty) return {};
  try {
    require.resolve('pino-pretty');
  } catch {
    return {};
  }
  return { transport: { target: 'pino-pretty', options: { singleLine: true } } };
}
