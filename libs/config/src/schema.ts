import { isIP } from 'node:net';
import { z } from 'zod';
import { isOutboundOriginPattern } from '@bousai/domain';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(item: string): boolean {
  if (PROXY_NAMES.has(item)) return true;
  const [ip, prefix, ...rest] = item.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which hops in front of the api to believe about the client's address (`X-Forwarded-For`), as Express takes it:
 * `false` (none: the socket's peer is the client), `true` (any: only behind a proxy that overwrites the header),
 * a number of hops, or addresses/CIDRs/`loopback`/`linklocal`/`uniquelocal`, comma-separated.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx): boolean | number | string[] => {
    const v = raw.trim();
    if (v === 'false' || v === '0') return false;
    if (v === 'true') return true;
    if (/^\d{1,2}$/.test(v)) return Number(v);
    const items = v.split(',').map((i) => i.trim());
    const bad = items.filter((i) => !isProxyAddress(i));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `not an address, CIDR, hop count, true/false or loopback/linklocal/uniquelocal: ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return items;
  });

/** Keys every app reads. Local defaults match a developer machine with Postgres and Redis on 127.0.0.1. */
const baseShape = {
  /**
   * Unset means production: development conveniences (the public JWT key) need `development` or `test` on purpose,
   * so a deployment that forgets the variable fails closed.
   */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool(false),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/bousai'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * The hot paths' batch statements (acks, credentials, safety answers) as named prepared statements, planned once
   * per connection. Off behind a transaction-mode pooler that cannot keep them (PgBouncer before 1.21, or without
   * `max_prepared_statements`): they are then sent unnamed, planned every time (docs/operations.md §6).
   */
  DATABASE_PREPARED_STATEMENTS: bool(true),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/, 'lowercase letters, digits, ":", "_" and "-" only')
    .default('bousai'),
  HOST: z.string().min(1).default('127.0.0.1'),
};

/** Published in this repository: anyone can sign operator tokens with it, so it is for development only. */
const DEV_JWT_SECRET = 'bousai-dev-only-jwt-secret-change-me-0123456789';

/** Whether the api signs operator tokens with the public development key (it then warns at every boot). */
export function usesPublicJwtSecret(config: { JWT_SECRET: string }): boolean {
  return config.JWT_SECRET === DEV_JWT_SECRET;
}

/** The SMTP submission server: the fanout mails alerts and address confirmations through it (the api mails nothing). */
const smtpShape = {
  /** SMTP submission server for the email channel: implicit TLS when SMTP_SECURE, else STARTTLS when offered. */
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: port(587),
  SMTP_SECURE: bool(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  /** Envelope and header sender, e.g. `安来市防災 <bousai@city.example.jp>`. */
  SMTP_FROM: z.string().min(3).default('bousai <bousai@localhost>'),
  /** Pooled SMTP connections, and messages each carries before it is recycled. */
  SMTP_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  SMTP_MAX_MESSAGES: z.coerce.number().int().min(1).max(100_000).default(100),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** Accept a self-signed certificate from a local SMTP server; never in production. */
  SMTP_TLS_INSECURE: bool(false),
};

/** Comma-separated hosts or origins (`OutboundAddressPolicy`); `*` (any public host) only where `any` says so. */
const originList = (fallback: string, any: boolean) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const items = [...new Set(raw.split(',').map((i) => i.trim().toLowerCase()))].filter(Boolean);
      const bad = items.filter((i) => !isOutboundOriginPattern(i) || (i === '*' && !any));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `not a host, *.domain or scheme://host[:port]: ${bad.join(', ')}`,
        });
        return z.NEVER;
      }
      return items;
    });

/**
 * Which push services residents' Web Push subscriptions may name: the api refuses others at registration, the
 * fanout at send time. Loopback is refused unless an origin is listed in WEBPUSH_LOOPBACK_ORIGINS (local fakes).
 */
const webPushEgressShape = {
  WEBPUSH_ALLOWED_ORIGINS: originList(
    'fcm.googleapis.com,updates.push.services.mozilla.com,*.push.services.mozilla.com,*.push.apple.com,*.notify.windows.com',
    true,
  ),
  WEBPUSH_LOOPBACK_ORIGINS: originList('', false),
};

/**
 * The CSP source of a map tile URL template (`https://{s}.tile.example.jp/{z}/{x}/{y}.png`): its scheme, host and
 * port, a leading `{s}.` (Leaflet's subdomains) as `*.`. Undefined when the template is not an http(s) tile URL.
 */
export function mapTileSource(template: string): string | undefined {
  const m = /^(https?):\/\/((?:\{s\}\.)?)([a-z0-9.-]+)(:\d{1,5})?\//i.exec(template);
  if (!m || !['{z}', '{x}', '{y}'].every((p) => template.includes(p))) return undefined;
  const [, scheme, sub, host, port = ''] = m;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(host)) return undefined;
  return `${scheme.toLowerCase()}://${sub ? '*.' : ''}${host.toLowerCase()}${port}`;
}

/** The console's district map: tiles from a template (Leaflet's `{s}`/`{z}`/`{x}`/`{y}`/`{r}`), never by default. */
const consoleMapShape = {
  CONSOLE_MAP_TILES_URL: z
    .string()
    .refine((v) => mapTileSource(v) !== undefined && !/[\s"'<>\\]/.test(v), {
      message: 'an http(s) URL template with {z}, {x} and {y}, e.g. https://tile.example.jp/{z}/{x}/{y}.png',
    })
    .optional(),
  /** Shown under the map as plain text, e.g. `地理院タイル` or `© OpenStreetMap contributors`. */
  CONSOLE_MAP_TILES_ATTRIBUTION: z.string().trim().min(1).max(300).optional(),
};

export const apiSchema = z
  .object({
    ...baseShape,
    PORT: port(3000),
    /** How often the live operator view pushes changed counters (at most twice a second). */
    LIVE_PUSH_INTERVAL_MS: z.coerce.number().int().min(500).max(10_000).default(500),
    /** The api's public address, for links in the CAP feed (else the request's own host). */
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The built operator console (`npm run build:console`), served at `/console/`; relative to the working dir. */
    CONSOLE_DIR: z.string().min(1).default('dist/console'),
    /** The built residents' app (`npm run build:pwa`), served at `/app/`; relative to the working dir. */
    PWA_DIR: z.string().min(1).default('dist/pwa'),
    /** The page's `applicationServerKey` for Web Push: the fanout's WEBPUSH_VAPID_PUBLIC_KEY. Unset: no push. */
    WEBPUSH_VAPID_PUBLIC_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{87}$/, 'a base64url uncompressed P-256 public key (65 bytes)')
      .optional(),
    /**
     * HMAC key for operator access tokens (HS256), at least 32 characters. Required unless NODE_ENV is
     * `development` or `test`, where it falls back to a public development key.
     */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_SECONDS: z.coerce.number().int().min(10).max(86400).default(900),
    /** Visitor subscriptions (public, unauthenticated): changes one client address may make per window. */
    VISITOR_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
    VISITOR_RATE_LIMIT_SECONDS: z.coerce.number().int().min(1).max(86400).default(3600),
    /** Active visitor subscriptions one municipality may have; past it, new ones are refused. */
    VISITOR_SUBSCRIPTIONS_MAX: z.coerce.number().int().min(1).max(10_000_000).default(200_000),
    /** The proxies in front of the api whose `X-Forwarded-For` names the client (login throttling per address). */
    TRUST_PROXY: trustProxy,
    CSV_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
    /** Web Push endpoints must be https; tests and local fakes may allow http. */
    WEBPUSH_ALLOW_HTTP: bool(false),
    ...webPushEgressShape,
    ...consoleMapShape,
    /**
     * HMAC key of signed one-tap links (safety answers, address confirmation); the same as fanout's. Unset: email
     * addresses cannot be confirmed (registrations answer `confirmation: unavailable`).
     */
    ONE_TAP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How long a verified receiver (serial, secret) skips argon2 on reconnect: power-cut storms stay cheap. */
    RECEIVER_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
    /** How long a receiver has to answer a stored alert it is sent on reconnect. */
    RECEIVER_ACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Reports one receiver connection may have waiting for answers; beyond it, events are answered RATE_LIMITED. */
    RECEIVER_MAX_PENDING_REPORTS: z.coerce.number().int().min(1).max(5_000).default(500),
    /** Group commit of receiver reports: one bulk write per this many ms or this many rows, whichever first. */
    RECEIVER_FLUSH_MS: z.coerce.number().int().min(1).max(100).default(100),
    RECEIVER_FLUSH_MAX_ROWS: z.coerce.number().int().min(1).max(20_000).default(5_000),
    /** How long an idle receiver-report writer waits for more before it writes (0: at once). */
    RECEIVER_FLUSH_LINGER_MS: z.coerce.number().int().min(0).max(100).default(0),
    /** HMAC key of per-delivery ack tokens carried in push payloads; the same as fanout's. Unset: no token acks. */
    ACK_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Group commit of delivery acks (REST): one bulk write per this many ms or this many rows, whichever first. */
    ACK_FLUSH_MS: z.coerce.number().int().min(1).max(100).default(100),
    ACK_FLUSH_MAX_ROWS: z.coerce.number().int().min(1).max(20_000).default(5_000),
    /** How long an idle ack writer waits for more before it writes (0: at once; batches grow under load). */
    ACK_FLUSH_LINGER_MS: z.coerce.number().int().min(0).max(100).default(0),
    /** Ack batches written at once: while one waits for its commit the next is on its way (docs/performance.md). */
    ACK_FLUSH_WRITERS: z.coerce.number().int().min(1).max(16).default(2),
    /**
     * Group commit of safety answers (every channel): one statement per this many ms or this many answers, whichever
     * first; an idle writer waits SAFETY_FLUSH_LINGER_MS for company (0: at once). One batch is written at a time.
     */
    SAFETY_FLUSH_MS: z.coerce.number().int().min(1).max(100).default(100),
    SAFETY_FLUSH_MAX_ROWS: z.coerce.number().int().min(1).max(5_000).default(1_000),
    SAFETY_FLUSH_LINGER_MS: z.coerce.number().int().min(0).max(100).default(0),
  })
  // runs even when other keys are invalid, so one boot lists every problem
  .refine(
    (cfg) =>
      !(cfg.NODE_ENV === 'production' && (cfg.JWT_SECRET === undefined || cfg.JWT_SECRET === DEV_JWT_SECRET)),
    {
      path: ['JWT_SECRET'],
      message:
        'must be set to a private key of at least 32 random characters (e.g. `openssl rand -hex 32`) unless ' +
        'NODE_ENV is development or test (NODE_ENV is production when unset)',
      when: () => true,
    },
  )
  .refine(
    (cfg) => cfg.CONSOLE_MAP_TILES_URL === undefined || cfg.CONSOLE_MAP_TILES_ATTRIBUTION !== undefined,
    {
      path: ['CONSOLE_MAP_TILES_ATTRIBUTION'],
      message: "must name the tiles' source (their terms ask for it) when CONSOLE_MAP_TILES_URL is set",
      when: () => true,
    },
  )
  .transform((cfg) => ({ ...cfg, JWT_SECRET: cfg.JWT_SECRET ?? DEV_JWT_SECRET }));

export const ingestSchema = z.object({
  ...baseShape,
  PORT: port(3001),
  /** JMA PULL (Atom) feeds: the folder holding `<name>.xml` (high-frequency) and `<name>_l.xml` (long-term). */
  JMA_FEED_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .default('https://www.data.jma.go.jp/developer/xml/feed/')
    .transform((v) => (v.endsWith('/') ? v : `${v}/`)),
  /** Feeds to poll (comma-separated names under JMA_FEED_BASE_URL): regular, extra, eqvol, other. */
  JMA_FEEDS: z
    .string()
    .default('extra,eqvol')
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(['regular', 'extra', 'eqvol', 'other'])).min(1)),
  /** Run the poller in this process; unset means on, except under NODE_ENV=test (tests never reach JMA unasked). */
  JMA_POLL_ENABLED: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  /** JMA regenerates the high-frequency feeds every minute; poll no faster. */
  JMA_POLL_INTERVAL_MS: z.coerce.number().int().min(10_000).max(3_600_000).default(60_000),
  /** Seconds past the interval boundary to poll at (JMA's explainer suggests about :20 past the minute). */
  JMA_POLL_OFFSET_SECONDS: z.coerce.number().int().min(0).max(59).default(20),
  /** Random extra delay added to every poll, so many installations do not arrive at the same instant. */
  JMA_POLL_JITTER_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Telegrams fetched at once, per process. */
  JMA_FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  JMA_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Longest wait after repeated failures of one feed (the wait doubles from the poll interval). */
  JMA_BACKOFF_MAX_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(600_000),
  /**
   * Size cap of any document ingest accepts (telegram, relay body): 8 MiB, room for the largest real telegram
   * (VPWS50, the 2026 scheme's national summary, ≈ 4.6 MB; docs/feeds.md §8).
   */
  FEED_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  /** Size cap of a JMA Atom feed (the long-term feeds list a few days of telegrams). */
  JMA_FEED_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(32 * 1024 * 1024),
  /** HMAC-SHA256 key shared with the municipality's J-ALERT receiver integration; the relay is off without it. */
  JALERT_RELAY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How far `X-Bousai-Timestamp` may be from our clock; signatures are remembered this long to refuse replays. */
  JALERT_REPLAY_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3_600).default(300),
});

export const fanoutSchema = z.object({
  ...baseShape,
  PORT: port(3002),
  /** FCM HTTP v1 origin; `http://` speaks h2c (local fakes only). */
  FCM_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://fcm.googleapis.com'),
  /** Firebase project id; defaults to the `project_id` of the service account. */
  FCM_PROJECT_ID: z
    .string()
    .regex(/^[a-z][a-z0-9-]{4,29}$/, 'a Google Cloud project id')
    .optional(),
  /** Service-account JSON; when unset the sender uses Google application default credentials. */
  FCM_CREDENTIALS_FILE: z.string().min(1).optional(),
  /** OAuth token endpoint override for local fakes (firebase-admin 14 ignores a service account's token_uri). */
  FCM_TOKEN_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Long-lived HTTP/2 sessions per process and concurrent streams per session (FCM allows 100). */
  FCM_SESSIONS: z.coerce.number().int().min(1).max(64).default(4),
  FCM_MAX_STREAMS: z.coerce.number().int().min(1).max(1000).default(100),
  /** Client-side token bucket just under the project quota (FCM default: 600k messages per minute). */
  FCM_QUOTA_PER_MINUTE: z.coerce.number().int().min(1).default(600_000),
  FCM_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * The fanout fetches the access token and connects every session at boot, then checks both this often
   * (seconds; 0: only on demand, the first alert then pays the handshakes): the token is renewed before it lapses
   * and sessions a peer closed while idle are reopened.
   */
  FCM_KEEP_WARM_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  /** Accept a self-signed certificate from a local fake; never in production. */
  FCM_TLS_INSECURE: bool(false),
  /** How long a connected receiver has to acknowledge an alert before its delivery is retried. */
  RECEIVER_ACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** VAPID key pair (RFC 8292), base64url as `npm run vapid:generate` prints it; the webpush sender needs both. */
  WEBPUSH_VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'a base64url uncompressed P-256 public key (65 bytes)')
    .optional(),
  WEBPUSH_VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url P-256 private key (32 bytes)')
    .optional(),
  /** Contact the push services may use (`mailto:` or `https:` URL), the JWT's `sub`. */
  WEBPUSH_VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, 'a mailto: or https: URL')
    .default('mailto:bousai@example.jp'),
  /** Keep-alive connections per push-service origin, and so requests in flight per origin. */
  WEBPUSH_MAX_SOCKETS: z.coerce.number().int().min(1).max(1024).default(64),
  WEBPUSH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Offer HTTP/2 to push services (ALPN) and send as streams to those that take it; HTTP/1.1 to the rest. Off:
   * HTTP/1.1 to every push service over WEBPUSH_MAX_SOCKETS connections.
   */
  WEBPUSH_HTTP2: bool(true),
  /** HTTP/2 sessions per push-service origin that negotiated h2. */
  WEBPUSH_HTTP2_SESSIONS: z.coerce.number().int().min(1).max(16).default(1),
  /** Streams in flight per HTTP/2 session (lowered to the push service's own SETTINGS limit); the rest queue. */
  WEBPUSH_HTTP2_MAX_STREAMS: z.coerce.number().int().min(1).max(1000).default(128),
  /** Push endpoints may be http (local fakes only; the api refuses such subscriptions unless it allows them too). */
  WEBPUSH_ALLOW_HTTP: bool(false),
  /** Accept a self-signed certificate from a local fake push service; never in production. */
  WEBPUSH_TLS_INSECURE: bool(false),
  ...webPushEgressShape,
  /**
   * Worker threads that encrypt push payloads (RFC 8291) off the event loop; 0 encrypts inline. One beats inline on
   * a 2-core box (`npm run bench:webpush`); more than the spare cores only adds overhead.
   */
  WEBPUSH_ENCRYPT_THREADS: z.coerce.number().int().min(0).max(16).default(1),
  /** The api's signed-ack endpoint (`https://<api>/v1/acks/signed`) Web Push payloads name; omitted when unset. */
  WEBPUSH_ACK_URL: z.url({ protocol: /^https?$/ }).optional(),
  ...smtpShape,
  /**
   * HMAC key of signed one-tap links (safety answers, address-confirmation mails); at least 32 characters, the same
   * as the api's. A fanout with the email sender needs it to mail confirmation links.
   */
  ONE_TAP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** HMAC key of per-delivery ack tokens (the api's); when set, FCM messages carry `ackToken`. */
  ACK_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How long after sending an ack token is accepted (a phone may be off for days). */
  ACK_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(7 * 86_400),
  /**
   * Channels whose sender this process wires (comma-separated); the process announces them in Redis. A channel no
   * running fanout announces is not sent: its audience gets `undeliverable` delivery rows, which the live view
   * counts as not reached. The default needs nothing but
   * Redis; add `fcm` once FCM credentials are configured (its sender refuses to boot without them).
   */
  FANOUT_CHANNELS: z
    .string()
    .default('receiver')
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(['fcm', 'webpush', 'receiver', 'email', 'line']))),
  /** Jobs each worker runs at once, per queue. */
  FANOUT_CONCURRENCY_PLAN: z.coerce.number().int().min(1).max(64).default(2),
  FANOUT_CONCURRENCY_CANCEL: z.coerce.number().int().min(1).max(64).default(4),
  FANOUT_CONCURRENCY_RECEIVER: z.coerce.number().int().min(1).max(256).default(8),
  FANOUT_CONCURRENCY_FCM: z.coerce.number().int().min(1).max(256).default(8),
  FANOUT_CONCURRENCY_WEBPUSH: z.coerce.number().int().min(1).max(256).default(4),
  FANOUT_CONCURRENCY_EMAIL: z.coerce.number().int().min(1).max(256).default(4),
  FANOUT_CONCURRENCY_LINE: z.coerce.number().int().min(1).max(256).default(4),
  /** Deliveries per batch job (firebase-admin's sendEach takes 500 at most). */
  FANOUT_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(500),
  /**
   * Endpoints the planner reads per statement; its memory is bounded by this, not by the audience. One batch's
   * worth by default: the first batch leaves after one small statement, which shortens the first delivery several
   * times over a chunk of 5,000 (`npm run bench:fanout`) for a few percent more Postgres CPU per delivery.
   */
  FANOUT_PLAN_CHUNK_SIZE: z.coerce.number().int().min(100).max(50_000).default(500),
  /**
   * Rows in a channel's first chunk (at most FANOUT_PLAN_CHUNK_SIZE): one small batch, so the first of each
   * channel's audience are sent after planning and claiming that many rows rather than a whole chunk, which brings
   * the first delivery forward (`npm run bench:fanout`, docs/performance.md).
   */
  FANOUT_FIRST_CHUNK_SIZE: z.coerce.number().int().min(1).max(50_000).default(100),
  /** Send attempts per delivery before a transient failure counts as final. */
  FANOUT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** Jittered exponential backoff of retried deliveries (never shorter than the provider's Retry-After). */
  FANOUT_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
  FANOUT_RETRY_CAP_MS: z.coerce.number().int().min(1).max(3_600_000).default(60_000),
  /**
   * How often an idle outbox relay looks for new rows, and how many it takes at once. A commit that writes rows
   * wakes the relays at once (LISTEN/NOTIFY); the poll finds rows that come due later (retries) and carries the
   * first delivery while a relay's listening connection is down. Each poll is one indexed read, so the interval is
   * what an idle relay costs Postgres.
   */
  FANOUT_RELAY_POLL_MS: z.coerce.number().int().min(10).max(5_000).default(25),
  FANOUT_RELAY_BATCH: z.coerce.number().int().min(1).max(1_000).default(100),
  /** Longest wait before a row that failed to enqueue (Redis away) is tried again. */
  FANOUT_RELAY_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
  /** How often the sweeper looks for stuck work, and how old work must be to count as stuck. */
  FANOUT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  FANOUT_SWEEP_DEADLINE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** How often residents not reached on their first channel are looked for (alerts with ordered fallback). */
  FANOUT_FALLBACK_SCAN_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** How often the escalation ladder of silent 要援護者 looks for due rungs (its timings are per municipality). */
  FANOUT_ESCALATION_SCAN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * Delivery rows are kept this many whole months after their alert's month, then dropped as partitions
   * (`docs/operations.md`, "Delivery partitions and retention"). At least 13: the coverage KPI looks back up to 365
   * days. Per-alert counters (`delivery_counter`) and 安否確認 stay.
   */
  DELIVERY_RETENTION_MONTHS: z.coerce.number().int().min(13).max(1_200).default(24),
  /** Month partitions created ahead of the current month. */
  DELIVERY_PARTITIONS_AHEAD: z.coerce.number().int().min(1).max(24).default(3),
  /** Where dropped partitions are written first (`<partition>.csv.gz`); unset: dropped without an archive. */
  DELIVERY_ARCHIVE_DIR: z.string().min(1).optional(),
  /** How often partitions are created ahead and old ones dropped (also once at boot). */
  DELIVERY_PARTITION_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(21_600_000),
  /** The api's public address, for the one-tap links in supporter mails (`<url>/v1/safety/supporter-check`). */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** LINE Messaging API: the official account's long-lived channel access token; LINE is off without it. */
  LINE_CHANNEL_ACCESS_TOKEN: z.string().min(1).optional(),
  LINE_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.line.me'),
  /** Requests per second to LINE (its multicast limit is 200/s per channel). */
  LINE_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(2_000).default(100),
  LINE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** X API v2 with OAuth 1.0a user context (the municipality's account); X posts are off unless all four are set. */
  X_API_KEY: z.string().min(1).optional(),
  X_API_SECRET: z.string().min(1).optional(),
  X_ACCESS_TOKEN: z.string().min(1).optional(),
  X_ACCESS_SECRET: z.string().min(1).optional(),
  X_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.x.com'),
  X_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** The public page of an alert, linked from public posts; `{alertId}` is replaced. */
  PUBLIC_ALERT_URL: z
    .string()
    .regex(/^https?:\/\/\S*\{alertId\}\S*$/, 'an http(s) URL containing {alertId}')
    .optional(),
  /**
   * A worker holds a lock on each job it runs and renews it at half this period; a job whose lock lapsed (its
   * process died) is taken up again by another worker within about two periods. Deliveries a dead process had
   * claimed do not wait for this: see FANOUT_LEASE_TTL_MS.
   */
  FANOUT_JOB_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  /**
   * Each fanout process renews its lease in Postgres four times per this period; the deliveries a process
   * claimed are released and sent again by the others (or by itself after a restart) once its lease is this old.
   * The same span leases the outbox rows a relay claims: a relay that died leaves them to another after it.
   */
  FANOUT_LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
});

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
  | 'DATABASE_PREPARED_STATEMENTS'
  | 'REDIS_URL'
  | 'QUEUE_PREFIX'
  | 'HOST'
>;

export const schemas = { api: apiSchema, ingest: ingestSchema, fanout: fanoutSchema, cli: cliSchema };
export type AppName = keyof typeof schemas;
export type ConfigOf<A extends AppName> = z.infer<(typeof schemas)[A]>;
