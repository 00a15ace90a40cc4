// Runs under jest (compiled by ts-jest) and as its own process straight from this source (Node's type
// stripping, see main.ts): so only erasable TypeScript here (no enums, no parameter properties, no decorators)
// and only node: imports.
import { createVerify, generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttp1Server, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttp2Server, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

/** How the fake answers `messages:send` for one registration token. */
export type FakeFcmBehaviour =
  | { kind: 'ok' }
  /** 404 UNREGISTERED: the app was uninstalled or the token expired. */
  | { kind: 'unregistered' }
  /** 400 INVALID_ARGUMENT blaming `message.token`. */
  | { kind: 'invalid' }
  /** 403 SENDER_ID_MISMATCH: the token belongs to another project. */
  | { kind: 'sender-mismatch' }
  /** 429 QUOTA_EXCEEDED with `Retry-After: retryAfterSeconds`, for the first `times` requests (all when absent). */
  | { kind: 'quota'; retryAfterSeconds?: number; times?: number }
  /** 503 UNAVAILABLE (or 500 INTERNAL) for the first `times` requests (all when absent). */
  | { kind: 'unavailable'; status?: 500 | 503; retryAfterSeconds?: number; times?: number };

export interface FakeFcmOptions {
  port?: number;
  host?: string;
  projectId?: string;
  /** Delay before every `messages:send` answer. */
  latencyMs?: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server announces (FCM: 100). */
  maxConcurrentStreams?: number;
  /** Lifetime of issued access tokens (Google: 3599 s). */
  tokenTtlSeconds?: number;
  /** Keep every received message in memory (tests); benchmarks keep counts only. */
  recordMessages?: boolean;
}

export interface FakeFcmReceived {
  token: string;
  message: Record<string, unknown>;
  receivedAt: number;
  status: number;
  /** Number of the HTTP/2 session it arrived on (1-based, in order of opening). */
  session: number;
}

export interface FakeFcmStats {
  /** `messages:send` requests that carried a valid access token. */
  requests: number;
  /** Of those, answered 200. */
  accepted: number;
  /** Answers by HTTP status, including 401s for bad tokens. */
  byStatus: Record<string, number>;
  /** Grants at the OAuth token endpoint (successful ones). */
  tokenRequests: number;
  /** HTTP/2 sessions opened by clients since start or reset. */
  sessions: number;
  /** HTTP/2 sessions open now (a session closes after everything its client sent was read). */
  openSessions: number;
  /** Highest number of streams in flight on one session. */
  maxStreamsInFlight: number;
  /** Distinct registration tokens accepted. */
  distinctTokens: number;
  /** (token, alertId) pairs accepted more than once: what an "exactly once" test looks for. */
  duplicates: number;
  /** Accepted messages per token; only when asked for (it can be large). */
  perToken?: Record<string, number>;
}

export interface FakeServiceAccount {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

/** One request as the routes see it, whichever protocol carried it. */
interface Exchange {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Number of the HTTP/2 session it came on (0: HTTP/1.1). */
  session: number;
  /** Sends the answer; does nothing when the client has gone. */
  send(status: number, headers: Record<string, string>, text: string): void;
}

const FCM_ERROR = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;

/** FCM's error body (google.rpc.Status with an FcmError detail), as the real service sends it. */
function fcmError(code: number, status: string, message: string, errorCode?: string, extra: object[] = []) {
  return {
    error: {
      code,
      message,
      status,
      details: [...(errorCode ? [{ '@type': FCM_ERROR, errorCode }] : []), ...extra],
    },
  };
}

/**
 * A stand-in for FCM HTTP v1 and Google's OAuth token endpoint, on one port. HTTP/2 clients (h2c with prior
 * knowledge) and HTTP/1.1 clients are told apart by the connection preface, so the sender's HTTP/2 pool, a
 * `fetch` to the token endpoint and `curl` on the control API all work against the same origin.
 *
 * - `POST /v1/projects/:p/messages:send`: needs `Authorization: Bearer <a token this fake issued>` (401
 *   UNAUTHENTICATED otherwise); answers `{ name: "projects/:p/messages/<id>" }` or the configured error.
 * - `POST /token`: the JWT-bearer grant; verifies the RS256 assertion against `serviceAccount()`'s key.
 * - `GET /_stats[?perToken=1]`, `POST /_reset`, `POST /_behaviour` `{ token?, behaviour?, latencyMs?,
 *   expireAccessTokens? }`, `GET /_service-account`: the control API for other processes.
 */
export class FakeFcmServer {
  readonly projectId: string;
  readonly received: FakeFcmReceived[] = [];
  private readonly options: FakeFcmOptions;
  private readonly behaviours = new Map<string, FakeFcmBehaviour>();
  private readonly seen = new Map<string, number>();
  private readonly acceptedPerToken = new Map<string, number>();
  private readonly acceptedPerKey = new Map<string, number>();
  private readonly accessTokens = new Map<string, number>();
  private readonly sessionIds = new WeakMap<Http2Session, { id: number; active: number }>();
  private readonly openSessions = new Set<Http2Session>();
  private readonly sockets = new Set<Socket>();
  private readonly net = createNetServer((socket) => this.sniff(socket));
  private readonly h1 = createHttp1Server((req, res) =>
    readBody(req, (body) =>
      this.handle(
        {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          session: 0,
          send: (status, headers, text) => {
            if (res.writableEnded || res.destroyed) return;
            res.writeHead(status, headers);
            res.end(text);
          },
        },
        body,
      ),
    ),
  );
  private readonly h2;
  private key?: { privatePem: string; publicPem: string; id: string };
  private latencyMs: number;
  private counters = FakeFcmServer.zeroCounters();
  private boundPort = 0;

  constructor(options: FakeFcmOptions = {}) {
    this.options = options;
    this.projectId = options.projectId ?? 'bousai-fake';
    this.latencyMs = options.latencyMs ?? 0;
    // HTTP/2 streams are served directly, without the request/response compatibility objects: benchmarks run
    // this fake on the same cores as the sender they measure, so what it costs per message is kept small
    this.h2 = createHttp2Server({ settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 } });
    this.h2.on('session', (session) => {
      this.counters.sessions++;
      this.sessionIds.set(session, { id: this.counters.sessions, active: 0 });
      this.openSessions.add(session);
      session.once('close', () => this.openSessions.delete(session));
    });
    this.h2.on('stream', (stream: ServerHttp2Stream, headers) => this.onStream(stream, headers));
  }

  /** Starts a fake on `options.port` (0 = any free port) with a fresh service-account key. */
  static async start(options: FakeFcmOptions = {}): Promise<FakeFcmServer> {
    const server = new FakeFcmServer(options);
    await server.listen();
    return server;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Base URL for the sender (FCM_BASE_URL): h2c. */
  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.boundPort}`;
  }

  /** Token endpoint (FCM_TOKEN_URL and the service account's token_uri). */
  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  /** A service-account key file whose key this fake trusts; write it to disk for FCM_CREDENTIALS_FILE. */
  serviceAccount(): FakeServiceAccount {
    const key = this.requireKey();
    return {
      type: 'service_account',
      project_id: this.projectId,
      private_key_id: key.id,
      private_key: key.privatePem,
      client_email: `fcm-sender@${this.projectId}.iam.gserviceaccount.com`,
      client_id: '100000000000000000001',
      token_uri: this.tokenUrl,
    };
  }

  /** Answer `messages:send` for `token` this way from now on (`{ kind: 'ok' }` clears it). */
  setBehaviour(token: string, behaviour: FakeFcmBehaviour): void {
    if (behaviour.kind === 'ok') this.behaviours.delete(token);
    else this.behaviours.set(token, behaviour);
    this.seen.delete(token);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Revokes every issued access token, so the next send gets 401 and must fetch a new one. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Sends GOAWAY on every open HTTP/2 session and closes it, as a server restart or load balancer drain would. */
  closeSessions(): void {
    for (const session of this.openSessions) session.close();
  }

  /** Forgets received messages, counters and behaviours (not issued tokens or open sessions). */
  reset(): void {
    this.received.length = 0;
    this.behaviours.clear();
    this.seen.clear();
    this.acceptedPerToken.clear();
    this.acceptedPerKey.clear();
    this.counters = FakeFcmServer.zeroCounters();
  }

  stats(options: { perToken?: boolean } = {}): FakeFcmStats {
    let duplicates = 0;
    for (const n of this.acceptedPerKey.values()) if (n > 1) duplicates++;
    return {
      ...this.counters,
      byStatus: { ...this.counters.byStatus },
      openSessions: this.openSessions.size,
      distinctTokens: this.acceptedPerToken.size,
      duplicates,
      ...(options.perToken ? { perToken: Object.fromEntries(this.acceptedPerToken) } : {}),
    };
  }

  /** Messages received for one registration token, in arrival order. */
  receivedFor(token: string): FakeFcmReceived[] {
    return this.received.filter((r) => r.token === token);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.net.close(() => resolve()));
    this.h2.close();
    this.h1.close();
  }

  private static zeroCounters() {
    return {
      requests: 0,
      accepted: 0,
      byStatus: {} as Record<string, number>,
      tokenRequests: 0,
      sessions: 0,
      maxStreamsInFlight: 0,
    };
  }

  private async listen(): Promise<void> {
    const keys = await new Promise<{ publicKey: string; privateKey: string }>((resolve, reject) =>
      generateKeyPair(
        'rsa',
        {
          modulusLength: 2048,
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        },
        (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey })),
      ),
    );
    this.key = {
      privatePem: keys.privateKey,
      publicPem: keys.publicKey,
      id: randomBytes(20).toString('hex'),
    };
    await new Promise<void>((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.boundPort = (this.net.address() as AddressInfo).port;
  }

  /** HTTP/2 with prior knowledge starts with "PRI * HTTP/2.0"; anything else is HTTP/1.x. */
  private sniff(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // peek without switching the socket to flowing mode: the HTTP/2 session then reads the rest from the handle
    const peek = () => {
      const head = socket.read(3) as Buffer | null;
      if (head === null) {
        socket.once('readable', peek);
        return;
      }
      socket.unshift(head);
      (head.toString('latin1') === 'PRI' ? this.h2 : this.h1).emit('connection', socket);
    };
    socket.once('readable', peek);
  }

  private requireKey() {
    if (!this.key) throw new Error('FakeFcmServer is not started');
    return this.key;
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const s = this.sessionIds.get(stream.session as Http2Session);
    if (!s) return;
    s.active++;
    this.counters.maxStreamsInFlight = Math.max(this.counters.maxStreamsInFlight, s.active);
    stream.once('close', () => {
      s.active--;
    });
    // a client resetting its stream is its own business
    stream.on('error', () => undefined);
    readBody(stream, (body) =>
      this.handle(
        {
          method: String(headers[':method'] ?? 'GET'),
          path: String(headers[':path'] ?? '/'),
          headers,
          session: s.id,
          send: (status, responseHeaders, text) => {
            if (stream.destroyed || stream.closed || stream.headersSent) return;
            // END_STREAM on the body's DATA frame, as FCM sends it (the compatibility API's response adds an
            // empty frame after the body for trailers, which every client then has to read too)
            stream.respond({ ':status': status, ...responseHeaders });
            stream.end(text);
          },
        },
        body,
      ),
    );
  }

  private handle(ex: Exchange, body: string): void {
    try {
      this.route(ex, body);
    } catch (err) {
      this.reply(ex, 500, { error: { code: 500, message: String(err), status: 'INTERNAL' } });
    }
  }

  private route(ex: Exchange, body: string): void {
    const q = ex.path.indexOf('?');
    const pathname = q < 0 ? ex.path : ex.path.slice(0, q);
    const method = ex.method;
    const send = SEND_PATH.exec(pathname);
    if (send && method === 'POST') return this.messagesSend(ex, decodeURIComponent(send[1]), body);
    if (pathname === '/token' && method === 'POST') return this.token(ex, body);
    if (pathname === '/_stats' && method === 'GET') {
      const query = new URLSearchParams(q < 0 ? '' : ex.path.slice(q + 1));
      return this.reply(ex, 200, this.stats({ perToken: query.get('perToken') === '1' }));
    }
    if (pathname === '/_reset' && method === 'POST') {
      this.reset();
      return this.reply(ex, 200, { ok: true });
    }
    if (pathname === '/_behaviour' && method === 'POST') return this.control(ex, body);
    if (pathname === '/_service-account' && method === 'GET')
      return this.reply(ex, 200, this.serviceAccount());
    this.reply(ex, 404, fcmError(404, 'NOT_FOUND', `no route for ${method} ${pathname}`));
  }

  private control(ex: Exchange, body: string): void {
    const cmd = JSON.parse(body || '{}') as {
      token?: string;
      behaviour?: FakeFcmBehaviour;
      latencyMs?: number;
      expireAccessTokens?: boolean;
    };
    if (cmd.token && cmd.behaviour) this.setBehaviour(cmd.token, cmd.behaviour);
    if (typeof cmd.latencyMs === 'number') this.setLatency(cmd.latencyMs);
    if (cmd.expireAccessTokens) this.expireAccessTokens();
    this.reply(ex, 200, { ok: true });
  }

  private token(ex: Exchange, body: string): void {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return this.reply(ex, 400, { error: 'unsupported_grant_type' });
    }
    const problem = this.checkAssertion(form.get('assertion') ?? '');
    if (problem) return this.reply(ex, 400, { error: 'invalid_grant', error_description: problem });
    const accessToken = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    const ttl = this.options.tokenTtlSeconds ?? 3599;
    this.accessTokens.set(accessToken, Date.now() + ttl * 1_000);
    this.counters.tokenRequests++;
    this.reply(ex, 200, { access_token: accessToken, expires_in: ttl, token_type: 'Bearer' });
  }

  /** RFC 7523 §3, as Google checks it: RS256 by the account's key, iss = client_email, not expired. */
  private checkAssertion(jwt: string): string | undefined {
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'assertion is not a JWT';
    const [h, p, sig] = parts;
    let header: { alg?: string };
    let claims: { iss?: string; exp?: number; scope?: string };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return 'assertion is not a JWT';
    }
    if (header.alg !== 'RS256') return 'alg must be RS256';
    if (
      !createVerify('RSA-SHA256').update(`${h}.${p}`).verify(this.requireKey().publicPem, sig, 'base64url')
    ) {
      return 'Invalid JWT Signature.';
    }
    if (claims.iss !== this.serviceAccount().client_email) return 'unknown issuer';
    if (typeof claims.exp !== 'number' || claims.exp * 1_000 < Date.now()) return 'assertion expired';
    if (!claims.scope?.includes('firebase.messaging') && !claims.scope?.includes('cloud-platform')) {
      return 'scope does not cover FCM';
    }
    return undefined;
  }

  private messagesSend(ex: Exchange, project: string, body: string): void {
    const auth = ex.headers.authorization;
    const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const expiry = this.accessTokens.get(bearer);
    if (expiry === undefined || expiry < Date.now()) {
      return this.reply(
        ex,
        401,
        fcmError(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        ),
      );
    }
    this.counters.requests++;
    if (project !== this.projectId) {
      return this.reply(
        ex,
        403,
        fcmError(403, 'PERMISSION_DENIED', `Permission denied on project ${project}`),
      );
    }
    let message: Record<string, unknown>;
    try {
      message = (JSON.parse(body) as { message: Record<string, unknown> }).message;
    } catch {
      return this.reply(ex, 400, fcmError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
    }
    const token = typeof message?.token === 'string' ? message.token : '';
    if (!token) {
      return this.reply(
        ex,
        400,
        fcmError(400, 'INVALID_ARGUMENT', 'Recipient of the message is not set.', 'INVALID_ARGUMENT'),
      );
    }
    const [status, answer, headers] = this.answerFor(token);
    if (this.options.recordMessages ?? true) {
      this.received.push({ token, message, receivedAt: Date.now(), status, session: ex.session });
    }
    if (status === 200) {
      this.acceptedPerToken.set(token, (this.acceptedPerToken.get(token) ?? 0) + 1);
      const data = message.data as Record<string, string> | undefined;
      const key = `${token}\u0000${data?.alertId ?? ''}`;
      this.acceptedPerKey.set(key, (this.acceptedPerKey.get(key) ?? 0) + 1);
      this.counters.accepted++;
    }
    if (this.latencyMs > 0) setTimeout(() => this.reply(ex, status, answer, headers), this.latencyMs);
    else this.reply(ex, status, answer, headers);
  }

  private answerFor(token: string): [number, object, Record<string, string>] {
    const ok: [number, object, Record<string, string>] = [
      200,
      { name: `projects/${this.projectId}/messages/${randomUUID()}` },
      {},
    ];
    const behaviour = this.behaviours.get(token);
    if (!behaviour) return ok;
    // requests since the behaviour was set (only tokens with one are counted)
    const n = (this.seen.get(token) ?? 0) + 1;
    this.seen.set(token, n);
    switch (behaviour.kind) {
      case 'ok':
        return ok;
      case 'unregistered':
        return [404, fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED'), {}];
      case 'invalid':
        return [
          400,
          fcmError(
            400,
            'INVALID_ARGUMENT',
            'The registration token is not a valid FCM registration token',
            'INVALID_ARGUMENT',
            [
              {
                '@type': 'type.googleapis.com/google.rpc.BadRequest',
                fieldViolations: [
                  {
                    field: 'message.token',
                    description: 'The registration token is not a valid FCM registration token',
                  },
                ],
              },
            ],
          ),
          {},
        ];
      case 'sender-mismatch':
        return [403, fcmError(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH'), {}];
      case 'quota':
        if (behaviour.times !== undefined && n > behaviour.times) return ok;
        return [
          429,
          fcmError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric', 'QUOTA_EXCEEDED'),
          { 'retry-after': String(behaviour.retryAfterSeconds ?? 60) },
        ];
      case 'unavailable': {
        if (behaviour.times !== undefined && n > behaviour.times) return ok;
        const status = behaviour.status ?? 503;
        return [
          status,
          status === 500
            ? fcmError(500, 'INTERNAL', 'Internal error encountered.', 'INTERNAL')
            : fcmError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'UNAVAILABLE'),
          behaviour.retryAfterSeconds !== undefined
            ? { 'retry-after': String(behaviour.retryAfterSeconds) }
            : {},
        ];
      }
    }
  }

  private reply(ex: Exchange, status: number, body: object, headers: Record<string, string> = {}): void {
    this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1;
    ex.send(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }, JSON.stringify(body));
  }
}

/** Collects a request body (an HTTP/1.1 request or an HTTP/2 stream) as UTF-8 text. */
function readBody(source: NodeJS.ReadableStream, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  source.on('data', (c: Buffer) => chunks.push(c));
  source.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}
